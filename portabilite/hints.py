"""Naming the accounts the archive only numbers: id → handle files other tools wrote, and the
list of who you follow with every name seen.

X's archive lists follows by numeric id; portabilite names them from the user's own tweets,
which leaves most followings unnamed. Tools that ran while X's free look-ups worked wrote
id → handle files, and people still have them:

* twitter-archive-parser's ``following.txt`` / ``followers.txt``: one account a line,
  ``handle https://twitter.com/i/user/ID`` (``@handle`` and ``intent/user?user_id=ID`` too);
* CSV (``,`` or ``;``, UTF-8 with or without BOM) or JSON (a list of objects, or
  ``{"hints": [...]}``) with ``x_id``, ``handle`` and, optionally, ``name``.

They rank below the archive's own hints: a name from the user's tweets is dated, the file's is
not, so an archive imported before or after always keeps its newer word. This module owns the
``hint_file`` table (where each file row came from) and writes the names it brings into the
workspace's hints only where the archive gave none.
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import datetime, timezone
from typing import Any, TypedDict

import orjson

from ._reasons import Reason, because
from ._time import now_iso
from .errors import DirectoryError
from .workspace import Workspace

__all__ = ["import_hints", "following", "HintsReport", "Followed"]

_USER_URL = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:i/user/|intent/user\?user_id=)(\d+)"
)
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,15})$")
#: at most this many bad rows are listed one by one (the count says the rest)
SHOWN_BAD_ROWS = 20


class HintsReport(TypedDict):
    file: str
    read: int  # good rows
    added: int  # accounts named now that were not before
    bad: list[dict[str, Any]]  # {"line": n, "reason": "..."}: skipped, reported, never silent
    bad_count: int


def _parse(name: str, data: bytes) -> tuple[list[tuple[int, str, str, str | None]], list]:
    """``(rows, bad)``: rows are ``(line, x_id, handle, display name)``."""
    text = data.decode("utf-8-sig")
    rows: list[tuple[int, str, str, str | None]] = []
    bad: list[tuple[int, str]] = []

    def take(line: int, x_id: Any, handle: Any, display: Any) -> None:
        x_id = str(x_id or "").strip()
        handle = str(handle or "").strip()
        m = _HANDLE.match(handle)
        if not (x_id.isdigit() and x_id.isascii()):
            bad.append((line, str(Reason("reason.row_bad_x_id", value=x_id))))
        elif m is None:
            bad.append((line, str(Reason("reason.row_bad_x_handle", value=handle))))
        else:
            rows.append((line, x_id, m.group(1), str(display).strip() or None if display else None))

    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            value = orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            raise DirectoryError("hints.invalid_json", file=name, reason=because(exc)) from None
        if isinstance(value, dict):
            value = value.get("hints")
        if not isinstance(value, list):
            raise DirectoryError(
                "hints.invalid_json", file=name, reason=Reason("reason.json_not_a_list")
            )
        for i, item in enumerate(value, 1):
            if not isinstance(item, dict):
                bad.append((i, str(Reason("reason.json_not_an_object"))))
                continue
            take(i, item.get("x_id"), item.get("handle"), item.get("name"))
        return rows, bad
    first = stripped.split("\n", 1)[0]
    if _USER_URL.search(first) or not first.strip():
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            m = _USER_URL.search(line)
            handle = line.split()[0] if line.split() else ""
            if m is None:
                bad.append((i, "no https://twitter.com/i/user/ID link"))
                continue
            take(i, m.group(1), handle, None)
        return rows, bad
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not {"x_id", "handle"} <= set(header):
        raise DirectoryError("hints.bad_header", file=name)
    reader.fieldnames = header
    for i, row in enumerate(reader, 2):
        take(i, row.get("x_id"), row.get("handle"), row.get("name"))
    return rows, bad


def import_hints(ws: Workspace, path: str | os.PathLike[str]) -> HintsReport:
    """Record an id → handle file (one transaction); bad rows are skipped and reported with
    their line, the good ones kept. Returns what was read, added and skipped."""
    path = os.fspath(path)
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fp:
            data = fp.read()
        dated = datetime.fromtimestamp(os.path.getmtime(path), timezone.utc).date().isoformat()
    except OSError as exc:
        raise DirectoryError("directory.unreadable", file=path, reason=because(exc)) from None
    try:
        rows, bad = _parse(name, data)
    except UnicodeDecodeError:
        raise DirectoryError("directory.not_utf8", file=name) from None
    now = now_iso()
    with ws.transaction() as db:
        before = db.execute("SELECT count(*) FROM handle_hint").fetchone()[0]
        db.executemany(
            "INSERT INTO hint_file (x_id, screen_name, display_name, file, line, dated,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(x, h, d, name, line, dated, now) for line, x, h, d in rows],
        )
        # below the archive's word: only where it named nobody, and undated (an archive's
        # dated hint replaces it; see importer._store_hints)
        db.executemany(
            "INSERT INTO handle_hint (x_id, screen_name, display_name, last_seen, source)"
            " VALUES (?, ?, ?, NULL, ?) ON CONFLICT (x_id) DO NOTHING",
            [(x, h, d, f"hints:{name}#{line}") for line, x, h, d in rows],
        )
        db.executemany(
            "INSERT INTO handle_hint_name (x_id, screen_name_lower, screen_name, first_seen,"
            " last_seen) VALUES (?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING",
            [(x, h.lower(), h) for _, x, h, _ in rows],
        )
        after = db.execute("SELECT count(*) FROM handle_hint").fetchone()[0]
    return {
        "file": name,
        "read": len(rows),
        "added": after - before,
        "bad": [{"line": line, "reason": reason} for line, reason in bad[:SHOWN_BAD_ROWS]],
        "bad_count": len(bad),
    }


class Followed(TypedDict):
    """One account followed (or following, with ``followers``): ``following --format json``."""

    x_id: str
    handle: str | None
    display_name: str | None
    link: str  # https://x.com/i/user/ID: opens the account even unnamed
    names: list[dict[str, Any]]  # every name seen: name, from (tweets|hints|x_api), when, where
    matches: dict[str, str | None]  # network -> best status (confirmed, probable, rejected)


def following(ws: Workspace, *, followers: bool = False) -> list[Followed]:
    """Every account followed (``followers``: every follower), with its id, its handle (or
    None), display name, every name seen and where it came from, the link that opens it, and
    its match status per network."""
    kind = "follower" if followers else "following"
    names: dict[str, list[dict[str, Any]]] = {}
    newest: dict[str, tuple[str, str | None, str]] = {}
    for x_id, name, display, source in ws.conn.execute(
        "SELECT x_id, screen_name, display_name, source FROM handle_hint"
    ):
        newest[x_id] = (name, display, source)
    for x_id, name, first, last in ws.conn.execute(
        "SELECT x_id, screen_name, first_seen, last_seen FROM handle_hint_name"
        " WHERE first_seen IS NOT NULL OR last_seen IS NOT NULL ORDER BY x_id, last_seen DESC"
    ):
        entry: dict[str, Any] = {
            "name": name,
            "from": "tweets",
            "first_seen": first,
            "last_seen": last,
        }
        hint = newest.get(x_id)
        if hint and hint[0].lower() == name.lower() and not hint[2].startswith("hints:"):
            entry["tweet"] = hint[2]  # file#tweet id of the newest sighting
        names.setdefault(x_id, []).append(entry)
    for x_id, name, file, line, dated in ws.conn.execute(
        "SELECT x_id, screen_name, file, line, dated FROM hint_file ORDER BY x_id, dated DESC"
    ):
        names.setdefault(x_id, []).append(
            {"name": name, "from": "hints", "file": file, "line": line, "dated": dated}
        )
    profiles = {}
    for x_id, name, display, fetched in ws.conn.execute(
        "SELECT x_id, screen_name, display_name, fetched_at FROM x_profile"
    ):
        profiles[x_id] = (name, display)
        names.setdefault(x_id, []).insert(0, {"name": name, "from": "x_api", "fetched_at": fetched})
    statuses: dict[str, dict[str, str]] = {}
    rank = {"confirmed": 3, "probable": 2, "rejected": 1}
    from .matching import list_matches

    for match in list_matches(ws, relation=None):
        best = statuses.setdefault(match["x_id"], {})
        current = best.get(match["network"])
        if current is None or rank[match["status"]] > rank[current]:
            best[match["network"]] = match["status"]
    out: list[Followed] = []
    for x_id in sorted(ws.active_ids(kind), key=lambda i: (len(i), i)):
        profile = profiles.get(x_id)
        hint = newest.get(x_id)
        out.append(
            {
                "x_id": x_id,
                "handle": profile[0] if profile else (hint[0] if hint else None),
                "display_name": (profile[1] if profile else None) or (hint[1] if hint else None),
                "link": f"https://x.com/i/user/{x_id}",
                "names": names.get(x_id, []),
                "matches": {
                    network: statuses.get(x_id, {}).get(network)
                    for network in ("bluesky", "mastodon")
                },
            }
        )
    return out
