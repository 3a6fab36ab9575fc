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
from portabilite.matching import (
    KINDS,
    Evidence,
    decide,
    find_bluesky,
    find_mastodon,
    import_directory,
    list_matches,
    match_workspace,
    normalize_mastodon,
    status_of,
)
from portabilite.networks import HostGuard
from portabilite.networks.bluesky import BlueskyClient

from .conftest import fictional_writer

APPVIEW = "https://appview.example"
B = 1_500_000_000_000_000_000


def did(n: int) -> str:
    return (
        "did:plc:"
        + "abcdefghijklmnopqrstuvwx"[: 24 - len(str(n))]
        + "".join("234567"[int(c) % 6] for c in str(n))
    )


# -- the rules ---------------------------------------------------------------------------------


@given(st.lists(st.sampled_from([k for k, w in KINDS.items() if w < 0.8]), max_size=8))
def test_without_strong_evidence_nothing_is_ever_confirmed(kinds):
    _, status = status_of([Evidence.of(k) for k in kinds])
    assert status != "confirmed"


def test_display_name_alone_is_never_confirmed():
    for n in range(1, 6):
        assert (
            status_of([Evidence.of("name_match", name=f"n{i}") for i in range(n)])[1] != "confirmed"
        )


@pytest.mark.parametrize(
    "kinds, expected",
    [
        (["directory_x_id"], "confirmed"),
        (["back_link", "handle_guess"], "confirmed"),
        (["handle_guess", "name_match"], "probable"),
        (["directory_x_handle"], "probable"),
        (["handle_guess", "name_mismatch"], "rejected"),
        (["back_link", "impersonation_label"], "rejected"),
        (["directory_x_id", "account_unavailable"], "rejected"),
        (["search_hit"], "rejected"),
    ],
)
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
        "lea": (str(B + 1), "lea_modele", "Léa Modèle"),  # a real back-link
        "twin": (str(B + 2), "sam_dupont", "Sam Dupont"),  # same name, no proof
        "squat": (str(B + 3), "bigbrand", "Big Brand"),  # handle squatted
        "renamed": (str(B + 4), "new_name", "Renamed Person"),  # back-link to the old name
        "fake": (str(B + 5), "celebrity", "Celebrity"),  # impersonator
        "gone": (str(B + 6), "gone_away", "Gone Away"),  # handle.invalid
    }
    writer.following = [p[0] for p in people.values()]
    writer.tweets = []
    for i, (x_id, screen, name) in enumerate(people.values()):
        writer.add_tweet(
            str(B + 100 + i), "2025-05-01T10:00:00Z", f"@{screen}", mentions=[(x_id, screen, name)]
        )
    writer.add_tweet(
        str(B + 200),
        "2020-01-01T10:00:00Z",
        "@old_name",
        mentions=[(str(B + 4), "old_name", "Renamed")],
    )
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    profiles = {
        "lea-modele.bsky.social": {
            "did": did(1),
            "handle": "lea-modele.bsky.social",
            "displayName": "Léa Modèle",
            "description": "Autrice. Anciennement x.com/lea_modele",
        },
        "samdupont.bsky.social": {
            "did": did(2),
            "handle": "samdupont.bsky.social",
            "displayName": "Sam Dupont",
            "description": "Photographe",
        },
        "bigbrand.bsky.social": {
            "did": did(3),
            "handle": "bigbrand.bsky.social",
            "displayName": "deals 4 u",
            "description": "crypto giveaways",
        },
        "oldname.bsky.social": {
            "did": did(4),
            "handle": "oldname.bsky.social",
            "displayName": "Renamed Person",
            "description": "I was @old_name on Twitter",
        },
        "celebrity.bsky.social": {
            "did": did(5),
            "handle": "celebrity.bsky.social",
            "displayName": "Celebrity",
            "description": "the real one, x.com/celebrity",
            "labels": [
                {
                    "src": did(99),
                    "uri": "at://x",
                    "val": "impersonation",
                    "cts": "2025-01-01T00:00:00Z",
                }
            ],
        },
        did(6): {
            "did": did(6),
            "handle": "handle.invalid",
            "displayName": "Gone Away",
            "description": "x.com/gone_away",
        },
    }
    (tmp_path / "dir.csv").write_text(f"x_id,bluesky\n{B + 6},{did(6)}\n")
    with Workspace.open(ws_path) as ws:  # a directory says where gone_away went; it is gone since
        import_directory(ws, tmp_path / "dir.csv")
    return ws_path, people, profiles


def mock_appview(profiles, searches=None):
    """The AppView: ``profiles`` by handle or DID; ``searches``: query -> actors (none: no
    search route, a search would fail the test)."""
    calls = []

    def answer(request):
        actors = request.url.params.get_list("actors")
        calls.append(actors)
        assert len(actors) <= 25
        return httpx.Response(
            200, json={"profiles": [profiles[a] for a in actors if a in profiles]}
        )

    respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(side_effect=answer)
    if searches is not None:
        respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.searchActors").mock(
            side_effect=lambda request: httpx.Response(
                200, json={"actors": searches.get(request.url.params["q"], [])}
            )
        )
    return calls


def client():
    return BlueskyClient(
        appview=APPVIEW, guard=HostGuard([APPVIEW], resolver=None), sleep=lambda s: None
    )


@respx.mock
def test_ambiguous_world(tmp_path):
    ws_path, people, profiles = world(tmp_path)
    calls = mock_appview(profiles, {})
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        got = {m["x_handle"]: m for m in list_matches(ws, network="bluesky")}
    assert got["lea_modele"]["status"] == "confirmed"
    assert {e["kind"] for e in got["lea_modele"]["evidence"]} >= {
        "back_link",
        "handle_guess",
        "name_match",
    }
    assert got["sam_dupont"]["status"] == "probable"  # same name, nothing else: review
    assert got["bigbrand"]["status"] == "rejected"  # the squatter
    # the profile names @old_name, a handle the account no longer uses: someone else may hold
    # it now, so this goes to review instead of being followed
    assert got["new_name"]["status"] == "probable" and got["new_name"]["account"]["did"] == did(4)
    assert "back_link_stale" in {e["kind"] for e in got["new_name"]["evidence"]}
    assert got["celebrity"]["status"] == "rejected"
    assert got["gone_away"]["status"] == "rejected"  # directory row, but handle.invalid
    assert {e["kind"] for e in got["gone_away"]["evidence"]} >= {
        "directory_x_id",
        "account_unavailable",
    }
    assert all(len(c) <= 25 for c in calls)
    assert json.dumps(got)  # the contract is JSON


@respx.mock
def test_matching_chunk_by_chunk_finds_what_matching_at_once_finds(tmp_path, monkeypatch):
    """A large account is matched 20,000 X accounts at a time; one at a time must find the
    same candidates, with the same evidence and statuses."""
    from portabilite.matching import _matcher

    ws_path, people, profiles = world(tmp_path)
    mock_appview(profiles, {})
    found = []
    for chunk in (20_000, 1):
        monkeypatch.setattr(_matcher, "CHUNK_SUBJECTS", chunk)
        with Workspace.open(ws_path) as ws, client() as bsky:
            match_workspace(ws, bluesky=bsky, fediverse=False, refresh=True)
            found.append(list_matches(ws, relation=None))
    assert found[0] and found[0] == found[1]


@respx.mock
def test_rerun_uses_the_cache_and_offline_makes_no_request(tmp_path):
    ws_path, people, profiles = world(tmp_path)
    calls = mock_appview(profiles, {})
    with Workspace.open(ws_path) as ws, client() as bsky:
        first = match_workspace(ws, bluesky=bsky, fediverse=False)
        n = len(calls)
        assert match_workspace(ws, bluesky=bsky, fediverse=False) == first
        assert len(calls) == n  # nothing new to look up
        assert match_workspace(ws) == first  # offline: from the cache
        match_workspace(ws, bluesky=bsky, refresh=True, fediverse=False)
        assert len(calls) > n


@respx.mock
def test_decisions_survive_reruns(tmp_path):
    ws_path, people, profiles = world(tmp_path)
    mock_appview(profiles, {})
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        twin = next(m for m in list_matches(ws) if m["x_handle"] == "sam_dupont")
        decide(ws, twin["id"], "rejected")
        match_workspace(ws, bluesky=bsky, refresh=True, fediverse=False)
        again = next(m for m in list_matches(ws) if m["x_handle"] == "sam_dupont")
        assert again["status"] == "rejected" and again["decision"] == "rejected"
        with pytest.raises(MatchError):
            decide(ws, 99999, "accepted")


def test_directory_by_id_confirms_offline_and_by_handle_is_probable(tmp_path, ws_path):
    writer = fictional_writer()
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    (tmp_path / "dir.json").write_text(
        json.dumps(
            {
                "entries": [
                    {
                        "x_id": writer.following[0],
                        "bluesky": "ami0.example.org",
                        "mastodon": "https://m.example/@ami0",
                    },
                    {"x_handle": "@ami1", "mastodon": "@ami1@m.example"},
                ]
            }
        )
    )
    with Workspace.open(ws_path) as ws:
        assert import_directory(ws, tmp_path / "dir.json") == {"read": 3, "added": 3, "total": 3}
        assert import_directory(ws, tmp_path / "dir.json")["added"] == 0  # idempotent
        counts = match_workspace(ws)
        assert counts["bluesky"]["confirmed"] == 1 and counts["mastodon"] == {
            "confirmed": 1,
            "probable": 1,
            "rejected": 0,
        }


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("x_id,bluesky\nabc,me.bsky.social\n", "row 2: x_id 'abc' is not a numeric X id"),
        ("x_id,bluesky\n123,not a handle\n", "row 2: 'not a handle' is not a Bluesky handle"),
        ("x_id,mastodon\n123,\n", "row 2: neither bluesky nor mastodon"),
        ("name,where\nlea,here\n", "the first line must name the columns"),
        ("[1, 2]", "expected a list of objects"),
    ],
)
def test_bad_directory_files_are_refused_whole(tmp_path, ws_path, writer, content, fragment):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    (tmp_path / "d.csv").write_text(content)
    with Workspace.open(ws_path) as ws:
        with pytest.raises(DirectoryError) as err:
            import_directory(ws, tmp_path / "d.csv")
        assert fragment in str(err.value)
        assert ws.conn.execute("SELECT count(*) FROM directory_entry").fetchone()[0] == 0


# -- the fediverse -------------------------------------------------------------------------------


def jrd(address):
    user, host = address.split("@")
    return httpx.Response(
        200,
        json={
            "subject": f"acct:{address}",
            "links": [
                {
                    "rel": "self",
                    "type": "application/activity+json",
                    "href": f"https://{host}/users/{user}",
                },
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": f"https://{host}/@{user}",
                },
            ],
        },
    )


class FakeInstance:
    """The user's own instance, as the matcher sees it (MastodonClient's resolve_account)."""

    host = "home.example"

    def __init__(self, accounts):
        self.accounts = accounts
        self.asked = []

    def search_accounts(self, query, limit=10):
        self.asked.append(f"search:{query}")
        return []

    def resolve_account(self, address):
        from portabilite.networks.mastodon import MastodonAccount

        self.asked.append(address)
        data = self.accounts.get(address)
        if data is None:
            return None
        return MastodonAccount(
            id=data.get("id", "1"),
            acct=address,
            username=address.split("@")[0],
            suspended=data.get("suspended", False),
            moved_to=data.get("moved_to"),
        )


@respx.mock
def test_mastodon_addresses_are_verified_moves_followed_and_mirrors_found(tmp_path, ws_path):
    writer = fictional_writer(n_following=7)
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    f = writer.following
    (tmp_path / "d.csv").write_text(
        "x_id,bluesky,mastodon\n"
        f"{f[0]},,@lea@piaille.example\n"
        f"{f[1]},,@ghost@piaille.example\n"
        f"{f[2]},,@old@masto.example\n"
        f"{f[3]},,@a@dead.example\n"
        f"{f[4]},,@b@dead.example\n"
        f"{f[5]},sky.example,\n"
        f"{f[6]},,@printer@intranet.local\n"
    )
    respx.get(
        "https://piaille.example/.well-known/webfinger",
        params={"resource": "acct:lea@piaille.example"},
    ).mock(return_value=jrd("lea@piaille.example"))
    respx.get(
        "https://piaille.example/.well-known/webfinger",
        params={"resource": "acct:ghost@piaille.example"},
    ).mock(return_value=httpx.Response(404))
    respx.get("https://piaille.example/.well-known/host-meta").mock(
        return_value=httpx.Response(404)
    )
    respx.get("https://masto.example/.well-known/webfinger").mock(
        return_value=jrd("old@masto.example")
    )
    respx.get("https://other.example/.well-known/webfinger").mock(
        return_value=jrd("new@other.example")
    )
    dead = respx.get(url__startswith="https://dead.example/").mock(
        side_effect=httpx.ConnectTimeout("down")
    )
    respx.get("https://bsky.brid.gy/.well-known/webfinger").mock(
        return_value=jrd("sky.example@bsky.brid.gy")
    )
    profiles = {
        "sky.example": {"did": did(50), "handle": "sky.example", "displayName": "Sky"},
        "lea.piaille.example.ap.brid.gy": {
            "did": did(51),
            "handle": "lea.piaille.example.ap.brid.gy",
            "displayName": "Léa (bridged)",
        },
    }
    mock_appview(profiles, {})
    instance = FakeInstance(
        {"lea@piaille.example": {}, "old@masto.example": {"moved_to": "new@other.example"}}
    )
    guard = HostGuard(resolver=lambda host: ["93.184.215.14"], network="mastodon")
    with Workspace.open(ws_path) as ws, client() as bsky:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws, bluesky=bsky, mastodon=instance, guard=guard)
        rows = list_matches(ws)
    got = {
        (m["x_id"], m["network"], m["account"].get("address") or m["account"].get("handle")): m
        for m in rows
    }
    assert got[(f[0], "mastodon", "lea@piaille.example")]["status"] == "confirmed"
    assert got[(f[1], "mastodon", "ghost@piaille.example")]["status"] == "rejected"
    assert got[(f[2], "mastodon", "old@masto.example")]["status"] == "rejected"  # moved away
    moved = got[(f[2], "mastodon", "new@other.example")]
    assert moved["status"] == "confirmed" and "moved_from" in {e["kind"] for e in moved["evidence"]}
    assert got[(f[3], "mastodon", "a@dead.example")]["status"] == "confirmed"  # unknown: kept
    assert dead.call_count == 1  # the dead host costs one timeout, then it is skipped
    mirror = got[(f[5], "mastodon", "sky.example@bsky.brid.gy")]
    assert mirror["bridged"] is True and mirror["status"] == "confirmed"
    bridged = got[(f[0], "bluesky", "lea.piaille.example.ap.brid.gy")]
    assert bridged["bridged"] is True
    assert not [
        m for m in rows if m["x_id"] == f[5] and m["network"] == "mastodon" and not m["bridged"]
    ]
    assert got[(f[6], "mastodon", "printer@intranet.local")]  # never contacted (respx would fail)
    # a re-run asks nothing again: everything is cached, failures excepted
    calls = len(respx.calls)
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, mastodon=instance, guard=guard)
    assert all("dead.example" in str(c.request.url) for c in respx.calls[calls:])


# -- what people wrote in their X profile (portabilite hydrate) ---------------------------------


@respx.mock
def test_hydrate_then_bio_handles_and_personal_domains_confirm(tmp_path, ws_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("PORTABILITE_X_API", "https://api.x.example")
    writer = fictional_writer(n_following=4)
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    f = writer.following
    respx.get("https://api.x.example/2/users/me").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"id": writer.account_id, "username": "exemple_owner", "name": "Owner"}},
        )
    )
    people = [
        {
            "id": f[0],
            "username": "ami0",
            "name": "Ami Zéro",
            "description": "Je suis sur @ami0@piaille.example ! mail: ami0@gmail.com",
        },
        {
            "id": f[1],
            "username": "ami1",
            "name": "Ami Un",
            "description": "now at bsky.app/profile/ami1.bsky.social",
        },
        {
            "id": f[2],
            "username": "ami2",
            "name": "Ami Deux",
            "description": "",
            "entities": {
                "url": {
                    "urls": [
                        {"url": "https://t.co/x", "expanded_url": "https://www.ami-deux.example/"}
                    ]
                }
            },
        },
        {"id": f[3], "username": "ami3", "name": "Ami Trois", "description": "rien"},
    ]
    pages = respx.get(
        url__startswith=f"https://api.x.example/2/users/{writer.account_id}/following"
    ).mock(
        side_effect=[
            httpx.Response(
                200, json={"data": people[:2], "meta": {"result_count": 2, "next_token": "p2"}}
            ),
            httpx.Response(200, json={"data": people[2:], "meta": {"result_count": 2}}),
        ]
    )
    from portabilite.networks.x import OAuth1Credentials
    from portabilite.secrets import CredentialStore

    CredentialStore(keyring_backend=None).save(
        "x",
        {
            **OAuth1Credentials(
                "ck-AAAAAAAA", "cs-BBBBBBBBBB", "at-CCCCCCCC", "as-DDDDDDDD"
            ).to_record(),
            "username": "exemple_owner",
            "id": writer.account_id,
        },
    )
    from click.testing import CliRunner

    from portabilite.cli import cli

    declined = CliRunner().invoke(cli, ["hydrate", "-w", str(ws_path)], input="n\n")
    assert "about $0.04" in declined.output and "Nothing was read" in declined.output
    assert not pages.called
    result = CliRunner().invoke(cli, ["hydrate", "--yes", "-w", str(ws_path)])
    assert result.exit_code == 0, result.output
    assert "4 profiles read" in result.output and pages.call_count == 2
    assert "pagination_token=p2" in str(pages.calls[1].request.url)

    mock_appview(
        {
            "ami1.bsky.social": {
                "did": did(61),
                "handle": "ami1.bsky.social",
                "displayName": "Ami Un",
            },
            "ami-deux.example": {
                "did": did(62),
                "handle": "ami-deux.example",
                "displayName": "Ami Deux",
            },
        },
        {},
    )
    respx.get("https://piaille.example/.well-known/webfinger").mock(
        return_value=jrd("ami0@piaille.example")
    )
    respx.get("https://bsky.brid.gy/.well-known/webfinger").mock(return_value=httpx.Response(404))
    respx.get("https://bsky.brid.gy/.well-known/host-meta").mock(return_value=httpx.Response(404))
    respx.get(url__startswith="https://www.ami-deux.example/").mock(
        return_value=httpx.Response(404)
    )
    # a bare name@domain is asked by WebFinger: an e-mail provider has no such thing
    gmail = respx.get(url__startswith="https://gmail.com/").mock(return_value=httpx.Response(404))
    guard = HostGuard(resolver=lambda host: ["93.184.215.14"], network="mastodon")
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, guard=guard)
        got = {(m["x_id"], m["network"]): m for m in list_matches(ws)}
    assert got[(f[0], "mastodon")]["status"] == "confirmed"
    assert got[(f[0], "mastodon")]["account"] == {"address": "ami0@piaille.example"}
    assert not any(m["account"].get("address") == "ami0@gmail.com" for m in got.values())
    assert gmail.called
    assert got[(f[1], "bluesky")]["status"] == "confirmed"
    assert got[(f[2], "bluesky")]["account"]["handle"] == "ami-deux.example"
    assert "same_domain" in {e["kind"] for e in got[(f[2], "bluesky")]["evidence"]}
    assert got[(f[2], "bluesky")]["status"] == "confirmed"
    assert (f[3], "bluesky") not in got


@respx.mock
def test_name_search_is_a_last_resort_and_only_confirms_with_a_back_link(tmp_path, ws_path):
    writer = fictional_writer(n_following=0, n_followers=0)
    writer.tweets = []
    writer.following = [str(B + 71), str(B + 72)]
    writer.add_tweet(
        str(B + 700),
        "2025-01-01T10:00:00Z",
        "@zz",
        mentions=[(str(B + 71), "zz_top_fan", "Jeanne Exemple")],
    )
    writer.add_tweet(
        str(B + 701),
        "2025-01-01T10:00:00Z",
        "@yy",
        mentions=[(str(B + 72), "yy_person", "Paul Exemple")],
    )
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", ws_path)
    mock_appview({})
    searches = respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.searchActors").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json={
                "actors": {
                    "Jeanne Exemple": [
                        {
                            "did": did(81),
                            "handle": "jeanne.example",
                            "displayName": "Jeanne Exemple",
                            "description": "ex-x.com/zz_top_fan",
                        },
                        {"did": did(82), "handle": "other.example", "displayName": "Someone Else"},
                    ],
                    "Paul Exemple": [
                        {"did": did(83), "handle": "paul.example", "displayName": "Paul Exemple"}
                    ],
                }.get(request.url.params["q"], [])
            },
        )
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False, search=False)
        assert searches.call_count == 0  # not with --no-search
        match_workspace(ws, bluesky=bsky, fediverse=False)
        got = {m["account"]["handle"]: m for m in list_matches(ws)}
    assert got["jeanne.example"]["status"] == "confirmed"  # found by name, proven by its back-link
    # found by name only: a coin flip between namesakes, kept out of the review queue
    assert got["paul.example"]["status"] == "rejected"
    assert {e["kind"] for e in got["paul.example"]["evidence"]} == {"search_hit", "name_match"}
    assert "other.example" not in got
    # by display name and by current handle, once each; a re-run asks nothing again
    assert sorted(c.request.url.params["q"] for c in searches.calls) == [
        "Jeanne Exemple",
        "Paul Exemple",
        "yy_person",
        "zz_top_fan",
    ]
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
    assert searches.call_count == 4
