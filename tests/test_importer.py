"""Archive → workspace: one transaction, idempotent, updates with newer archives."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from portabilite import (
    AccountMismatchError,
    NoArchiveImportedError,
    OlderArchiveError,
    Workspace,
    WorkspaceVersionError,
    import_archive,
    status,
)
from portabilite.archive.synthetic import ArchiveWriter
from portabilite.errors import ArchiveParseError

from .conftest import fictional_writer


def dump(path) -> list:
    """Every row of every table: the workspace's whole state."""
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]
    state = [(t, sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)) for t in tables]
    conn.close()
    return state


def test_first_import_counts(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "a.zip")
    result = import_archive(tmp_path / "a.zip", ws_path)
    assert result.counts == {
        "following": 5,
        "followers": 7,
        "blocks": 1,
        "mutes": 1,
        "lists": 1,
        "tweets": 2,
        "handle_hints": 2,
        "following_named": 2,
        # what the manifest announces, and the files it lists that are missing
        "expected": {
            kind: {"count": n, "missing": []}
            for kind, n in (
                ("following", 5),
                ("followers", 7),
                ("blocks", 1),
                ("mutes", 1),
                ("tweets", 2),
            )
        },
    }
    assert result.account["id"] == writer.account_id
    assert result.archive["layout"] == "data"
    assert not result.unchanged and result.changes == {}
    with Workspace.open(ws_path, create=False) as ws:
        assert status(ws)["counts"] == result.counts
        mode = ws.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_same_archive_twice_changes_nothing(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    before = dump(ws_path)
    again = import_archive(tmp_path / "a.zip", ws_path)
    assert again.unchanged
    assert dump(ws_path) == before
    # the same content as a folder is a different container but the same facts
    writer.write_folder(tmp_path / "folder")
    result = import_archive(tmp_path / "folder", ws_path)
    assert all(c == {"added": 0, "removed": 0} for c in result.changes.values())
    assert result.counts == again.counts


def test_newer_archive_adds_and_marks_removed(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "old.zip")
    import_archive(tmp_path / "old.zip", ws_path)
    gone, kept = writer.following[0], writer.following[1:]
    writer.following = kept + ["1500000000000000077", "1500000000000000078"]
    writer.generated_at = "2026-11-01T08:00:00.000Z"
    writer.add_tweet("9", "2026-10-20T00:00:00Z", "@renamed0", mentions=[(gone, "renamed0", "R")])
    writer.write_zip(tmp_path / "new.zip")
    result = import_archive(tmp_path / "new.zip", ws_path)
    assert result.changes["following"] == {"added": 2, "removed": 1}
    assert result.changes["followers"] == {"added": 0, "removed": 0}
    assert result.counts["following"] == 6
    with Workspace.open(ws_path) as ws:
        row = ws.conn.execute(
            "SELECT removed_import FROM relation WHERE kind='following' AND x_id=?", (gone,)
        ).fetchone()
        assert row[0] is not None  # marked, never deleted
        hint = ws.conn.execute(
            "SELECT screen_name FROM handle_hint WHERE x_id=?", (gone,)
        ).fetchone()
        assert hint[0] == "renamed0"
        names = ws.conn.execute(
            "SELECT screen_name FROM handle_hint_name WHERE x_id=? ORDER BY 1", (gone,)
        ).fetchall()
        assert names == [("ami0",), ("renamed0",)]
    # a follow that comes back is active again
    writer.following.append(gone)
    writer.generated_at = "2026-11-15T08:00:00.000Z"
    writer.write_zip(tmp_path / "newer.zip")
    assert import_archive(tmp_path / "newer.zip", ws_path).changes["following"] == {
        "added": 1,
        "removed": 0,
    }


def test_older_archive_is_refused_untouched(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "new.zip")
    import_archive(tmp_path / "new.zip", ws_path)
    before = dump(ws_path)
    writer.generated_at = "2025-01-01T00:00:00.000Z"
    writer.following = writer.following[:1]
    writer.write_zip(tmp_path / "old.zip")
    with pytest.raises(OlderArchiveError, match="before the one already imported"):
        import_archive(tmp_path / "old.zip", ws_path)
    assert dump(ws_path) == before


def test_another_accounts_archive_is_refused(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    before = dump(ws_path)
    other = ArchiveWriter("1500000000000099999", "quelqu_un", "Quelqu'un d'autre")
    other.write_zip(tmp_path / "b.zip")
    with pytest.raises(AccountMismatchError, match="belongs to @quelqu_un"):
        import_archive(tmp_path / "b.zip", ws_path)
    assert dump(ws_path) == before


def test_failure_mid_import_leaves_workspace_exactly_as_before(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    before = dump(ws_path)
    import zipfile

    writer.generated_at = "2026-12-01T00:00:00.000Z"
    writer.following.append("1500000000000000055")
    writer.write_zip(tmp_path / "b.zip")
    with zipfile.ZipFile(
        tmp_path / "b.zip", "a"
    ) as zf:  # broken data after the follows were written
        zf.writestr("data/tweets-part9.js", "window.YTD.tweets.part9 = [ {oops ]")
    with pytest.raises(ArchiveParseError, match="tweets-part9.js"):
        import_archive(tmp_path / "b.zip", ws_path)
    assert dump(ws_path) == before


def test_failed_first_import_leaves_no_workspace(tmp_path, writer, ws_path):
    import zipfile

    writer.write_zip(tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip", "a") as zf:
        zf.writestr("data/follower-part1.js", "window.YTD.follower.part1 = [ {x ]")
    with pytest.raises(ArchiveParseError):
        import_archive(tmp_path / "a.zip", ws_path)
    assert not ws_path.exists()
    assert not os.path.exists(f"{ws_path}-wal")


def test_status_without_import(ws_path):
    with pytest.raises(NoArchiveImportedError):
        Workspace.open(ws_path, create=False)
    assert not ws_path.exists()


def test_workspace_from_a_newer_portabilite_is_refused(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    conn = sqlite3.connect(ws_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(WorkspaceVersionError, match="newer portabilite"):
        Workspace.open(ws_path)


def test_not_a_workspace_file(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    from portabilite import WorkspaceError

    with pytest.raises(WorkspaceError, match="cannot be used"):
        Workspace.open(bad)


def test_progress_is_reported(tmp_path, writer, ws_path):
    writer.write_zip(tmp_path / "a.zip")
    seen = []
    import_archive(
        tmp_path / "a.zip", ws_path, progress=lambda done, total: seen.append((done, total))
    )
    assert seen and seen[-1][0] >= seen[0][0] and seen[-1][1] > 0


def test_sigkill_mid_import_leaves_previous_state(tmp_path, ws_path):
    """A real crash: the import process is killed with SIGKILL at random points."""
    small = fictional_writer()
    small.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    before = dump(ws_path)
    big = fictional_writer(n_following=2000, n_followers=300_000)
    big.generated_at = "2026-12-01T00:00:00.000Z"
    big.write_zip(tmp_path / "big.zip")
    rng = random.Random(7)
    killed_mid_way = 0
    for _ in range(3):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portabilite",
                "import",
                str(tmp_path / "big.zip"),
                "-w",
                str(ws_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_mid_way += 1
        proc.wait()
        if proc.returncode == -signal.SIGKILL:
            assert dump(ws_path) == before
    assert killed_mid_way, "the import finished before any kill: make the archive bigger"
    result = import_archive(tmp_path / "big.zip", ws_path)  # and a re-run completes
    assert result.counts["followers"] == 300_000


def test_an_older_workspace_is_migrated_keeping_its_data(tmp_path, writer, ws_path):
    from portabilite.workspace import SCHEMA_VERSION
    from portabilite.workspace._schema import MIGRATIONS
    from portabilite.workspace._store import _statements

    conn = sqlite3.connect(ws_path)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO account (id, username, updated_at) VALUES (?, 'exemple_owner', 'x')",
        (writer.account_id,),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Workspace.open(ws_path) as ws:
        assert ws.schema_version == SCHEMA_VERSION >= 2
        assert ws.account()["username"] == "exemple_owner"
        assert ws.conn.execute("SELECT count(*) FROM budget_spend").fetchone()[0] == 0
    writer.write_zip(tmp_path / "a.zip")
    assert import_archive(tmp_path / "a.zip", ws_path).counts["following"] == 5


def test_a_listed_file_that_is_missing_is_counted_as_expected(tmp_path, writer):
    import zipfile

    writer.write_zip(tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        members = {n: z.read(n) for n in z.namelist() if n != "data/following.js"}
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    result = import_archive(tmp_path / "b.zip", tmp_path / "w.sqlite3")
    assert result.counts["following"] == 0
    assert result.counts["expected"]["following"] == {
        "count": 5,
        "missing": ["data/following.js"],
    }
    from portabilite.errors import NotAnArchiveError

    with pytest.raises(NotAnArchiveError, match="no list of the accounts you follow"):
        import_archive(tmp_path / "b.zip", tmp_path / "x.sqlite3", require_follows=True)
    assert not (tmp_path / "x.sqlite3").exists()


def test_openers_of_a_new_workspace_at_once_migrate_it_once(tmp_path):
    """The web page reads the workspace while its import creates it: every opener waits for
    the one migrating instead of running the same migration again ("table exists")."""
    import threading

    from portabilite.workspace import SCHEMA_VERSION, Workspace

    path = tmp_path / "w.sqlite3"
    Workspace.open(path).close()
    import sqlite3

    with sqlite3.connect(path) as db:  # as a file just created, not migrated yet
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            db.execute(f"DROP TABLE {name}")
        db.execute("PRAGMA user_version = 0")
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def opener() -> None:
        start.wait()
        try:
            Workspace.open(path).close()
        except BaseException as exc:  # noqa: B036 - collected for the assertion
            failures.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with Workspace.open(path) as ws:
        assert ws.schema_version == SCHEMA_VERSION
