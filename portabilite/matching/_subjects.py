"""Who is matched, and what is known of them: the X accounts of the archive with their handles
(current or stale), display name, and what they wrote in their X profile.

A handle belongs to an X account only for a time: people rename, and the old handle is free
for anyone to take. So each handle is *current* (the hydrated profile's, or, from the archive
alone, the newest one the user's tweets show) or *stale* (an older one). Evidence that goes
through a stale handle may be about someone else (see ``_evidence``).
"""

from __future__ import annotations

import difflib
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import orjson

from ..workspace import Workspace

__all__ = ["Subject", "iter_subjects", "names_alike", "names_compatible", "fold"]


@dataclass(slots=True)
class Subject:
    """An X account the user follows (or that follows the user, or is blocked or muted)."""

    x_id: str
    relation: str
    current: str | None  # the screen name the account uses now, when known
    display_name: str | None
    stale: list[str] = field(default_factory=list)  # older screen names, newest first
    bio: str = ""  # from the X API (portabilite hydrate): description and name
    website: str | None = None
    hydrated: bool = False

    @property
    def names(self) -> list[str]:
        """Every screen name, the current one first."""
        return ([self.current] if self.current else []) + self.stale

    def is_current(self, name: str) -> bool:
        return bool(self.current) and name.lower() == (self.current or "").lower()


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    cleaned = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return cleaned.casefold().split()


def names_alike(a: str | None, b: str | None) -> bool:
    """The same display name, give or take case, accents, punctuation, emoji and a typo."""
    if not a or not b:
        return False
    fa, fb = fold(a), fold(b)
    return bool(fa) and (fa == fb or difflib.SequenceMatcher(None, fa, fb).ratio() >= 0.85)


def names_compatible(a: str | None, b: str | None) -> bool:
    """Not a mismatch: alike, or one name's words all in the other's ("Léa" for "Léa
    Modèle", "Médiathèque" for "Médiathèque de Bordeaux", "Sam Dupont (il/lui)")."""
    if not a or not b or names_alike(a, b):
        return True
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return True  # a name of emoji only says nothing
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return all(w in long_ for w in short)


#: an X account something can be matched on: a name, a profile, or a directory entry by id.
#: The others (most of a large account's followers, from the archive alone) would give no
#: candidate, and a city's million of them must not be held in memory to learn that.
_KNOWN = (
    " AND (h.x_id IS NOT NULL OR p.x_id IS NOT NULL"
    " OR EXISTS (SELECT 1 FROM handle_hint_name n WHERE n.x_id = r.x_id)"
    " OR EXISTS (SELECT 1 FROM directory_entry d WHERE d.x_id = r.x_id))"
)


def iter_subjects(
    ws: Workspace,
    relations: Iterable[str],
    *,
    known_only: bool = False,
    only: list[str] | None = None,
    size: int = 20_000,
) -> Iterator[list[Subject]]:
    """The X accounts in ``relations``, each once (a mutual under its first relation), in
    lists of at most ``size``. ``known_only``: those with something to match on
    (``_KNOWN``); ``only``: those X ids. Each list is read by its own query (keyset on the
    id), so nothing is left open on the connection between lists."""
    db = ws.conn
    relations = list(relations)
    for index, relation in enumerate(relations):
        earlier = relations[:index]
        sql = (
            "SELECT r.x_id, h.screen_name, h.display_name, p.screen_name, p.display_name,"
            " p.description, p.website"
            " FROM relation r LEFT JOIN handle_hint h ON h.x_id = r.x_id"
            " LEFT JOIN x_profile p ON p.x_id = r.x_id"
            " WHERE r.kind = ? AND r.removed_import IS NULL AND r.x_id > ?"
            + (
                # a mutual: matched once, under its first relation
                " AND NOT EXISTS (SELECT 1 FROM relation e WHERE e.x_id = r.x_id AND e.kind"
                f" IN ({', '.join('?' * len(earlier))}) AND e.removed_import IS NULL)"
                if earlier
                else ""
            )
            + (_KNOWN if known_only else "")
            + (" AND r.x_id IN (SELECT value FROM json_each(?))" if only is not None else "")
            + " ORDER BY r.x_id LIMIT ?"
        )
        after = ""
        while True:
            params: list[object] = [relation, after, *earlier]
            if only is not None:
                params.append(orjson.dumps(only).decode())
            rows = db.execute(sql, [*params, size]).fetchall()
            if not rows:
                break
            after = rows[-1][0]
            yield _subjects(db, relation, rows)


def _subjects(db: sqlite3.Connection, relation: str, rows: list[tuple]) -> list[Subject]:
    names: dict[str, list[str]] = {}
    for x_id, name in db.execute(
        "SELECT x_id, screen_name FROM handle_hint_name"
        " WHERE x_id IN (SELECT value FROM json_each(?)) ORDER BY x_id, last_seen DESC",
        (orjson.dumps([row[0] for row in rows]).decode(),),
    ):
        names.setdefault(x_id, []).append(name)
    subjects = []
    for x_id, hinted, hinted_name, hydrated, hydrated_name, description, website in rows:
        current = hydrated or hinted
        stale = [n for n in names.get(x_id, []) if not current or n.lower() != current.lower()]
        if hinted and current and hinted.lower() != current.lower() and hinted not in stale:
            stale.insert(0, hinted)
        display_name = hydrated_name or hinted_name
        bio = " ".join(filter(None, [description, hydrated_name]))
        subjects.append(
            Subject(
                x_id,
                relation,
                current,
                display_name,
                stale,
                bio,
                website,
                hydrated=hydrated is not None,
            )
        )
    return subjects
