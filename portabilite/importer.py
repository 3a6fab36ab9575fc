"""Archive → workspace: ``import_archive(path, workspace)``.

One import is one transaction. Interrupted (an error, Ctrl-C, a kill), the workspace is exactly
as it was; a workspace file created for a failed first import is removed again. Importing the
same archive again changes nothing. A newer archive of the same account updates the facts: new
follows are added, those no longer there are marked removed (never deleted), and the handle
hints keep the newest name seen for each account.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from ._time import now_iso
from .archive import (
    RELATIONS,
    REQUEST_ARCHIVE_URL,
    TWEET_KINDS,
    HandleHint,
    Warning,
    XArchive,
    open_archive,
)
from .errors import AccountMismatchError, NotAnArchiveError, OlderArchiveError
from .workspace import Workspace

__all__ = ["import_archive", "ImportResult", "archive_status"]

#: archive kind -> key in ``counts.expected`` (what the archive announces it holds)
EXPECTED_KEYS = {
    "following": "following",
    "follower": "followers",
    "block": "blocks",
    "mute": "mutes",
    "tweets": "tweets",
}

#: workspace relation kind -> key in the ``counts`` contract
COUNT_KEYS = {"following": "following", "follower": "followers", "block": "blocks", "mute": "mutes"}


@dataclass
class ImportResult:
    """What an import did. ``to_json()`` is the ``import --json`` contract."""

    workspace: str
    account: dict[str, Any]
    archive: dict[str, Any]
    counts: dict[str, int]
    unchanged: bool = False
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    matches: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "account": self.account,
            "counts": self.counts,
            "archive": self.archive,
            "unchanged": self.unchanged,
            "changes": self.changes,
            "matches": self.matches,
        }


def _archive_json(
    layout: str, generated_at: str | None, source: str, warnings: list[dict[str, Any]]
) -> dict[str, Any]:
    rendered = [
        Warning(w["code"], {k: v for k, v in w.items() if k != "code"}).to_json() for w in warnings
    ]
    return {"layout": layout, "generated_at": generated_at, "source": source, "warnings": rendered}


def archive_status(workspace: Workspace) -> dict[str, Any]:
    """What the workspace holds from the archives: the ``workspace``, ``account``, ``counts``
    and ``archive`` parts of ``status`` (the other parts come from their own packages)."""
    from .errors import NoArchiveImportedError

    account = workspace.account()
    latest = workspace.latest_import()
    if account is None or latest is None:
        raise NoArchiveImportedError("workspace.nothing_imported", path=str(workspace.path))
    return {
        "workspace": str(workspace.path),
        "account": _account_json(account),
        "counts": workspace.counts(),
        "archive": {
            **_archive_json(
                latest["layout"], latest["generated_at"], latest["source"], latest["warnings"]
            ),
            "imported_at": latest["imported_at"],
        },
    }


def _account_json(account: dict[str, Any]) -> dict[str, Any]:
    return {k: account.get(k) for k in ("id", "username", "display_name", "created_at")}


def import_archive(
    path: str | os.PathLike[str],
    workspace: Workspace | str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    require_follows: bool = False,
) -> ImportResult:
    """Read the X archive at ``path`` (zip or folder) into ``workspace`` (a ``Workspace`` or a
    path; default: ``default_workspace_path()``).

    ``progress(done_bytes, total_bytes)`` is called as the archive's data files are inflated.
    Raises ``ArchiveError`` for unusable archives (with ``require_follows``, one without a list
    of the accounts followed too) and ``WorkspaceError`` when the workspace refuses (another
    account, an older archive); in every case nothing was changed.
    """
    with open_archive(path) as archive:
        account = archive.account()  # a broken archive fails here, before the workspace exists
        if require_follows and not archive.files("following"):
            raise NotAnArchiveError(
                "archive.no_follow_list", path=os.fspath(path), url=REQUEST_ARCHIVE_URL
            )
        own = not isinstance(workspace, Workspace)
        ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
        try:
            return _import(archive, account, ws, os.path.abspath(os.fspath(path)), progress)
        except BaseException:
            if own and ws.created:
                ws.close()
                ws.discard()
            raise
        finally:
            if own:
                ws.close()


def _import(
    archive: XArchive,
    account: Any,
    ws: Workspace,
    source: str,
    progress: Callable[[int, int], None] | None,
) -> ImportResult:
    existing = ws.account()
    if existing is not None and existing["id"] != account.id:
        raise AccountMismatchError(
            "workspace.account_mismatch",
            archive_user=account.username,
            archive_id=account.id,
            workspace_user=existing["username"],
            workspace_id=existing["id"],
            path=str(ws.path),
        )
    fingerprint = archive.fingerprint()
    latest = ws.latest_import()
    if latest is not None and latest["fingerprint"] == fingerprint:
        state = archive_status(ws)
        return ImportResult(
            workspace=str(ws.path),
            account=state["account"],
            archive=state["archive"],
            counts=state["counts"],
            unchanged=True,
        )
    newest = ws.newest_generated_at()
    if newest and archive.generated_at and archive.generated_at < newest:
        raise OlderArchiveError(
            "workspace.older_archive", generated_at=archive.generated_at, newest=newest
        )

    if progress is not None:
        total = archive.planned_bytes()
        done = 0

        def on_bytes(n: int) -> None:
            nonlocal done
            done += n
            progress(done, total)

        archive.on_bytes = on_bytes

    now = now_iso()
    profile = archive.profile()
    read_counts: dict[str, Any] = {}
    changes: dict[str, dict[str, int]] = {}
    with ws.transaction() as db:
        import_id = db.execute(
            "INSERT INTO archive_import (imported_at, source, fingerprint, layout, generated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (now, source, fingerprint, archive.layout, archive.generated_at),
        ).lastrowid
        db.execute(
            "INSERT INTO account (id, username, display_name, created_at, bio, website, location,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " username = excluded.username, display_name = excluded.display_name,"
            " created_at = COALESCE(excluded.created_at, account.created_at),"
            " bio = COALESCE(excluded.bio, account.bio),"
            " website = COALESCE(excluded.website, account.website),"
            " location = COALESCE(excluded.location, account.location),"
            " updated_at = excluded.updated_at",
            (
                account.id,
                account.username,
                account.display_name,
                account.created_at,
                profile.bio if profile else None,
                profile.website if profile else None,
                profile.location if profile else None,
                now,
            ),
        )

        if archive.files("screen_name_change"):
            db.execute("DELETE FROM screen_name_change")
            db.executemany(
                "INSERT INTO screen_name_change (changed_at, changed_from, changed_to)"
                " VALUES (?, ?, ?)",
                [
                    (c.changed_at, c.changed_from, c.changed_to)
                    for c in archive.screen_name_changes()
                ],
            )

        # Ids go to a temporary table first and are merged with one sorted INSERT ... SELECT:
        # SQLite then walks the B-tree in key order (3x faster than row-by-row upserts of
        # random ids, measured on 1,000,000 followers: see docs/performance.md).
        db.execute("CREATE TEMP TABLE IF NOT EXISTS incoming (x_id TEXT NOT NULL)")
        for kind in RELATIONS:
            if not archive.files(kind):
                continue  # absent from this archive: keep what we knew, never mark removed
            db.execute("DELETE FROM temp.incoming")
            read = 0
            for batch in archive.iter_id_chunks(kind):
                read += len(batch)
                db.execute(
                    "INSERT INTO temp.incoming (x_id) SELECT value FROM json_each(?)",
                    (orjson.dumps(batch),),
                )  # 5x faster than executemany
            before = ws.active_count(kind)
            db.execute(
                "INSERT INTO relation (kind, x_id, first_import, last_import)"
                " SELECT ?, x_id, ?, ? FROM temp.incoming WHERE true ORDER BY x_id"
                " ON CONFLICT (kind, x_id) DO UPDATE SET last_import = excluded.last_import,"
                " removed_import = NULL",
                (kind, import_id, import_id),
            )
            added = ws.active_count(kind) - before
            removed = db.execute(
                "UPDATE relation SET removed_import = ? WHERE kind = ? AND last_import < ?"
                " AND removed_import IS NULL",
                (import_id, kind, import_id),
            ).rowcount
            read_counts[kind] = read
            if latest is not None:
                changes[COUNT_KEYS[kind]] = {"added": added, "removed": removed}
            declared = archive.declared_count(kind)
            if declared is not None and declared != read:
                archive.warnings.append(
                    Warning(
                        "archive.count_mismatch",
                        {
                            "file": archive.files(kind)[0][0].name,
                            "declared": declared,
                            "read": read,
                        },
                    )
                )
        db.execute("DROP TABLE temp.incoming")

        list_kinds = {
            "lists_created": "created",
            "lists_member": "member",
            "lists_subscribed": "subscribed",
        }
        if any(archive.files(k) for k in list_kinds):
            lists = archive.lists()
            db.executemany(
                "INSERT INTO x_list (kind, url, owner, slug, first_import, last_import)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, url) DO UPDATE SET"
                " last_import = excluded.last_import, removed_import = NULL",
                [(x.kind, x.url, x.owner, x.slug, import_id, import_id) for x in lists],
            )
            for short in (short for k, short in list_kinds.items() if archive.files(k)):
                db.execute(
                    "UPDATE x_list SET removed_import = ? WHERE kind = ? AND"
                    " last_import < ? AND removed_import IS NULL",
                    (import_id, short, import_id),
                )
            read_counts["lists"] = len(lists)

        expected = archive.expected_counts()
        read_counts["expected"] = {
            EXPECTED_KEYS[kind]: {"count": count, "missing": missing}
            for kind, (count, missing) in expected.items()
            if kind in EXPECTED_KEYS
        }
        tweet_counts, hints = archive.count_and_hints(account.id)
        _store_hints(db, list(hints.values()))
        read_counts.update(tweet_counts)
        read_counts["handle_hints"] = len(hints)
        for kind in TWEET_KINDS:
            declared = archive.declared_count(kind)
            if declared is not None and declared != tweet_counts[kind]:
                archive.warnings.append(
                    Warning(
                        "archive.count_mismatch",
                        {
                            "file": archive.files(kind)[0][0].name,
                            "declared": declared,
                            "read": tweet_counts[kind],
                        },
                    )
                )

        warnings = [{"code": w.code, **w.params} for w in archive.warnings]
        db.execute(
            "UPDATE archive_import SET warnings = ?, counts = ? WHERE id = ?",
            (orjson.dumps(warnings).decode(), orjson.dumps(read_counts).decode(), import_id),
        )
        counts = ws.counts()
    return ImportResult(
        workspace=str(ws.path),
        account=_account_json(ws.account() or {}),
        archive=_archive_json(archive.layout, archive.generated_at, source, warnings),
        counts=counts,
        changes=changes,
    )


def _store_hints(db: sqlite3.Connection, hints: list[HandleHint]) -> None:
    """Newest name wins; every name seen is kept with its first and last date."""
    db.executemany(
        "INSERT INTO handle_hint (x_id, screen_name, display_name, last_seen, source)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (x_id) DO UPDATE SET"
        " screen_name = excluded.screen_name,"
        " display_name = COALESCE(excluded.display_name, handle_hint.display_name),"
        " last_seen = excluded.last_seen, source = excluded.source"
        " WHERE excluded.last_seen IS NOT NULL AND (handle_hint.last_seen IS NULL"
        " OR excluded.last_seen > handle_hint.last_seen)",
        [(h.x_id, h.screen_name, h.display_name, h.last_seen, h.source) for h in hints],
    )
    db.executemany(
        "INSERT INTO handle_hint_name (x_id, screen_name_lower, screen_name, first_seen,"
        " last_seen) VALUES (?, ?, ?, ?, ?) ON CONFLICT (x_id, screen_name_lower) DO UPDATE"
        " SET first_seen = min(COALESCE(handle_hint_name.first_seen, excluded.first_seen),"
        " COALESCE(excluded.first_seen, handle_hint_name.first_seen)),"
        " last_seen = max(COALESCE(handle_hint_name.last_seen, excluded.last_seen),"
        " COALESCE(excluded.last_seen, handle_hint_name.last_seen))",
        [
            (h.x_id, lower, name, first, last)
            for h in hints
            for lower, (name, first, last) in h.names.items()
        ],
    )
