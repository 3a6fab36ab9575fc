"""Naming the followings the archive leaves unnamed: hints files, and the following list."""

from __future__ import annotations

import json

from click.testing import CliRunner

from portabilite import Workspace, import_archive
from portabilite.cli import cli
from portabilite.hints import following, import_hints

from .conftest import fictional_writer

BASE = 1_500_000_000_000_000_000


def world(tmp_path):
    writer = fictional_writer(n_following=6)
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    # ami0 (named by the archive), then four the archive leaves unnamed
    return path, [writer.following[0], *writer.following[2:]]


def test_every_format_is_read_and_bad_rows_are_reported_with_their_line(tmp_path):
    path, ids = world(tmp_path)
    (tmp_path / "following.txt").write_text(
        f"lea https://twitter.com/i/user/{ids[1]}\n"
        f"@sam https://twitter.com/intent/user?user_id={ids[2]}\n"
        "garbage\n"
    )
    (tmp_path / "h.csv").write_bytes(
        (f"\ufeffx_id;handle;name\n{ids[3]};noa_x;Noa Exemple\n12x;bad;\n").encode()
    )
    (tmp_path / "h.json").write_text(json.dumps({"hints": [{"x_id": ids[4], "handle": "@zoe"}]}))
    with Workspace.open(path) as ws:
        txt = import_hints(ws, tmp_path / "following.txt")
        csv_ = import_hints(ws, tmp_path / "h.csv")
        js = import_hints(ws, tmp_path / "h.json")
        rows = {r["x_id"]: r for r in following(ws)}
    assert (txt["read"], txt["bad"]) == (2, [{"line": 3, "reason": txt["bad"][0]["reason"]}])
    assert csv_["read"] == 1 and csv_["bad"][0]["line"] == 3  # the header is line 1
    assert js["read"] == js["added"] == 1
    assert [rows[i]["handle"] for i in ids] == ["ami0", "lea", "sam", "noa_x", "zoe"]
    assert rows[ids[3]]["display_name"] == "Noa Exemple"
    assert rows[ids[1]]["names"] == [
        {
            "name": "lea",
            "from": "hints",
            "file": "following.txt",
            "line": 1,
            "dated": rows[ids[1]]["names"][0]["dated"],
        }
    ]
    assert rows[ids[0]]["names"][0]["from"] == "tweets" and "tweet" in rows[ids[0]]["names"][0]
    assert rows[ids[2]]["link"] == f"https://x.com/i/user/{ids[2]}"


def test_a_hints_file_ranks_below_the_archive(tmp_path):
    path, ids = world(tmp_path)
    (tmp_path / "following.txt").write_text(f"someone_else https://twitter.com/i/user/{ids[0]}\n")
    with Workspace.open(path) as ws:
        assert import_hints(ws, tmp_path / "following.txt")["added"] == 0
        row = {r["x_id"]: r for r in following(ws)}[ids[0]]
    assert row["handle"] == "ami0"  # the archive's dated word stays
    assert {n["name"] for n in row["names"]} == {"ami0", "someone_else"}  # both seen
    # and a hint recorded before the archive is replaced by the archive's own
    path2 = tmp_path / "w2.sqlite3"
    writer = fictional_writer(n_following=5)
    writer.write_zip(tmp_path / "b.zip")
    import_archive(tmp_path / "b.zip", path2)
    with Workspace.open(path2) as ws:
        ws.conn.execute("DELETE FROM handle_hint")
        ws.conn.execute("DELETE FROM handle_hint_name")
        ws.conn.commit()
        import_hints(ws, tmp_path / "following.txt")
    writer.add_tweet(
        str(BASE + 6000), "2025-01-02T10:00:00Z", "@ami0", mentions=[(ids[0], "ami0", "A")]
    )
    writer.write_zip(tmp_path / "c.zip")
    import_archive(tmp_path / "c.zip", path2)
    with Workspace.open(path2) as ws:
        assert {r["x_id"]: r for r in following(ws)}[ids[0]]["handle"] == "ami0"


def test_the_commands(tmp_path):
    path, ids = world(tmp_path)
    (tmp_path / "h.csv").write_text(f'x_id,handle,name\n{ids[1]},lea,=HYPERLINK("x")\n')
    runner = CliRunner()
    done = runner.invoke(cli, ["hints", "import", str(tmp_path / "h.csv"), "-w", str(path)])
    assert done.exit_code == 0 and "1 account read, 1 named" in done.output
    listed = runner.invoke(cli, ["following", "--format", "csv", "-w", str(path)])
    assert listed.exit_code == 0
    assert "'=HYPERLINK" in listed.output  # a cell from someone else is never a formula
    table = runner.invoke(cli, ["following", "-w", str(path)])
    status = runner.invoke(cli, ["status", "--json", "-w", str(path)])
    counts = json.loads(status.output)["counts"]
    assert counts["following_named"] == 3  # ami0, ami1 from the tweets, lea from the file
    assert counts["handle_hints"] == 2  # what the tweets name: the sentence says "your tweets"
    assert "3 of 6 named" in table.output and f"https://x.com/i/user/{ids[4]}" in table.output
    missing = runner.invoke(cli, ["hints", "import", str(tmp_path / "nope.csv"), "-w", str(path)])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
