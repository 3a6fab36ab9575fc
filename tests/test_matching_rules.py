"""The matcher's rules, on small worlds: monotonic scores, current and stale handles,
conflicts, ranks, cross-network proof, personal websites, t.co links."""

from __future__ import annotations

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from portabilite import Workspace, import_archive
from portabilite.matching import KINDS, Evidence, list_matches, match_workspace, status_of
from portabilite.matching._evidence import RANK
from portabilite.matching._subjects import names_alike, names_compatible
from portabilite.networks import HostGuard
from portabilite.networks.x import expand_links

from .conftest import fictional_writer
from .test_matching import B, client, did, jrd, mock_appview

WEAK_POSITIVE = [k for k, w in KINDS.items() if 0 < w < 0.8]
ANY = [k for k in KINDS]


@given(
    st.lists(st.sampled_from(ANY), max_size=8),
    st.sampled_from(WEAK_POSITIVE + [k for k, w in KINDS.items() if w >= 0.8]),
)
def test_adding_a_positive_clue_never_lowers_score_or_status(kinds, extra):
    before = [Evidence.of(k) for k in kinds]
    after = before + [Evidence.of(extra)]
    (s0, st0), (s1, st1) = status_of(before), status_of(after)
    assert s1 >= s0
    assert RANK[st1] >= RANK[st0]


@pytest.mark.parametrize("strong", [k for k, w in KINDS.items() if w >= 0.8])
def test_strong_evidence_plus_a_guess_and_another_name_stays_confirmed(strong):
    evidence = [Evidence.of(strong), Evidence.of("handle_guess"), Evidence.of("name_mismatch")]
    assert status_of(evidence)[1] == "confirmed"


def test_caps():
    assert status_of([Evidence.of("back_link"), Evidence.of("conflict")])[1] == "probable"
    assert (
        status_of([Evidence.of("directory_x_id"), Evidence.of("shared_account")])[1] == "probable"
    )
    assert (
        status_of(
            [Evidence.of("handle_guess"), Evidence.of("name_match"), Evidence.of("outranked")]
        )[1]
        == "rejected"
    )
    stale = Evidence.through("back_link", "old", False, network="Bluesky")
    assert stale.kind == "back_link_stale" and status_of([stale])[1] == "probable"
    assert dict(stale.params)["current"] == "no"


@pytest.mark.parametrize(
    "x_name, shown, alike, compatible",
    [
        ("Léa Modèle", "lea modele", True, True),
        ("Médiathèque de Bordeaux", "Médiathèque", False, True),
        ("Sam Dupont", "Sam", False, True),
        ("Sam Dupont", "Sam Dupont (il/lui) 🦋", False, True),
        ("Ville de Fictiveville", "VILLE DE FICTIVEVILLE", True, True),
        ("Big Brand", "deals 4 u", False, False),
        ("Sam Dupont", "Samuel Martin", False, False),
    ],
)
def test_display_names(x_name, shown, alike, compatible):
    assert names_alike(x_name, shown) is alike
    assert names_compatible(x_name, shown) is compatible


def test_tco_links_are_expanded_from_the_entities():
    urls = [
        {"url": "https://t.co/abc", "expanded_url": "https://piaille.example/@lea"},
        {"url": "https://t.co/abcd", "expanded_url": "https://bsky.app/profile/lea.example"},
    ]
    assert (
        expand_links("me: https://t.co/abc et https://t.co/abcd", urls)
        == "me: https://piaille.example/@lea et https://bsky.app/profile/lea.example"
    )


# -- small worlds ----------------------------------------------------------------------------


def _archive(tmp_path, people, old=()):
    """people: [(x_id, screen_name, name)]; old: [(x_id, old screen name, date)]"""
    writer = fictional_writer(n_following=0, n_followers=0)
    writer.tweets = []
    writer.following = [p[0] for p in people]
    for i, (x_id, screen, name) in enumerate(people):
        writer.add_tweet(
            str(B + 900 + i), "2025-06-01T10:00:00Z", f"@{screen}", mentions=[(x_id, screen, name)]
        )
    for i, (x_id, screen, date) in enumerate(old):
        writer.add_tweet(str(B + 950 + i), date, f"@{screen}", mentions=[(x_id, screen, "x")])
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    return ws_path


def _profile(n, handle, name, description=""):
    return {"did": did(n), "handle": handle, "displayName": name, "description": description}


def _hydrated(ws_path, x_id, screen, name, description="", website=None):
    """The X profile of ``x_id`` as `portabilite hydrate` leaves it in the workspace."""
    with Workspace.open(ws_path) as ws:
        with ws.transaction() as db:
            db.execute(
                "INSERT INTO x_profile (x_id, screen_name, display_name, description,"
                " website, location, fetched_at) VALUES (?, ?, ?, ?, ?, '',"
                " '2026-11-01T00:00:00Z')",
                (x_id, screen, name, description, website),
            )


GUARD = HostGuard(resolver=lambda host: ["93.184.215.14"], network="mastodon")


@pytest.mark.parametrize("chunk", [20_000, 1])
@respx.mock
def test_one_account_proven_for_two_x_ids_and_two_for_one_go_to_review(
    tmp_path, monkeypatch, chunk
):
    """Also when the two X ids are matched in different chunks (a large account's are)."""
    from portabilite.matching import _matcher

    monkeypatch.setattr(_matcher, "CHUNK_SUBJECTS", chunk)
    a, b, c = str(B + 1), str(B + 2), str(B + 3)
    ws_path = _archive(
        tmp_path, [(a, "alpha", "Alpha"), (b, "beta", "Beta"), (c, "gamma_x", "Gamma")]
    )
    shared = _profile(1, "alpha.bsky.social", "", "x.com/alpha and x.com/beta")
    mock_appview(
        {
            "alpha.bsky.social": shared,
            did(1): shared,
            "gammax.bsky.social": _profile(3, "gammax.bsky.social", "Gamma", "x.com/gamma_x"),
            "gamma-x.bsky.social": _profile(4, "gamma-x.bsky.social", "Gamma", "x.com/gamma_x"),
        },
        {"Beta": [shared]},
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        rows = list_matches(ws, network="bluesky")
    for x_id in (a, b):
        found = [m for m in rows if m["x_id"] == x_id]
        assert [m["status"] for m in found] == ["probable"]
        assert "shared_account" in {e["kind"] for e in found[0]["evidence"]}
    gamma = [m for m in rows if m["x_id"] == c]
    assert sorted(m["status"] for m in gamma) == ["probable", "probable"]
    assert all("conflict" in {e["kind"] for e in m["evidence"]} for m in gamma)


@respx.mock
def test_a_back_link_through_a_stale_handle_is_for_review(tmp_path):
    """The account renamed from @old_owner to @new_owner; someone else took @old_owner and
    links it from their Bluesky profile: not our person, whatever the link says."""
    x = str(B + 5)
    ws_path = _archive(
        tmp_path, [(x, "new_owner", "Camille")], old=[(x, "old_owner", "2019-01-01T10:00:00Z")]
    )
    mock_appview(
        {
            "oldowner.bsky.social": _profile(
                5, "oldowner.bsky.social", "Someone", "me on x.com/old_owner"
            ),
            "newowner.bsky.social": _profile(
                6, "newowner.bsky.social", "Camille", "x.com/new_owner"
            ),
        },
        {},
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        got = {m["account"]["handle"]: m for m in list_matches(ws, network="bluesky")}
    assert got["newowner.bsky.social"]["status"] == "confirmed"
    link = next(e for e in got["newowner.bsky.social"]["evidence"] if e["kind"] == "back_link")
    assert link["params"] == {"name": "new_owner", "current": "yes", "network": "Bluesky"}
    # beside a confirmed account, the stale one is outranked: out of the review queue
    assert got["oldowner.bsky.social"]["status"] == "rejected"
    assert "back_link_stale" in {e["kind"] for e in got["oldowner.bsky.social"]["evidence"]}


@respx.mock
def test_at_most_three_to_review_ranked(tmp_path):
    """Six accounts name the handle this X account had before (and look like the person):
    three go to review, best first, the others out of the queue."""
    x = str(B + 7)
    ws_path = _archive(
        tmp_path, [(x, "sam_d", "Sam Dupont")], old=[(x, "sam_old", "2019-01-01T10:00:00Z")]
    )
    hits = [
        _profile(10 + i, f"sam{i}.example", "Sam Dupont", "x.com/sam_old" + " ok" * i)
        for i in range(6)
    ]
    mock_appview({}, {"Sam Dupont": hits})
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        rows = list_matches(ws, network="bluesky")
    assert sorted(m["status"] for m in rows) == ["probable"] * 3 + ["rejected"] * 3
    assert all(
        "outranked" in {e["kind"] for e in m["evidence"]} for m in rows if m["status"] == "rejected"
    )


@respx.mock
def test_a_name_alone_is_shown_only_beside_a_probable_candidate(tmp_path):
    x, y = str(B + 8), str(B + 9)
    ws_path = _archive(tmp_path, [(x, "nina_r", "Nina Rey"), (y, "omar_k", "Omar Kat")])
    mock_appview(
        {"ninar.bsky.social": _profile(30, "ninar.bsky.social", "Nina Rey")},
        {
            "Nina Rey": [
                _profile(30, "ninar.bsky.social", "Nina Rey"),
                _profile(31, "nina-rey.example", "Nina Rey"),
            ],
            "Omar Kat": [_profile(32, "omar.example", "Omar Kat")],
        },
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        got = {m["account"]["handle"]: m for m in list_matches(ws, network="bluesky")}
    assert got["ninar.bsky.social"]["status"] == "probable"  # a guess and the same name
    assert got["nina-rey.example"]["status"] == "probable"  # its alternative, shown beside
    assert "alternative" in {e["kind"] for e in got["nina-rey.example"]["evidence"]}
    assert got["omar.example"]["status"] == "rejected"  # a name alone: not for review


class Instance:
    """The user's own instance: account search and resolution (MastodonClient's surface)."""

    host = "home.example"

    def __init__(self, accounts):
        self.accounts = accounts  # acct -> MastodonAccount

    def search_accounts(self, query, limit=10):
        return [
            a
            for a in self.accounts.values()
            if query.lower() in (a.display_name.lower(), a.username.lower())
        ][:limit]

    def resolve_account(self, address):
        return self.accounts.get(address)


def _account(acct, name, note="", fields=()):
    from portabilite.networks.mastodon import MastodonAccount

    return MastodonAccount(
        id=str(abs(hash(acct)) % 10**9),
        acct=acct,
        username=acct.split("@")[0],
        display_name=name,
        note=note,
        fields=tuple(fields),
    )


@respx.mock
def test_cross_network_proof_both_ways_and_home_search(tmp_path):
    """Léa's Bluesky profile links back to X and names her Mastodon address: that proves the
    Mastodon account. Noé is found by the instance's search, his note links back to X, and a
    field names his Bluesky handle, which nothing else would have found."""
    lea, noe = str(B + 11), str(B + 12)
    ws_path = _archive(tmp_path, [(lea, "lea_m", "Léa M"), (noe, "noe_p", "Noé P")])
    mock_appview(
        {
            "leam.bsky.social": _profile(
                11, "leam.bsky.social", "Léa M", "x.com/lea_m · @lea@piaille.example"
            ),
            "noe.example": _profile(12, "noe.example", "Noé P", ""),
        },
        {},
    )
    respx.get("https://piaille.example/.well-known/webfinger").mock(
        return_value=jrd("lea@piaille.example")
    )
    respx.get(url__startswith="https://bsky.brid.gy/").mock(return_value=httpx.Response(404))
    instance = Instance(
        {
            "lea@piaille.example": _account("lea@piaille.example", "Léa M"),
            "noe@home.example": _account(
                "noe@home.example",
                "Noé P",
                '<p>ex-<a href="https://x.com/noe_p">x.com/noe_p</a></p>',
                [("Bluesky", '<a href="https://bsky.app/profile/noe.example">noe.example</a>')],
            ),
        }
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, mastodon=instance, guard=GUARD)
        got = {(m["x_id"], m["network"]): m for m in list_matches(ws) if m["status"] == "confirmed"}
    assert got[(lea, "mastodon")]["account"] == {"address": "lea@piaille.example"}
    assert "cross_link" in {e["kind"] for e in got[(lea, "mastodon")]["evidence"]}
    assert got[(noe, "mastodon")]["account"] == {"address": "noe@home.example"}
    assert got[(noe, "bluesky")]["account"]["handle"] == "noe.example"
    assert "cross_link" in {e["kind"] for e in got[(noe, "bluesky")]["evidence"]}


@respx.mock
def test_personal_website_rel_me_and_atproto_did(tmp_path):
    x = str(B + 21)
    ws_path = _archive(tmp_path, [(x, "zoe_w", "Zoé W")])
    _hydrated(ws_path, x, "zoe_w", "Zoé W", website="https://zoe.example")
    respx.get("https://zoe.example/").mock(
        return_value=httpx.Response(
            200,
            text='<html><link rel="me" href="https://piaille.example/@zoe">'
            '<a rel="nofollow me" href="https://bsky.app/profile/zoe-w.bsky.social">sky</a>',
        )
    )
    respx.get("https://zoe.example/.well-known/atproto-did").mock(
        return_value=httpx.Response(200, text=did(22))
    )
    respx.get("https://piaille.example/.well-known/webfinger").mock(
        return_value=jrd("zoe@piaille.example")
    )
    respx.get(url__startswith="https://bsky.brid.gy/").mock(return_value=httpx.Response(404))
    mock_appview(
        {
            did(22): _profile(22, "zoe-w.bsky.social", "Zoé W"),
            "zoe-w.bsky.social": _profile(22, "zoe-w.bsky.social", "Zoé W"),
        },
        {},
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, guard=GUARD)
        got = {m["network"]: m for m in list_matches(ws) if m["status"] == "confirmed"}
        assert list_matches(ws)[0]["x_handle"] == "zoe_w"
    assert got["mastodon"]["account"] == {"address": "zoe@piaille.example"}
    assert "rel_me" in {e["kind"] for e in got["mastodon"]["evidence"]}
    assert got["bluesky"]["account"]["did"] == did(22)
    assert {"same_domain", "rel_me"} <= {e["kind"] for e in got["bluesky"]["evidence"]}


@respx.mock
def test_host_meta_is_asked_once_per_host_per_run(tmp_path):
    from portabilite.matching._fediverse import webfinger_many

    ws_path = _archive(tmp_path, [(str(B + 40), "someone", "Some One")])
    respx.get("https://delegated.example/.well-known/webfinger").mock(
        return_value=httpx.Response(404)
    )
    meta = respx.get("https://delegated.example/.well-known/host-meta").mock(
        return_value=httpx.Response(404)
    )
    shared: dict = {}
    with Workspace.open(ws_path) as ws:
        for batch in (["a@delegated.example", "b@delegated.example"], ["c@delegated.example"]):
            webfinger_many(ws, batch, online=True, refresh=False, guard=GUARD, host_meta=shared)
    assert meta.call_count == 1


@respx.mock
def test_review_shows_the_alternatives_together_and_takes_one(tmp_path):
    from click.testing import CliRunner

    from portabilite.cli import cli

    x = str(B + 8)
    ws_path = _archive(tmp_path, [(x, "nina_r", "Nina Rey")])
    mock_appview(
        {"ninar.bsky.social": _profile(30, "ninar.bsky.social", "Nina Rey\x1b[2J\u202e")},
        {"Nina Rey": [_profile(31, "nina-rey.example", "Nina Rey")]},
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
    result = CliRunner().invoke(cli, ["review", "-w", str(ws_path)], input="2\n")
    assert "\x1b" not in result.output and "\u202e" not in result.output  # hostile names
    assert "Nina Rey\\x1b[2J\\u{202e}" in result.output  # shown, harmless
    assert result.exit_code == 0, result.output
    assert "[1/1] X @nina_r" in result.output and "candidates: 2" in result.output
    assert "1. @ninar.bsky.social" in result.output and "2. @nina-rey.example" in result.output
    assert "1 accepted, 1 rejected" in result.output
    with Workspace.open(ws_path) as ws:
        got = {m["account"]["handle"]: m for m in list_matches(ws)}
    assert got["nina-rey.example"]["status"] == "confirmed"
    assert got["ninar.bsky.social"]["status"] == "rejected"
    fr = CliRunner().invoke(cli, ["--lang", "fr", "review", "-w", str(ws_path)])
    assert "Plus rien à examiner" in fr.output


@respx.mock
def test_followers_are_not_searched(tmp_path):
    writer = fictional_writer(n_following=0, n_followers=0)
    writer.tweets = []
    writer.followers = [str(B + 60)]
    writer.add_tweet(
        str(B + 961), "2025-06-01T10:00:00Z", "@fan", mentions=[(str(B + 60), "fan_one", "Fan One")]
    )
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    mock_appview({}, {})
    with Workspace.open(tmp_path / "w.sqlite3") as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
    assert not [c for c in respx.calls if "searchActors" in str(c.request.url)]
    assert [c for c in respx.calls if "getProfiles" in str(c.request.url)]  # guessed, though


class MovingInstance(Instance):
    def resolve_account(self, address):
        return self.accounts.get(address)


def _moved(acct, name, to=None, suspended=False, note=""):
    from dataclasses import replace

    return replace(_account(acct, name, note), moved_to=to, suspended=suspended)


@respx.mock
def test_a_move_is_followed_and_the_new_account_judged_on_its_own(tmp_path):
    """Ana's directory row names her old account, which moved to one since suspended: not
    confirmed. Bo's bio names both his old and new addresses: one candidate, confirmed."""
    ana, bo = str(B + 81), str(B + 82)
    ws_path = _archive(tmp_path, [(ana, "ana_x", "Ana"), (bo, "bo_x", "Bo")])
    (tmp_path / "d.csv").write_text(f"x_id,mastodon\n{ana},@ana@old.example\n")
    with Workspace.open(ws_path) as ws:
        from portabilite.matching import import_directory

        import_directory(ws, tmp_path / "d.csv")
    _hydrated(ws_path, bo, "bo_x", "Bo", "ex @bo@old.example, now @bo@new.example")
    for host in ("old.example", "new.example"):
        respx.get(f"https://{host}/.well-known/webfinger").mock(
            side_effect=lambda request: jrd(request.url.params["resource"][5:])
        )
    respx.get(url__startswith="https://bsky.brid.gy/").mock(return_value=httpx.Response(404))
    mock_appview({}, {})
    instance = MovingInstance(
        {
            "ana@old.example": _moved("ana@old.example", "Ana", to="ana@new.example"),
            "ana@new.example": _moved("ana@new.example", "Ana", suspended=True),
            "bo@old.example": _moved("bo@old.example", "Bo", to="bo@new.example"),
            "bo@new.example": _moved("bo@new.example", "Bo"),
        }
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, mastodon=instance, guard=GUARD)
        rows = list_matches(ws, network="mastodon")
    got = {(m["x_id"], m["account"]["address"]): m for m in rows}
    assert got[(ana, "ana@new.example")]["status"] == "rejected"  # suspended since
    assert "moved_from" in {e["kind"] for e in got[(ana, "ana@new.example")]["evidence"]}
    assert [
        m["account"]["address"] for m in rows if m["x_id"] == bo and m["status"] == "confirmed"
    ] == ["bo@new.example"]
    assert (
        len([m for m in rows if m["x_id"] == bo and m["account"]["address"] == "bo@new.example"])
        == 1
    )


@respx.mock
def test_an_account_named_in_a_bio_that_looks_like_someone_else_does_not_win(tmp_path):
    """Léa's bio names her employer's account; her own profile links back to her: they
    conflict, and the employer's, whose name is nothing like hers, does not win it."""
    lea = str(B + 83)
    ws_path = _archive(tmp_path, [(lea, "lea_j", "Léa Journaliste")])
    _hydrated(
        ws_path,
        lea,
        "lea_j",
        "Léa Journaliste",
        "Journaliste chez bsky.app/profile/gazette.example",
    )
    mock_appview(
        {
            "gazette.example": _profile(84, "gazette.example", "La Gazette"),
            "leaj.bsky.social": _profile(85, "leaj.bsky.social", "Léa Journaliste", "x.com/lea_j"),
        },
        {},
    )
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, fediverse=False)
        got = {m["account"]["handle"]: m["status"] for m in list_matches(ws, network="bluesky")}
    assert got["gazette.example"] != "confirmed"
    assert got["leaj.bsky.social"] == "probable"


@respx.mock
def test_a_page_on_a_shared_site_is_not_read_as_a_personal_domain(tmp_path):
    x = str(B + 86)
    ws_path = _archive(tmp_path, [(x, "zed", "Zed")])
    _hydrated(ws_path, x, "zed", "Zed", website="https://medium.com/@zed")
    medium = respx.get(url__startswith="https://medium.com/").mock(
        return_value=httpx.Response(200, text="did:plc:" + "a" * 24)
    )
    mock_appview({"medium.com": _profile(87, "medium.com", "Medium")}, {})
    respx.get(url__startswith="https://bsky.brid.gy/").mock(return_value=httpx.Response(404))
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, guard=GUARD)
        assert not [m for m in list_matches(ws) if m["account"].get("handle") == "medium.com"]
    # (the link's shape, host/@user, is a Mastodon address's: WebFinger may be asked, never
    # the site's page nor its DID file)
    assert {c.request.url.path for c in medium.calls} <= {
        "/.well-known/webfinger",
        "/.well-known/host-meta",
    }


@respx.mock
def test_an_account_rejected_in_review_vouches_for_nothing(tmp_path):
    from portabilite.matching import decide

    lea = str(B + 88)
    ws_path = _archive(tmp_path, [(lea, "lea_v", "Léa V")])
    mock_appview(
        {
            "leav.bsky.social": _profile(
                88, "leav.bsky.social", "Léa V", "x.com/lea_v · @lea@piaille.example"
            )
        },
        {},
    )
    respx.get("https://piaille.example/.well-known/webfinger").mock(
        return_value=jrd("lea@piaille.example")
    )
    respx.get(url__startswith="https://bsky.brid.gy/").mock(return_value=httpx.Response(404))
    instance = Instance({"lea@piaille.example": _account("lea@piaille.example", "Léa V")})
    with Workspace.open(ws_path) as ws, client() as bsky:
        match_workspace(ws, bluesky=bsky, mastodon=instance, guard=GUARD)
        sky = next(m for m in list_matches(ws, network="bluesky"))
        assert next(m for m in list_matches(ws, network="mastodon"))["status"] == "confirmed"
        decide(ws, sky["id"], "rejected")  # "that is not Léa"
        match_workspace(ws, bluesky=bsky, mastodon=instance, guard=GUARD)
        fedi = next(m for m in list_matches(ws, network="mastodon"))
    assert fedi["status"] != "confirmed"
    assert "cross_link" not in {e["kind"] for e in fedi["evidence"]}
