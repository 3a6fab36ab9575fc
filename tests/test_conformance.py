"""Every real archive in ../shared/real-archives reads, and agrees with its own manifest.

These are real people's published archives: read in place, never copied into the project.
"""

from __future__ import annotations

import pytest

from portabilite import import_archive, open_archive
from portabilite.archive import DATA_TYPES, RELATIONS

pytestmark = pytest.mark.conformance

EXPECTED = [
    "2018-08_natalieacpm-na",
    "2020-04_denchi-lumeninferius",
    "2021-03_larsbrinkhoff",
    "2021-05_MorangTheClang-Twitter2",
    "2021-06_MorangTheClang-Twitter2",
    "2021-11_kglibrarian-RTIatMLA",
    "2022-04_larsbrinkhoff",
    "2022-10_ethereumclassic-USER-EDITED",
    "2022-10_larsbrinkhoff",
    "2022-11_andreruffert",
    "2023-08_larsbrinkhoff",
    "2024-11_alrocar-x",
    "2025-01_AlliePinnell",
    "2025-12_ajitg25",
    "2026-07_Ezilryb-X",
    "pre2018_grailbird_06b",
]


@pytest.fixture
def archives(shared_dir):
    root = shared_dir / "real-archives"
    found = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert set(EXPECTED) <= set(found), "an archive this test knows is gone from ../shared"
    return root


def _read(path):
    with open_archive(path) as a:
        account = a.account()
        ids = {kind: list(a.iter_ids(kind)) for kind in RELATIONS}
        tweets, hints = a.count_and_hints(account.id)
        declared = {kind: a.declared_count(kind) for kind in DATA_TYPES}
        lists, changes, profile = a.lists(), a.screen_name_changes(), a.profile()
        return (
            a.layout,
            account,
            ids,
            tweets,
            hints,
            declared,
            list(a.warnings),
            lists,
            changes,
            profile,
        )


@pytest.mark.parametrize("name", EXPECTED)
def test_each_real_archive_parses_and_matches_its_manifest(archives, name):
    layout, account, ids, tweets, hints, declared, warnings, lists, changes, _ = _read(
        archives / name
    )
    assert account.id.isdigit() and account.username
    assert layout == (
        "root-2018"
        if name.startswith("2018")
        else "grailbird"
        if name.startswith("pre2018")
        else "data"
    )
    for kind, values in ids.items():
        assert all(isinstance(x, str) and x.isdigit() for x in values)
        if declared[kind] is not None and "USER-EDITED" not in name:
            assert len(values) == declared[kind], kind
    for kind in ("tweets", "deleted_tweets", "community_tweets", "note_tweets"):
        if declared[kind] is not None:
            assert tweets[kind] == declared[kind], kind
    for hint in hints.values():
        assert isinstance(hint.x_id, str) and hint.x_id != "-1" and hint.screen_name


def test_known_facts_of_real_archives(archives):
    _, acc, ids, tweets, hints, *_ = _read(archives / "2026-07_Ezilryb-X")
    assert (acc.id, acc.username) == ("2043360286044766208", "BetaCapitalWEB")
    assert (len(ids["following"]), len(ids["follower"]), len(ids["block"])) == (72, 102, 1)
    assert tweets["tweets"] == 1737
    named = [x for x in ids["following"] if x in hints]
    assert len(named) >= 40  # 48 of 72 today: the hints name most of the followings

    layout, acc, ids, _, _, _, _, lists, changes, _ = _read(archives / "2018-08_natalieacpm-na")
    assert acc.created_at == "2012-09-04T21:10:19Z"  # epoch milliseconds
    assert len(changes) == 15 and changes[0].changed_at == "2012-09-06T09:17:19Z"  # epoch seconds
    assert len(ids["follower"]) == 13816 and len(ids["following"]) == 495
    assert any(x.url.endswith("favess-\U0001f48b") for x in lists)  # surrogate pair decoded

    *_, warnings, _, _, _ = _read(archives / "2022-10_ethereumclassic-USER-EDITED")
    _, acc, *_ = _read(archives / "2022-10_ethereumclassic-USER-EDITED")
    assert acc.username == "eth_classic"  # account.js (Prettier-edited) wins over the manifest


def test_user_edited_archive_imports_and_says_the_counts_disagree(archives, tmp_path):
    result = import_archive(
        archives / "2022-10_ethereumclassic-USER-EDITED", tmp_path / "w.sqlite3"
    )
    codes = {(w["code"], w.get("file")) for w in result.archive["warnings"]}
    assert ("archive.count_mismatch", "data/block.js") in codes  # manifest 145, file emptied
    assert result.account["username"] == "eth_classic"


def test_grailbird_is_recognised_and_explained(archives, tmp_path):
    result = import_archive(archives / "pre2018_grailbird_06b", tmp_path / "w.sqlite3")
    assert result.archive["layout"] == "grailbird"
    assert result.account["username"] == "06b"
    assert result.counts["following"] == 0 and result.counts["tweets"] > 0
    assert result.archive["warnings"][0]["code"] == "archive.grailbird_no_follows"


@pytest.mark.parametrize("name", EXPECTED)
def test_each_real_archive_imports_through_the_cli(archives, tmp_path, name):
    from click.testing import CliRunner

    from portabilite.cli import cli

    result = CliRunner().invoke(
        cli, ["import", str(archives / name), "-w", str(tmp_path / "w.sqlite3"), "--json"]
    )
    assert result.exit_code == 0, result.output


def test_what_is_missing_is_said_plainly(archives, tmp_path):
    """The pre-2018 archive announces 20,930 tweets and holds 227 of them; the 2022 export
    lists data/following.js (81) but lacks it. Both say so, with what to do."""
    from click.testing import CliRunner

    from portabilite.cli import cli

    grailbird = import_archive(archives / "pre2018_grailbird_06b", tmp_path / "g.sqlite3")
    tweets = grailbird.counts["expected"]["tweets"]
    assert tweets["count"] == 20930 and grailbird.counts["tweets"] == 227
    assert len(tweets["missing"]) == 116
    runner = CliRunner()
    done = runner.invoke(
        cli, ["import", str(archives / "2022-10_larsbrinkhoff"), "-w", str(tmp_path / "l.sqlite3")]
    )
    assert done.exit_code == 0, done.output
    assert "Following 0 of 81 (data/following.js missing from this archive)" in done.output
    status = runner.invoke(cli, ["status", "-w", str(tmp_path / "g.sqlite3")])
    assert "Tweets 227 of 20,930" in status.output and "115 more" in status.output
    refused = runner.invoke(
        cli,
        [
            "import",
            "--require-follows",
            str(archives / "pre2018_grailbird_06b"),
            "-w",
            str(tmp_path / "r.sqlite3"),
        ],
    )
    assert refused.exit_code == 1 and "no list of the accounts you follow" in refused.output
    assert not (tmp_path / "r.sqlite3").exists()  # nothing written
