"""Files holding a person's graph, plans or sessions are readable by them only (0600),
whatever the umask: the workspace and its -wal/-shm, the Mastodon CSV, the reminder calendar."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from portabilite import Workspace, import_archive
from portabilite._files import write_private
from portabilite.cli import cli

from .conftest import ROOT


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default: files 0644 unless we say otherwise
    yield
    os.umask(old)


def test_the_workspace_and_its_journal_files_are_private(tmp_path, open_umask):
    path = tmp_path / "w.sqlite3"
    import_archive(ROOT / "examples" / "fictional-archive.zip", path)
    with Workspace.open(path) as ws:
        ws.conn.execute("SELECT count(*) FROM relation").fetchone()
        for name in (path, f"{path}-wal", f"{path}-shm"):
            assert mode(name) == 0o600, name


def test_an_older_workspace_is_made_private_when_opened(tmp_path, open_umask):
    path = tmp_path / "w.sqlite3"
    import_archive(ROOT / "examples" / "fictional-archive.zip", path)
    os.chmod(path, 0o644)
    with Workspace.open(path):
        pass
    assert mode(path) == 0o600


def test_written_files_are_private_and_whole(tmp_path, open_umask):
    target = tmp_path / "plan.csv"
    write_private(target, "a,b\n")
    assert mode(target) == 0o600 and target.read_text() == "a,b\n"
    write_private(target, b"c\n")  # replaced whole, still private
    assert mode(target) == 0o600 and target.read_bytes() == b"c\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]  # no temporary left behind


def test_mastodon_csv_is_private(tmp_path, open_umask):
    ws = tmp_path / "w.sqlite3"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["import", str(ROOT / "examples" / "fictional-archive.zip"), "-w", str(ws)]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            cli, ["directory", "import", str(ROOT / "examples" / "directory.csv"), "-w", str(ws)]
        ).exit_code
        == 0
    )
    csv_path = tmp_path / "follows.csv"
    result = runner.invoke(
        cli, ["follow", "--dry-run", "--mastodon-csv", str(csv_path), "-w", str(ws)]
    )
    assert result.exit_code == 0, result.output
    assert mode(csv_path) == 0o600
