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
        "portable": {
            "following": share,
            "followers": share,
            "sample_for_margin": {"margin": 0.05, "size": 1},
        },
        "follows": {},
        "posts": {"mastodon": {"sent": 1, "queued": 0, "failed": 0}},
        "reserve": {"steps": {"bio": None, "post": "2026-11-30T10:00:00Z"}},
    }
    page = render_html(report, {"username": "ville", "display_name": "<script>x()</script>"}, "en")
    assert "<script" not in page and hostile not in page and "<img" not in page
    assert "&lt;img src=x" in page  # the server's name is shown, as text
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_the_report_always_says_when_to_log_in_to_x(example):
    en = CliRunner().invoke(cli, ["-w", example, "report"]).output
    # no login recorded: counted from the archive's date (2026-10-01 + 25 days), now past
    assert "Log in to X now to keep your handle: a login was due by 2026-10-26." in en
    assert CliRunner().invoke(cli, ["-w", example, "reserve", "--logged-in"]).exit_code == 0
    en = CliRunner().invoke(cli, ["-w", example, "report"]).output
    from datetime import date, timedelta

    due = (date.today() + timedelta(days=25)).isoformat()
    assert f"Next X login to keep your handle: by {due}." in en
    assert "Keeping your X handle: 0 of 5 steps done; still to do: the X bio" in en


def test_the_report_proposes_the_sample_a_margin_needs(example):
    report = json.loads(CliRunner().invoke(cli, ["-w", example, "report", "--json"]).output)
    assert report["portable"]["sample_for_margin"] == {"margin": 0.05, "size": 39}
    en = CliRunner().invoke(cli, ["-w", example, "report"]).output
    assert "check a random sample of 39 followers: portabilite report --sample 39" in en


# -- --sample N: followers drawn at random, read through the X API, looked up -------------------


def _x_login(tmp_path, monkeypatch, account_id):
    from portabilite.networks.x import OAuth1Credentials
    from portabilite.secrets import CredentialStore

    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_X_API", "https://api.x.example")
    CredentialStore(keyring_backend=None).save(
        "x",
        {
            **OAuth1Credentials(
                "ck-AAAAAAAA", "cs-BBBBBBBBBB", "at-CCCCCCCC", "as-DDDDDDDD"
            ).to_record(),
            "username": "VilleFictive",
            "id": account_id,
        },
    )


def _followers(ws_path):
    import sqlite3

    with sqlite3.connect(ws_path) as db:
        owner = db.execute("SELECT id FROM account").fetchone()[0]
        ids = [r[0] for r in db.execute("SELECT x_id FROM relation WHERE kind = 'follower'")]
    return owner, ids


def test_a_sample_is_priced_asked_read_once_and_estimates_the_share(example, tmp_path, monkeypatch):
    import sqlite3

    import httpx
    import respx

    owner, followers = _followers(example)
    _x_login(tmp_path, monkeypatch, owner)
    with respx.mock:
        respx.get("https://api.x.example/2/users/me").mock(
            return_value=httpx.Response(
                200, json={"data": {"id": owner, "username": "VilleFictive", "name": "Ville"}}
            )
        )

        def users(request):
            ids = request.url.params["ids"].split(",")
            assert len(ids) <= 100
            # one of them was deleted: X leaves it out of "data"
            data = [{"id": i, "username": f"u{i[-4:]}", "name": "N"} for i in ids[1:]]
            return httpx.Response(200, json={"data": data})

        route = respx.get(url__startswith="https://api.x.example/2/users?").mock(side_effect=users)
        # a script is never assumed to agree to a cost
        refused = CliRunner().invoke(cli, ["-w", example, "report", "--sample", "20"])
        assert refused.exit_code == 1 and "--yes" in refused.output and not route.called
        assert "20 followers drawn at random; 20 of their X profiles" in refused.output
        assert "about $0.20" in refused.output
        result = CliRunner().invoke(
            cli, ["-w", example, "report", "--sample", "20", "--yes", "--offline", "--json"]
        )
        assert result.exit_code == 0, result.output
        assert route.call_count == 1
        report = json.loads(result.stdout)
        share = report["portable"]["followers"]
        assert share["method"] == "sample" and share["total"] == 20
        with sqlite3.connect(example) as db:
            drawn = [r[0] for r in db.execute("SELECT x_id FROM audience_sample")]
            gone = db.execute("SELECT count(*) FROM audience_sample WHERE gone").fetchone()[0]
            found = db.execute(
                "SELECT count(DISTINCT x_id) FROM match WHERE status = 'confirmed' AND x_id IN"
                f" ({','.join('?' * len(drawn))})",
                drawn,
            ).fetchone()[0]
        assert len(set(drawn)) == 20 and set(drawn) <= set(followers) and gone == 1
        assert share["found"] == found
        low, high = share["interval_95"]
        assert low <= found / 20 <= high
        # the same sample again: nothing more to read, nothing billed
        again = CliRunner().invoke(cli, ["-w", example, "report", "--sample", "20", "--offline"])
        assert again.exit_code == 0, again.output
        assert route.call_count == 1
        assert "estimated from a random sample of 20" in again.output
        # other matches were left alone by the sample's look-up
        following = report["following"]
        assert following["anywhere"] == 5 and following["bluesky"]["probable"] == 1
        assert share["to_review"] >= 0 and "still to review" in again.output
        # an archive imported since the draw: the sample no longer stands for the audience
        with sqlite3.connect(example) as db:
            db.execute("UPDATE audience_sample SET drawn_at = '2000-01-01T00:00:00Z'")
        stale = CliRunner().invoke(cli, ["-w", example, "report", "--json"])
        followers = json.loads(stale.stdout)["portable"]
        assert followers["followers"]["method"] == "known" and followers["sample_stale"]
        said = CliRunner().invoke(cli, ["-w", example, "report"]).output
        assert "drawn before your last import" in said
        # drawn again: only the new members' profiles are read (and paid)
        redrawn = CliRunner().invoke(
            cli, ["-w", example, "report", "--sample", "20", "--yes", "--offline"]
        )
        assert redrawn.exit_code == 0, redrawn.output
        with sqlite3.connect(example) as db:
            now = {r[0] for r in db.execute("SELECT x_id FROM audience_sample")}
        fresh = len(now - set(drawn))
        assert f"20 followers drawn at random; {fresh} of their X profiles" in redrawn.output


def test_the_sample_is_drawn_at_random_among_all_followers(tmp_path):
    """Each follower as likely: over many draws of 10 among 43, every one is drawn and none
    far more often than the others (a chi-square bound, loose)."""
    from collections import Counter

    from portabilite import Workspace, import_archive
    from portabilite.report import draw_sample

    shutil.copy(EXAMPLES / "fictional-archive.zip", tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    seen: Counter[str] = Counter()
    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        for size in [10, 11] * 150:  # a new size draws anew
            seen.update(draw_sample(ws, size))
        assert draw_sample(ws, 1000) and len(draw_sample(ws, 1000)) == 43
    assert len(seen) == 43
    expected = sum(seen.values()) / 43
    chi2 = sum((n - expected) ** 2 / expected for n in seen.values())
    assert chi2 < 90  # 42 degrees of freedom: p < 1e-5 above 90


# -- --pdf: printed by the system's Chromium --------------------------------------------------


def test_the_report_prints_to_pdf_with_the_system_chromium(example, tmp_path):
    import os
    import stat

    from portabilite._chromium import find_chromium

    if find_chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Debian's chromium (.ci/run)")
        pytest.skip("no Chromium on this machine")
    out = tmp_path / "rapport.pdf"
    result = CliRunner().invoke(cli, ["-w", example, "--lang", "fr", "report", "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert "PDF écrit dans" in result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_without_chromium_pdf_says_how_to_get_it(example, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "r.pdf"
    html = tmp_path / "r.html"
    result = CliRunner().invoke(
        cli, ["-w", example, "report", "--pdf", str(out), "--html", str(html)]
    )
    assert result.exit_code == 1
    assert (
        "No Chromium or Chrome found" in result.output
        and "apt-get install chromium" in result.output
    )
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists() and not html.exists()  # nothing half-done


def test_a_sample_run_judges_an_account_shared_with_others_as_a_whole_run_does(tmp_path):
    """One Bluesky account proven for two followers: a whole run puts them to review; a run
    over one of them alone (the sample) must not confirm it again."""
    from portabilite import Workspace, import_archive
    from portabilite.matching import import_directory, list_matches, match_workspace
    from tests.conftest import fictional_writer

    writer = fictional_writer(n_following=2, n_followers=4)
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    one, other = writer.followers[:2]
    did = "did:plc:" + "a" * 24
    (tmp_path / "d.csv").write_text(f"x_id,bluesky\n{one},{did}\n{other},{did}\n")
    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)

        def statuses():
            return sorted(
                (m["x_id"], m["status"], m["score"]) for m in list_matches(ws, relation=None)
            )

        whole = statuses()
        assert {status for _, status, _ in whole} != {"confirmed"}  # the conflict is seen
        match_workspace(ws, only=[one])
        assert statuses() == whole


def test_a_folder_that_cannot_take_the_report_is_said_before_anything_is_done(example, tmp_path):
    missing = tmp_path / "no-such-folder" / "r.pdf"
    result = CliRunner().invoke(cli, ["-w", example, "report", "--pdf", str(missing)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == (
        f"Error: Cannot write the report to {missing}: no such file or folder."
    )


def test_a_chromium_that_fails_is_one_sentence_in_the_readers_language(
    example, tmp_path, monkeypatch
):
    failing = tmp_path / "chromium"
    failing.write_text("#!/bin/sh\necho 'some English log line' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PORTABILITE_CHROMIUM", str(failing))
    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(cli, ["-w", example, "--lang", "fr", "report", "--pdf", str(out)])
    assert result.exit_code == 1
    assert "Chromium s'est arrêté avec le code 3 sans imprimer" in result.output
    assert "English log" not in result.output and not out.exists()
    assert not list(tmp_path.glob(".portabilite-pdf-*"))  # its work folder is gone
