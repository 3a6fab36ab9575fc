"""The matching commands on the bundled example, offline: directory, match, matches, review."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from portabilite.cli import cli

from .conftest import ROOT


@pytest.fixture
def ws(tmp_path):
    path = tmp_path / "w.sqlite3"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["import", str(ROOT / "examples" / "fictional-archive.zip"), "-w", str(path)]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        cli, ["directory", "import", str(ROOT / "examples" / "directory.csv"), "-w", str(path)]
    )
    assert result.exit_code == 0 and "8 mappings read, 8 new" in result.output
    return path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_match_offline_then_every_format(ws):
    result = run("match", "--offline", "-w", str(ws))
    assert result.exit_code == 0
    assert "Bluesky: 3 confirmed, 1 to review, 0 rejected" in result.output
    assert "Mastodon: 4 confirmed, 0 to review, 0 rejected" in result.output
    rows = json.loads(run("matches", "--format", "json", "-w", str(ws)).output)
    assert {r["network"] for r in rows} == {"bluesky", "mastodon"}
    for row in rows:  # the output contract
        assert set(row) >= {
            "x_id",
            "x_handle",
            "network",
            "account",
            "bridged",
            "status",
            "score",
            "evidence",
        }
        assert all(set(e) >= {"kind", "detail", "weight"} for e in row["evidence"])
    table = list(
        csv.DictReader(io.StringIO(run("matches", "--format", "csv", "-w", str(ws)).output))
    )
    assert len(table) == len(rows) and table[0]["status"] in ("confirmed", "probable")
    assert "@camille_exemple" in run("matches", "-w", str(ws)).output
    only = json.loads(
        run(
            "matches",
            "--format",
            "json",
            "--network",
            "mastodon",
            "--status",
            "confirmed",
            "-w",
            str(ws),
        ).output
    )
    assert len(only) == 4 and all(r["network"] == "mastodon" for r in only)
    followers = json.loads(run("matches", "--format", "json", "--followers", "-w", str(ws)).output)
    assert {r["x_handle"] for r in followers} <= {
        "camille_exemple",
        "mediatheque_fictiveville",
        "lea_modele",
    }
    status = json.loads(run("status", "--json", "-w", str(ws)).output)
    assert status["matches"]["bluesky"] == {"confirmed": 3, "probable": 1, "rejected": 0}


def test_review_interactive_resumes_and_by_id(ws):
    run("match", "--offline", "-w", str(ws))
    quit_first = CliRunner().invoke(cli, ["review", "-w", str(ws)], input="q\n")
    assert "[1/1] X @lea_modele" in quit_first.output and "0 accepted" in quit_first.output
    accepted = CliRunner().invoke(cli, ["review", "-w", str(ws)], input="a\n")
    assert "1 accepted, 0 rejected" in accepted.output
    assert "Nothing left to review" in run("review", "-w", str(ws)).output
    rows = json.loads(run("matches", "--format", "json", "-w", str(ws)).output)
    lea = next(r for r in rows if r["x_handle"] == "lea_modele")
    assert lea["status"] == "confirmed" and lea["decision"] == "accepted"
    assert run("match", "--offline", "-w", str(ws)).exit_code == 0  # a re-run keeps the decision
    assert (
        next(
            r
            for r in json.loads(run("matches", "--format", "json", "-w", str(ws)).output)
            if r["x_handle"] == "lea_modele"
        )["decision"]
        == "accepted"
    )
    rejected = run("review", "--reject", str(lea["id"]), "-w", str(ws))
    assert "0 accepted, 1 rejected" in rejected.output
    bad = CliRunner().invoke(cli, ["review", "--accept", "9999", "-w", str(ws)])
    assert bad.exit_code == 1 and "No match has the id 9999" in bad.output


def test_review_by_id_is_all_or_nothing_and_refuses_contradictions(ws):
    run("match", "--offline", "-w", str(ws))
    rows = json.loads(run("matches", "--format", "json", "-w", str(ws)).output)
    first = str(rows[0]["id"])
    both = CliRunner().invoke(cli, ["review", "--accept", first, "--reject", first, "-w", str(ws)])
    assert both.exit_code == 2 and f"both name {first}" in both.output
    french = CliRunner().invoke(
        cli, ["--lang", "fr", "review", "--accept", first, "--reject", first, "-w", str(ws)]
    )
    assert french.exit_code == 2 and "Rien n'a été enregistré" in french.output
    partly = CliRunner().invoke(
        cli, ["review", "--accept", first, "--accept", "9999", "-w", str(ws)]
    )
    assert partly.exit_code == 1 and "9999" in partly.output
    after = json.loads(run("matches", "--format", "json", "-w", str(ws)).output)
    assert all(r["decision"] is None for r in after)  # nothing recorded, not even the first


def test_bad_directory_is_one_line_exit_1(ws, tmp_path):
    (tmp_path / "bad.csv").write_text("x_id,bluesky\n12x,me.bsky.social\n")
    result = CliRunner().invoke(
        cli, ["directory", "import", str(tmp_path / "bad.csv"), "-w", str(ws)]
    )
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "row 2" in result.output


def test_matching_commands_in_french(ws):
    result = CliRunner().invoke(cli, ["--lang", "fr", "match", "--offline", "-w", str(ws)])
    assert "confirmés" in result.output and "à vérifier" in result.output


def test_an_empty_list_says_why(ws):
    assert "No matches yet" in run("matches", "-w", str(ws)).output
    run("match", "--offline", "-w", str(ws))
    none = run("matches", "--status", "rejected", "--network", "mastodon", "-w", str(ws))
    assert "No match with these filters" in none.output and "run 'portabilite match'" not in (
        none.output
    )
    assert "4 confirmed" in none.output  # and what there is
