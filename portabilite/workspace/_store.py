"""The workspace: one SQLite file per migration (stdlib sqlite3, WAL, versioned schema).

It holds the archive's facts now, and later the matches, plans and the journal of remote writes.
Every change goes through ``Workspace.transaction()``: all of it lands, or none of it does, even
when the process is killed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import orjson

from .._files import make_private
from .._reasons import because
from ..errors import NoArchiveImportedError, WorkspaceError, WorkspaceVersionError
from ._schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["Workspace", "default_workspace_path", "WORKSPACE_ENV"]

WORKSPACE_ENV = "PORTABILITE_WORKSPACE"
RELATION_KINDS = ("following", "follower", "block", "mute")


def default_workspace_path() -> Path:
    """``$PORTABILITE_WORKSPACE``, else ``workspace.sqlite3`` in the per-user data folder
    (``~/.local/share/portabilite`` on Linux, ``~/Library/Application Support/portabilite`` on
    macOS, ``%LOCALAPPDATA%\\portabilite`` on Windows)."""
    env = os.environ.get(WORKSPACE_ENV)
    if env:
        return Path(env)
    return data_folder() / "workspace.sqlite3"


def data_folder() -> Path:
    """The per-user data folder, where the workspace and the files portabilite writes for the
    user (the reminder calendar) go by default."""
    import platformdirs

    return platformdirs.user_data_path("portabilite")


class Workspace:
    """An open workspace. ``Workspace.open(path)`` creates it (and its schema) when needed."""

    def __init__(self, path: Path, conn: sqlite3.Connection, created: bool) -> None:
        self.path = path
        self.conn = conn
        self.created = created  # this process made the file: a failed first import removes it

    @classmethod
    def open(
        cls, path: str | os.PathLike[str] | None = None, *, create: bool = True
    ) -> "Workspace":
        target = Path(path) if path is not None else default_workspace_path()
        existed = target.exists()
        if not existed and not create:
            raise NoArchiveImportedError("workspace.nothing_imported", path=str(target))
        try:
            if not existed:
                target.parent.mkdir(parents=True, exist_ok=True)
                # the person's follows, blocks, mutes and bios: readable by them only (SQLite
                # gives its -wal and -shm files the mode of the database file)
                os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
            make_private(target, f"{target}-wal", f"{target}-shm")
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise WorkspaceError(
                "workspace.unusable", path=str(target), reason=because(exc)
            ) from None
        workspace = cls(target, conn, created=not existed)
        try:
            workspace._configure()
            workspace._migrate()
        except BaseException:
            workspace.close()
            if not existed:
                workspace.discard()
            raise
        return workspace

    def _configure(self) -> None:
        try:
            self.conn.execute("PRAGMA busy_timeout = 5000")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            # after a large import the write-ahead log is cut back to 64 MiB when checkpointed,
            # instead of keeping its gigabytes beside the workspace
            self.conn.execute("PRAGMA journal_size_limit = 67108864")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            self.conn.execute("PRAGMA cache_size = -131072")  # 128 MiB: bulk imports of 1M ids
            # sorts of millions of rows (a directory's sorted merge): helper threads, measured
            # 1.3x faster on two cores
            self.conn.execute(f"PRAGMA threads = {min(4, os.cpu_count() or 1)}")
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(
                "workspace.unusable", path=str(self.path), reason=because(exc)
            ) from None

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise WorkspaceVersionError(
                "workspace.too_new", path=str(self.path), version=version, supported=SCHEMA_VERSION
            )
        while version < SCHEMA_VERSION:
            with self.transaction():
                # read again under the write lock: another process (the web page's import and
                # a page view) may have migrated the file since
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    break
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: commits on success, rolls back on any exception (Ctrl-C included)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def spilling(self) -> Iterator["Workspace"]:
        """For bulk work whose temporary tables and sorts could outgrow memory (a directory of
        millions of rows): they go to temporary files, with SQLite's small default page cache
        (measured faster for such a sort than the 128 MiB one, and bounded). Changing where
        temporary data lives drops the connection's temporary tables: none may be open."""
        self.conn.execute("PRAGMA temp_store = FILE")
        self.conn.execute("PRAGMA cache_size = -2000")
        try:
            yield self
        finally:
            self._configure()

    def close(self) -> None:
        self.conn.close()

    def discard(self) -> None:
        """Remove a workspace file this process created (after a failed first import)."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{self.path}{suffix}")

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------
    def account(self) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT id, username, display_name, created_at, bio, website, location FROM account"
        ).fetchone()
        if row is None:
            return None
        keys = ("id", "username", "display_name", "created_at", "bio", "website", "location")
        return dict(zip(keys, row))

    def latest_import(self) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT id, imported_at, source, fingerprint, layout, generated_at, warnings, counts"
            " FROM archive_import ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        keys = ("id", "imported_at", "source", "fingerprint", "layout", "generated_at")
        result = dict(zip(keys, row[:6]))
        result["warnings"] = orjson.loads(row[6])
        result["counts"] = orjson.loads(row[7])
        return result

    def newest_generated_at(self) -> str | None:
        return self.conn.execute("SELECT max(generated_at) FROM archive_import").fetchone()[0]

    def active_ids(self, kind: str) -> set[str]:
        """The X ids of a relation now (``following``, ``follower``, ``block``, ``mute``)."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT x_id FROM relation WHERE kind = ? AND removed_import IS NULL", (kind,)
            )
        }

    def active_count(self, kind: str) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM relation WHERE kind = ? AND removed_import IS NULL", (kind,)
        ).fetchone()[0]

    def counts(self) -> dict[str, Any]:
        """What the workspace holds now (removed rows left out), and under ``expected`` what
        the newest archive announced it held: ``{"following": {"count": 81, "missing":
        ["data/following.js"]}}`` (kinds it announced nothing for are left out)."""
        latest = self.latest_import()
        tweets = int(latest["counts"].get("tweets", 0)) if latest else 0
        q = self.conn.execute
        return {
            "following": self.active_count("following"),
            "followers": self.active_count("follower"),
            "blocks": self.active_count("block"),
            "mutes": self.active_count("mute"),
            "lists": q("SELECT count(*) FROM x_list WHERE removed_import IS NULL").fetchone()[0],
            "tweets": tweets,
            # named by the user's tweets (a hints file's names count as named, not here)
            "handle_hints": q(
                "SELECT count(*) FROM handle_hint WHERE source NOT LIKE 'hints:%'"
            ).fetchone()[0],
            "following_named": q(
                "SELECT count(*) FROM relation r JOIN handle_hint h ON h.x_id = r.x_id"
                " WHERE r.kind = 'following' AND r.removed_import IS NULL"
            ).fetchone()[0],
            "expected": dict(latest["counts"].get("expected") or {}) if latest else {},
        }


def _statements(script: str) -> list[str]:
    """Split a migration into statements (``executescript`` would commit our transaction)."""
    statements, current = [], []
    for line in script.splitlines():
        stripped = line.split("--", 1)[0].rstrip()
        if not stripped:
            continue
        current.append(stripped)
        if stripped.endswith(";"):
            statement = "\n".join(current).strip()
            if sqlite3.complete_statement(statement):
                statements.append(statement)
                current = []
    if current:
        statements.append("\n".join(current))
    return statements
