"""What the reader extracts, for every layout X has used."""

from __future__ import annotations

import zipfile

import pytest

from portabilite import open_archive
from portabilite.errors import ArchiveParseError


def test_data_layout_everything(tmp_path, writer):
    writer.screen_name_changes = [("2020-01-01T00:00:00.000Z", "old_name", "exemple_owner")]
    writer.lists_member = ["https://twitter.com/someone/lists/cool-people"]
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with open_archive(path) as a:
        assert a.layout == "data"
        assert a.generated_at == "2026-10-01T08:00:00Z"
        acc = a.account()
        assert (acc.id, acc.username, acc.display_name, acc.created_at) == (
            writer.account_id,
            "exemple_owner",
            "Propriétaire Exemple",
            "2012-06-15T09:30:00Z",
        )
        assert a.profile().bio == "Bio d'exemple"
        assert [c.changed_to for c in a.screen_name_changes()] == ["exemple_owner"]
        assert list(a.iter_ids("follower")) == writer.followers
        assert list(a.iter_ids("block")) == writer.blocks
        assert list(a.iter_ids("mute")) == writer.mutes
        lists = {(x.kind, x.owner, x.slug) for x in a.lists()}
        assert lists == {("created", "exemple_owner", "amis"), ("member", "someone", "cool-people")}
        counts, hints = a.count_and_hints(acc.id)
        assert counts["tweets"] == 2
        assert {h.screen_name for h in hints.values()} == {"ami0", "ami1"}
        assert all(isinstance(x, str) for x in a.iter_ids("following"))
        assert a.warnings == []


def test_root_2018_layout_epoch_dates_and_no_userlink(tmp_path, writer):
    writer.screen_name_changes = [("2012-09-06T09:17:19.000Z", "a", "b")]
    writer.lists_member = ["https://twitter.com/x/lists/one", "https://twitter.com/y/lists/two"]
    path = tmp_path / "a.zip"
    writer.write_zip(path, layout="root-2018", style="compact", tweet_file="tweet")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert "account.js" in names and not any(n.startswith("data/") for n in names)
        assert b'"createdAt" : "1339752600000"' in zf.read("account.js")
        assert b"userLink" not in zf.read("following.js")
    with open_archive(path) as a:
        assert a.layout == "root-2018"
        assert a.generated_at is None
        assert a.account().created_at == "2012-06-15T09:30:00Z"
        assert a.screen_name_changes()[0].changed_at == "2012-09-06T09:17:19Z"
        assert list(a.iter_ids("following")) == writer.following
        assert {x.slug for x in a.lists() if x.kind == "member"} == {"one", "two"}
        counts, hints = a.count_and_hints(a.account().id)
        assert counts["tweets"] == 2 and len(hints) == 2


def test_tweets_split_in_parts_are_all_read_in_order(tmp_path, writer):
    for i in range(25):
        writer.add_tweet(
            str(10**18 + i),
            f"2024-03-{i + 1:02d}T10:00:00Z",
            f"t{i} @p{i}",
            mentions=[(str(10**17 + i), f"p{i}", f"P {i}")],
        )
    path = tmp_path / "a.zip"
    writer.write_zip(path, tweets_per_part=10)
    with zipfile.ZipFile(path) as zf:
        assert {"data/tweets.js", "data/tweets-part1.js", "data/tweets-part2.js"} <= set(
            zf.namelist()
        )
        assert zf.read("data/tweets-part2.js").startswith(b"window.YTD.tweets.part2 = ")
    with open_archive(path) as a:
        counts, hints = a.count_and_hints(writer.account_id)
        assert counts["tweets"] == 27
        assert len(hints) == 27
        ids = [t["id_str"] for kind, _, t in a.iter_tweets()]
        assert ids == [t["id_str"] for t in writer.tweets]


def test_old_tweet_js_name(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path, tweet_file="tweet", style="compact")
    with open_archive(path) as a:
        assert a.count_and_hints(None)[0]["tweets"] == 2


def test_manifest_missing_files_found_by_name(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path, manifest=False)
    with open_archive(path) as a:
        assert a.layout == "data"
        assert list(a.iter_ids("following")) == writer.following
        assert [w.code for w in a.warnings] == ["archive.manifest_missing"]


def test_edited_manifest_unlisted_part_still_read(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(
            "data/following-part1.js",
            'window.YTD.following.part1 = [ {\n  "following" : {\n    "accountId" : "42"\n  }\n} ]',
        )
    with open_archive(path) as a:
        assert list(a.iter_ids("following")) == writer.following + ["42"]
        assert "archive.file_unlisted" in [w.code for w in a.warnings]


def test_listed_but_missing_file_is_a_warning(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(tmp_path / "b.zip", "w") as out:
        for name in zf.namelist():
            if name != "data/block.js":
                out.writestr(name, zf.read(name))
    with open_archive(tmp_path / "b.zip") as a:
        assert list(a.iter_ids("block")) == []
        assert [w.params for w in a.warnings if w.code == "archive.file_missing"] == [
            {"file": "data/block.js", "count": 1}
        ]


def test_hints_newest_name_wins_and_history_is_kept(tmp_path, writer):
    x = "1500000000000000010"
    writer.add_tweet("1", "2025-06-01T00:00:00Z", "@newname", mentions=[(x, "newname", "New")])
    writer.add_tweet("2", "2023-06-01T00:00:00Z", "@oldname", mentions=[(x, "oldname", "Old")])
    writer.add_tweet("3", "2025-07-01T00:00:00Z", "@ghost", mentions=[("-1", "ghost", "Ghost")])
    writer.add_tweet("4", "2025-08-01T00:00:00Z", "reply", reply_to=(x, "newname"))
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with open_archive(path) as a:
        _, hints = a.count_and_hints(writer.account_id)
    hint = hints[x]
    assert (hint.screen_name, hint.display_name, hint.last_seen) == (
        "newname",
        "New",
        "2025-08-01T00:00:00Z",
    )
    assert hint.source == "tweets.js#4"
    assert set(hint.names) == {"ami0", "oldname", "newname"}
    assert hint.names["oldname"][1:] == ("2023-06-01T00:00:00Z", "2023-06-01T00:00:00Z")
    assert "-1" not in hints
    assert writer.account_id not in hints


def test_grailbird_archive_identity_and_the_plain_warning(tmp_path):
    root = tmp_path / "tweets"
    (root / "data" / "js" / "tweets").mkdir(parents=True)
    (root / "data" / "js" / "user_details.js").write_text(
        'var user_details =  {\n  "screen_name" : "exemple_ancien",\n  "full_name" : "Ancien Exemple",\n'
        '  "id" : "30000001",\n  "created_at" : "2009-04-10 16:53:38 +0000"\n}'
    )
    (root / "data" / "js" / "payload_details.js").write_text(
        'var payload_details =  {\n  "tweets" : 1,\n  "created_at" : "2017-01-14 03:59:25 +0000"\n}'
    )
    (root / "data" / "js" / "tweets" / "2016_01.js").write_text(
        'Grailbird.data.tweets_2016_01 = \n [ {\n  "id_str" : "5",\n  "created_at" : "2016-01-02 10:00:00 +0000",\n'
        '  "entities" : {\n    "user_mentions" : [ {\n      "name" : "Ami",\n      "screen_name" : "ami",\n'
        '      "id_str" : "777"\n    } ]\n  },\n  "text" : "@ami hello"\n} ]'
    )
    with open_archive(root) as a:
        assert a.layout == "grailbird"
        assert a.generated_at == "2017-01-14T03:59:25Z"
        acc = a.account()
        assert (acc.id, acc.username) == ("30000001", "exemple_ancien")
        assert list(a.iter_ids("following")) == []
        counts, hints = a.count_and_hints(acc.id)
        assert counts["tweets"] == 1 and hints["777"].screen_name == "ami"
        (warning,) = a.warnings
        assert "no list of who you follow" in warning.message("en")
        assert "download_your_data" in warning.message("fr")


def test_bad_item_shape_names_file(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(
            "data/following-part1.js",
            'window.YTD.following.part1 = [ {"following": {"accountId": "abc"}} ]',
        )
    with (
        open_archive(path) as a,
        pytest.raises(ArchiveParseError, match="following-part1.js: entry 0"),
    ):
        list(a.iter_ids("following"))
