"""portabilite report: the figures of how portable the audience is (issue 14, first part)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from portabilite.cli import cli
from portabilite.report import sample_size, wilson

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_wilson_interval_against_known_values():
    # Wilson (1927); values as in Newcombe (1998), Table I, and the closed form
    low, high = wilson(5, 10)
    assert math.isclose(low, 0.2366, abs_tol=1e-4) and math.isclose(high, 0.7634, abs_tol=1e-4)
    low, high = wilson(0, 10)
    assert low == 0.0 and math.isclose(high, 0.2775, abs_tol=1e-4)
    low, high = wilson(10, 10)
    assert math.isclose(high, 1.0) and math.isclose(low, 0.7225, abs_tol=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_sample_size_for_a_margin():
    assert sample_size(0.05, 1_000_000) == 384  # the classic 384 for a large population
    assert sample_size(0.05, 1_000) == 278  # a finite population needs fewer
    assert sample_size(0.05, 43) == 39 and sample_size(0.05, 0) == 0


@pytest.fixture
def example(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ws = str(tmp_path / "w.sqlite3")
    runner = CliRunner()
    shutil.copy(EXAMPLES / "fictional-archive.zip", tmp_path / "a.zip")
    for args in (
        ["import", str(tmp_path / "a.zip")],
        ["directory", "import", str(EXAMPLES / "directory.csv")],
        ["match", "--offline"],
    ):
        assert runner.invoke(cli, ["-w", ws, *args]).exit_code == 0
    return ws


def test_report_on_the_example(example):
    result = CliRunner().invoke(cli, ["-w", example, "report", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    following = report["following"]
    assert following["total"] == 12
    # the directory proves five people: three on Bluesky, four on Mastodon, two on both
    assert following["anywhere"] == 5
    assert following["bluesky"]["confirmed"] == 3 and following["bluesky"]["probable"] == 1
    assert following["mastodon"]["confirmed"] == 4
    assert following["bluesky"]["not_found"] == 12 - 3 - 1
    assert following["instances"][0] == ["social.fictiveville.example", 2]
    share = report["portable"]["followers"]
    assert share["total"] == 43 and share["method"] == "known"
    low, high = share["interval_95"]
    assert low <= share["share"] <= high
    assert report["follows"]["mastodon"]["remaining"] == 4  # confirmed, not followed yet
    assert report["follows"]["mastodon"]["days_left"] == 1


def test_report_in_words_in_both_languages(example):
    en = CliRunner().invoke(cli, ["-w", example, "report"]).output
    fr = CliRunner().invoke(cli, ["-w", example, "--lang", "fr", "report"]).output
    assert "Accounts you follow: 12. Confirmed on Bluesky or Mastodon: 5 (41.7%)" in en
    assert (
        "Comptes que vous suivez\u00a0: 12. Confirmés sur Bluesky ou Mastodon\u00a0: 5 (41,7\u202f%)"
        in fr
    )
    assert "a lower bound" in en.lower() and "borne basse" in fr
    from tests.test_french import leaks

    assert not leaks(fr), leaks(fr)


def test_the_html_report_is_self_contained_private_and_french(example, tmp_path):
    import os
    import re
    import stat

    out = tmp_path / "rapport.html"
    result = CliRunner().invoke(cli, ["-w", example, "--lang", "fr", "report", "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # a person's audience: theirs only
    assert '<html lang="fr">' in page and "La portabilité de votre audience" in page
    assert page.count("<svg") == 3  # following, followers, the Mastodon servers
    assert "<script" not in page  # the page runs nothing
    assert "default-src 'none'" in page  # and says so to the browser
    # nothing fetched: the only addresses are the SVG namespaces and pygal's credit comment
    fetched = re.findall(r'(?:src|href)\s*=\s*"(?!#|data:)([^"]*)"', page)
    assert fetched == [], fetched
    assert "Comptes que vous suivez\u00a0: 12." in page


def test_the_html_report_escapes_what_others_wrote():
    from portabilite.report import render_html

    hostile = '<img src=x onerror="alert(1)">'
    empty = {"confirmed": 0, "probable": 0, "rejected": 0, "bridged": 0, "not_found": 1}
    audience = {
        "total": 1,
        "anywhere": 1,
        "bluesky": empty,
        "mastodon": {**empty, "confirmed": 1, "not_found": 0},
        "instances": [[hostile, 1]],
    }
    share = {"found": 1, "total": 1, "share": 1.0, "interval_95": [0.2, 1.0], "method": "known"}
    report = {
        "following": audience,
        "followers": audience,
        "portable": {"following": share, "followers": share},
        "follows": {},
        "posts": {},
        "reserve": {},
    }
    page = render_html(report, {"username": "ville", "display_name": "<script>x()</script>"}, "en")
    assert "<script" not in page and hostile not in page and "<img" not in page
    assert "&lt;img src=x" in page  # the server's name is shown, as text
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
