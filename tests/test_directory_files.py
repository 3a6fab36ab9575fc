"""Directory files as communities make them: French spreadsheets, bad rows, millions of rows."""

from __future__ import annotations

import tracemalloc

import pytest
from click.testing import CliRunner

from portabilite import Workspace, import_archive
from portabilite.cli import cli
from portabilite.errors import DirectoryError
from portabilite.matching import import_directory

from .conftest import fictional_writer


@pytest.fixture
def ws_path(tmp_path):
    fictional_writer().write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    return tmp_path / "w.sqlite3"


def test_a_french_spreadsheet_semicolons_bom_and_windows_1252(tmp_path, ws_path):
    text = "x_id;x_handle;mastodon;source\n1;mediatheque;@mediatheque@social.example;Médiathèque\n"
    (tmp_path / "utf8.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "excel.csv").write_bytes(text.replace("1;", "2;").encode("cp1252"))
    with Workspace.open(ws_path) as ws:
        assert import_directory(ws, tmp_path / "utf8.csv")["added"] == 1
        with pytest.raises(DirectoryError, match="--encoding cp1252"):
            import_directory(ws, tmp_path / "excel.csv")
        assert import_directory(ws, tmp_path / "excel.csv", encoding="cp1252")["added"] == 1
        sources = {r[0] for r in ws.conn.execute("SELECT source FROM directory_entry")}
    assert sources == {"Médiathèque"}  # the same, whichever encoding it came in


def test_a_bad_row_refuses_the_file_unless_asked_and_then_each_is_reported(tmp_path, ws_path):
    (tmp_path / "d.csv").write_text(
        "x_id,bluesky\n1,a.bsky.social\nabc,b.bsky.social\n3,not a handle\n4,d.bsky.social\n"
    )
    with Workspace.open(ws_path) as ws:
        with pytest.raises(DirectoryError, match="row 3"):
            import_directory(ws, tmp_path / "d.csv")
        assert ws.conn.execute("SELECT count(*) FROM directory_entry").fetchone()[0] == 0
        counts = import_directory(ws, tmp_path / "d.csv", skip_bad_rows=True)
    assert counts["added"] == 2 and counts["bad_count"] == 2
    assert [b["line"] for b in counts["bad"]] == [3, 4]
    done = CliRunner().invoke(
        cli, ["directory", "import", "--skip-bad-rows", str(tmp_path / "d.csv"), "-w", str(ws_path)]
    )
    assert done.exit_code == 0
    assert "d.csv, line 3: skipped" in done.output and "2 bad rows skipped" in done.output


def test_a_large_file_is_streamed_in_bounded_memory(tmp_path, monkeypatch):
    """The peak memory does not grow with the file: twice the rows, the same peak (batches,
    never the file or its rows at once)."""
    from portabilite.matching import _directory

    monkeypatch.setattr(_directory, "BATCH_ROWS", 5_000)
    peaks = {}
    for rows in (100_000, 200_000):
        path = tmp_path / f"big{rows}.csv"
        with open(path, "w") as fp:
            fp.write("x_id,bluesky\n")
            for i in range(rows):
                fp.write(f"{10**15 + i},user{i}.bsky.social\n")
        with Workspace.open(tmp_path / f"w{rows}.sqlite3") as ws:
            tracemalloc.start()
            try:
                counts = import_directory(ws, path)
                _, peaks[rows] = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert counts["added"] == rows
    assert peaks[200_000] < peaks[100_000] * 1.2
    assert peaks[200_000] < (tmp_path / "big200000.csv").stat().st_size / 2
