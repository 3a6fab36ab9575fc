"""The matcher: evidence rules, ambiguous worlds, directories, cache and decisions."""
from __future__ import annotations

import json

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from portabilite import Workspace, import_archive
from portabilite.errors import DirectoryError, MatchError
from portabilite.matching import (KINDS, Evidence, decide, find_bluesky, find_mastodon,
                                  import_directory, list_matches, match_workspace,
                                  normalize_mastodon, status_of)
from portabilite.networks import HostGuard
from portabilite.networks.bluesky import BlueskyClient

from .conftest import fictional_writer

APPVIEW = "https://appview.example"
B = 1_500_000_000_000_000_000


def did(n: int) -> str:
    return "did:plc:" + "abcdefghijklmnopqrstuvwx"[: 24 - len(str(n))] + "".join("234567"[int(c) % 6] for c in str(n))


# -- the rules ---------------------------------------------------------------------------------

@given(st.lists(st.sampled_from([k for k, w in KINDS.items() if w < 0.8]), max_size=8))
def test_without_strong_evidence_nothing_is_ever_confirmed(kinds):
    _, status = status_of([Evidence.of(k) for k in kinds])
    assert status != "confirmed"


def test_display_name_alone_is_never_confirmed():
    for n in range(1, 6):
        assert status_of([Evidence.of("name_match", name=f"n{i}") for i in range(n)])[1] != "confirmed"


@pytest.mark.parametrize("kinds, expected", [
    (["directory_x_id"], "confirmed"),
    (["back_link", "handle_guess"], "confirmed"),
    (["handle_guess", "name_match"], "probable"),
    (["directory_x_handle"], "probable"),
    (["handle_guess", "name_mismatch"], "rejected"),
    (["back_link", "impersonation_label"], "rejected"),
    (["directory_x_id", "account_unavailable"], "rejected"),
    (["search_hit"], "rejected"),
])
def test_rules(kinds, expected):
    assert status_of([Evidence.of(k) for k in kinds])[1] == expected


def test_every_evidence_kind_speaks_both_languages():
    from portabilite._catalog import MESSAGES

    for kind in KINDS:
        assert f"evidence.{kind}" in MESSAGES, kind


def test_addresses_and_emails():
    assert find_mastodon("écrivez-moi: lea@gmail.com") == []
    assert normalize_mastodon("lea@gmail.com") is None  # strict: could be an e-mail
    assert find_mastodon("Je suis sur @lea@piaille.fr !") == ["lea@piaille.fr"]
    assert find_mastodon("https://mastodon.social/@sam.") == ["sam@mastodon.social"]
    assert find_bluesky("https://bsky.app/profile/lea.bsky.social") == ["lea.bsky.social"]


# -- a world of people -------------------------------------------------------------------------

def world(tmp_path):
    """An archive following six X accounts, with what their tweets say of them."""
    writer = fictional_writer(n_following=0, n_followers=0)
    people = {
        "lea": (str(B + 1), "lea_modele", "Léa Modèle"),       # a real back-link
        "twin": (str(B + 2), "sam_dupont", "Sam Dupont"),       # same name, no proof
        "squat": (str(B + 3), "bigbrand", "Big Brand"),         # handle squatted
        "renamed": (str(B + 4), "new_name", "Renamed Person"),  # back-link to the old name
        "fake": (str(B + 5), "celebrity", "Celebrity"),         # impersonator
        "gone": (str(B + 6), "gone_away", "Gone Away"),         # handle.invalid
    }
    writer.following = [p[0] for p in people.values()]
    writer.tweets = []
    for i, (x_id, screen, name) in enumerate(people.values()):
        writer.add_tweet(str(B + 100 + i), "2025-05-01T10:00:00Z", f"@{screen}", mentions=[(x_id, screen, name)])
    writer.add_tweet(str(B + 200), "2020-01-01T10:00:00Z", "@old_name", mentions=[(str(B + 4), "old_name", "Renamed")])
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    profiles = {
        "lea-modele.bsky.social": {"did": did(1), "handle": "lea-modele.bsky.social", "displayName": "Léa Modèle",
                                   "description": "Autrice. Anciennement x.com/lea_modele"},
        "samdupont.bsky.social": {"did": did(2), "handle": "samdupont.bsky.social", "displayName": "Sam Dupont",
                                  "description": "Photographe"},
        "bigbrand.bsky.social": {"did": did(3), "handle": "bigbrand.bsky.social", "displayName": "deals 4 u",
                                 "description": "crypto giveaways"},
        "oldname.bsky.social": {"did": did(4), "handle": "oldname.bsky.social", "displayName": "Renamed Person",
                                "description": "I was @old_name on Twitter"},
        "celebrity.bsky.social": {"did": did(5), "handle": "celebrity.bsky.social", "displayName": "Celebrity",
                                  "description": "the real one, x.com/celebrity",
                                  "labels": [{"src": did(99), "uri": "at://x", "val": "impersonation",
                                              "cts": "2025-01-01T00:00:00Z"}]},
        did(6): {"did": did(6), "handle": "handle.invalid", "displayName": "Gone Away",
                 "description": "x.com/gone_away"},
    }
    (tmp_path / "dir.csv").write_text(f"x_id,bluesky\n{B + 6},{did(6)}\n")
    with Workspace.open(ws_path) as ws:  # a directory says where gone_away went; it is gone since
        import_directory(ws, tmp_path / "dir.csv")
    return ws_path, people, profiles


def mock_appview(profiles):
    calls = []

    def answer(request):
        actors = request.url.params.get_list("actors")
        calls.append(actors)
        assert len(actors) <= 25
        return httpx.Response(200, json={"profiles": [profiles[a] for a in actors if a in profiles]})

    respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(side_effect=answer)
    return calls


def client():
    return BlueskyClient(appview=APPVIEW, guard=HostGuard([APPVIEW], resolver=None), sleep=lambda s: None)


@respx.mock
def test_ambiguous_world(tmp_path):
    ws_path, people, profiles = world(tmp_path)
    calls = mock_appview(profiles)
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky)
        got = {m["x_handle"]: m for m in list_matches(ws, network="bluesky")}
    assert got["lea_modele"]["status"] == "confirmed"
    assert {e["kind"] for e in got["lea_modele"]["evidence"]} >= {"back_link", "handle_guess", "name_match"}
    assert got["sam_dupont"]["status"] == "probable"  # same name, nothing else: review
    assert got["bigbrand"]["status"] == "rejected"  # the squatter
    assert got["new_name"]["status"] == "confirmed" and got["new_name"]["account"]["did"] == did(4)
    assert got["celebrity"]["status"] == "rejected"
    assert got["gone_away"]["status"] == "rejected"  # directory row, but handle.invalid
    assert {e["kind"] for e in got["gone_away"]["evidence"]} >= {"directory_x_id", "account_unavailable"}
    assert all(len(c) <= 25 for c in calls)
    assert json.dumps(got)  # the contract is JSON


@respx.mock
def test_rerun_uses_the_cache_and_offline_makes_no_request(tmp_path):
    ws_path, people, profiles = world(tmp_path)
    calls = mock_appview(profiles)
    with Workspace.open(ws_path) as ws, client() as bsky:
        first = match_workspace(ws, bluesky=bsky)
        n = len(calls)
        assert match_workspace(ws, bluesky=bsky) == first
        assert len(calls) == n  # nothing new to look up
        assert match_workspace(ws) == first  # offline: from the cache
        match_workspace(ws, bluesky=bsky, refresh=True)
        assert len(calls) > n


@respx.mock
def test_decisions_survive_reruns(tmp_path):
    ws_path, people, profiles = world(tmp_path)
    mock_appview(profiles)
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky)
        twin = next(m for m in list_matches(ws) if m["x_handle"] == "sam_dupont")
        decide(ws, twin["id"], "rejected")
        match_workspace(ws, bluesky=bsky, refresh=True)
        again = next(m for m in list_matches(ws) if m["x_handle"] == "sam_dupont")
        assert again["status"] == "rejected" and again["decision"] == "rejected"
        with pytest.raises(MatchError):
            decide(ws, 99999, "accepted")


def test_directory_by_id_confirms_offline_and_by_handle_is_probable(tmp_path, ws_path):
    writer = fictional_writer()
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    (tmp_path / "dir.json").write_text(json.dumps({"entries": [
        {"x_id": writer.following[0], "bluesky": "ami0.example.org", "mastodon": "https://m.example/@ami0"},
        {"x_handle": "@ami1", "mastodon": "@ami1@m.example"},
    ]}))
    with Workspace.open(ws_path) as ws:
        assert import_directory(ws, tmp_path / "dir.json") == {"read": 3, "added": 3, "total": 3}
        assert import_directory(ws, tmp_path / "dir.json")["added"] == 0  # idempotent
        counts = match_workspace(ws)
        assert counts["bluesky"]["confirmed"] == 1 and counts["mastodon"] == {
            "confirmed": 1, "probable": 1, "rejected": 0}


@pytest.mark.parametrize("content, fragment", [
    ("x_id,bluesky\nabc,me.bsky.social\n", "row 2: x_id 'abc' is not a numeric X id"),
    ("x_id,bluesky\n123,not a handle\n", "row 2: 'not a handle' is not a Bluesky handle"),
    ("x_id,mastodon\n123,\n", "row 2: neither bluesky nor mastodon"),
    ("name,where\nlea,here\n", "the first line must name the columns"),
    ("[1, 2]", "expected a list of objects"),
])
def test_bad_directory_files_are_refused_whole(tmp_path, ws_path, writer, content, fragment):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    (tmp_path / "d.csv").write_text(content)
    with Workspace.open(ws_path) as ws:
        with pytest.raises(DirectoryError) as err:
            import_directory(ws, tmp_path / "d.csv")
        assert fragment in str(err.value)
        assert ws.conn.execute("SELECT count(*) FROM directory_entry").fetchone()[0] == 0
