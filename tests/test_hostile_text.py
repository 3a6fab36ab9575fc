"""Text from archives and servers is hostile: it reaches no terminal as control sequences, no
Rich table as markup, no CSV cell as a formula, no calendar line raw."""

from __future__ import annotations

import csv
import io

import icalendar
from click.testing import CliRunner

from portabilite._escape import for_csv, for_ics, for_rich, for_terminal
from portabilite.cli import cli
from portabilite.i18n import t
from portabilite.reserve import calendar

from .conftest import fictional_writer

EVIL = "Ville\x1b]0;pwned\x07\x1b[2J\u202eexample\u202c [red]x[/red]\r\nFAKE: done"


def test_the_escapes():
    assert for_terminal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert for_terminal("line\nnext") == "line\\x0anext"
    assert for_terminal("line\nnext", inline=False) == "line\nnext"
    assert for_terminal("moi \u202egnp.exe") == "moi \\u{202e}gnp.exe"
    assert for_terminal("Léa 🦋 Modèle") == "Léa 🦋 Modèle"
    assert for_rich("[bold]x[/bold]") == "\\[bold]x\\[/bold]"
    for cell in ('=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert for_csv(cell) == "'" + cell
    assert for_csv("lea@piaille.example") == "lea@piaille.example"
    assert for_ics("a\r\nb\rc\nd;e,f") == "a\\nb\\nc\\nd\\;e\\,f"


def test_sentences_never_carry_control_sequences():
    text = t("cli.review.group", n=1, total=1, x_handle=EVIL, x_id="1", network="bluesky", count=1)
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text
    assert "\\x1b]0;pwned" in text  # shown, harmless


def test_import_status_and_matches_escape_what_the_archive_says(tmp_path):
    writer = fictional_writer(n_following=1, n_followers=0)
    writer.display_name = EVIL
    writer.tweets = []
    writer.add_tweet(
        "1900000000000000001",
        "2025-01-01T10:00:00Z",
        "@x",
        mentions=[(writer.following[0], "eviltwin", EVIL)],
    )
    writer.write_zip(tmp_path / "a.zip")
    ws = str(tmp_path / "w.sqlite3")
    runner = CliRunner()
    for args in (["import", str(tmp_path / "a.zip")], ["status"]):
        result = runner.invoke(cli, args + ["-w", ws])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\u202e" not in result.output
        assert "\\x1b" in result.output


def test_a_crafted_calendar_handle_breaks_no_line():
    text = calendar("evil\r\nUID:forged", lang="en")
    assert "\r\nUID:forged" not in text
    parsed = icalendar.Calendar.from_ical(text)
    assert [str(e["UID"]) for e in parsed.walk("VEVENT")][0].startswith("portabilite-reserve-evil")


def test_matches_csv_cells_are_never_formulas(tmp_path, monkeypatch):
    import portabilite.matching as matching

    rows = [
        {
            "id": 1,
            "x_id": "5",
            "x_handle": "=cmd|' /C calc'!A0",
            "network": "bluesky",
            "account": {"handle": "+evil.example", "did": "did:plc:x"},
            "bridged": False,
            "status": "confirmed",
            "score": 1.0,
            "evidence": [],
            "decision": None,
        }
    ]
    monkeypatch.setattr(matching, "list_matches", lambda ws, **kw: rows)
    writer = fictional_writer()
    writer.write_zip(tmp_path / "a.zip")
    ws = str(tmp_path / "w.sqlite3")
    CliRunner().invoke(cli, ["import", str(tmp_path / "a.zip"), "-w", ws])
    result = CliRunner().invoke(cli, ["matches", "--format", "csv", "-w", ws])
    cells = list(csv.reader(io.StringIO(result.output)))[1]
    assert cells[2] == "'=cmd|' /C calc'!A0" and cells[4] == "'+evil.example"
    table = CliRunner().invoke(cli, ["matches", "-w", ws])
    assert "=cmd" in table.output
