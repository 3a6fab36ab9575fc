"""The local Bluesky network (tests/devnet) is real, and the real atproto SDK works on it.

These tests pin down the facts later code relies on: accounts, login, follows
seen through the AppView, getProfiles batches, handle search, the 200-write
cap of com.atproto.repo.applyWrites, and what happens to a follow record whose
subject DID has no account.
"""

from __future__ import annotations

import ipaddress

import pytest
from atproto import Client, models
from atproto_client.exceptions import AtProtocolError, BadRequestError

pytestmark = pytest.mark.integration


def _follow_write(subject: str, created_at: str) -> models.ComAtprotoRepoApplyWrites.Create:
    return models.ComAtprotoRepoApplyWrites.Create(
        collection="app.bsky.graph.follow",
        value={"$type": "app.bsky.graph.follow", "subject": subject, "createdAt": created_at},
    )


def _list_follow_records(client: Client, did: str) -> list:
    records, cursor = [], None
    while True:
        page = client.com.atproto.repo.list_records(
            models.ComAtprotoRepoListRecords.Params(
                repo=did, collection="app.bsky.graph.follow", limit=100, cursor=cursor
            )
        )
        records.extend(page.records)
        cursor = page.cursor
        if not page.records or not cursor:
            return records


def test_ready_file_is_loopback_only(devnet):
    for url in (devnet.pds_url, devnet.appview_url, devnet.plc_url):
        host = url.split("://", 1)[1].rsplit(":", 1)[0]
        assert ipaddress.ip_address(host).is_loopback, url

    import psutil  # a test dependency: its absence must fail, not skip

    try:
        proc = psutil.Process(int(devnet.info["pid"]))
        listening = [c for c in proc.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    except (psutil.Error, KeyError, ValueError) as exc:
        pytest.skip(f"cannot inspect the devnet process here: {exc!r}")
    assert listening, "the devnet process listens on nothing?"
    for conn in listening:
        assert ipaddress.ip_address(conn.laddr.ip).is_loopback, conn


def test_login_follow_and_get_follows_through_appview(devnet):
    alice = devnet.create_account("alice", display_name="Alice A.")
    bob = devnet.create_account("bob", description="bob on the devnet")

    client = Client(base_url=devnet.pds_url)
    profile = client.login(alice.handle, alice.password)
    assert profile.did == alice.did
    assert profile.handle == alice.handle
    assert profile.display_name == "Alice A."

    created = client.follow(bob.did)
    assert created.uri.startswith(f"at://{alice.did}/app.bsky.graph.follow/")

    def bob_is_followed():
        follows = client.get_follows(alice.did).follows
        return [f for f in follows if f.did == bob.did]

    (seen,) = devnet.wait_indexed(bob_is_followed, what="follow visible in getFollows")
    assert seen.handle == bob.handle
    assert seen.description == "bob on the devnet"
    assert seen.viewer.following == created.uri

    followers = client.get_followers(bob.did).followers
    assert [f.did for f in followers] == [alice.did]


def test_get_profiles_batch(devnet):
    accounts = [devnet.create_account(f"batch{i}", display_name=f"Batch {i}") for i in range(3)]
    client = devnet.client(accounts[0])
    actors = [a.did for a in accounts[:2]] + [accounts[2].handle]  # DIDs and handles mix
    res = client.get_profiles(actors)
    by_did = {p.did: p for p in res.profiles}
    assert set(by_did) == {a.did for a in accounts}
    for i, account in enumerate(accounts):
        assert by_did[account.did].handle == account.handle
        assert by_did[account.did].display_name == f"Batch {i}"


def test_get_profiles_batch_skips_unknown_actors(devnet):
    account = devnet.create_account("known")
    client = devnet.client(account)
    res = client.get_profiles([account.did, devnet.fake_did("nobody")])
    assert [p.did for p in res.profiles] == [account.did]


def test_search_actors_matches_handles(devnet):
    target = devnet.create_account("srch", display_name="Zebulon Quixote")
    me = devnet.client(devnet.create_account("seeker"))
    unique = target.handle.split(".", 1)[0]  # e.g. "srch1a2b3c"

    def found():
        res = me.app.bsky.actor.search_actors(models.AppBskyActorSearchActors.Params(q=unique))
        return [a for a in res.actors if a.did == target.did]

    (hit,) = devnet.wait_indexed(found, what="searchActors by handle")
    assert hit.handle == target.handle
    assert hit.display_name == "Zebulon Quixote"

    # The local AppView's search is a LIKE on handles only: a display-name
    # word finds nothing here (the production AppView does better).
    res = me.app.bsky.actor.search_actors(models.AppBskyActorSearchActors.Params(q="Quixote"))
    assert target.did not in [a.did for a in res.actors]


def test_apply_writes_caps_at_200(devnet):
    account = devnet.create_account("bulk")
    client = devnet.client(account)
    now = client.get_current_time_iso()
    subjects = [devnet.fake_did(f"bulk-{account.did}-{i}") for i in range(201)]

    with pytest.raises(BadRequestError) as refused:
        client.com.atproto.repo.apply_writes(
            models.ComAtprotoRepoApplyWrites.Data(
                repo=account.did, writes=[_follow_write(s, now) for s in subjects]
            )
        )
    assert refused.value.response.status_code == 400
    assert refused.value.response.content.error == "InvalidRequest"
    assert "Too many writes. Max: 200" in refused.value.response.content.message
    assert _list_follow_records(client, account.did) == []  # all or nothing

    res = client.com.atproto.repo.apply_writes(
        models.ComAtprotoRepoApplyWrites.Data(
            repo=account.did, writes=[_follow_write(s, now) for s in subjects[:200]]
        )
    )
    assert len(res.results) == 200
    assert all(r.uri.startswith(f"at://{account.did}/app.bsky.graph.follow/") for r in res.results)
    stored = _list_follow_records(client, account.did)
    assert sorted(r.value.subject for r in stored) == sorted(subjects[:200])


def test_follow_record_for_nonexistent_did(devnet):
    """The PDS accepts it and stores it; the AppView counts it but never lists it.

    So a benchmark can follow hundreds of made-up did:plc subjects without
    creating accounts for them, as long as it checks results on the PDS
    (listRecords) or through followsCount, not through getFollows.
    """
    account = devnet.create_account("ghostfan")
    real = devnet.create_account("realone")
    client = devnet.client(account)
    ghost = devnet.fake_did()
    assert devnet.appview_profile(ghost) is None
    plc = devnet.http.get(f"{devnet.plc_url}/{ghost}")
    assert plc.status_code == 404  # really unknown to the PLC directory

    try:
        created = client.com.atproto.repo.create_record(
            models.ComAtprotoRepoCreateRecord.Data(
                repo=account.did,
                collection="app.bsky.graph.follow",
                record={
                    "$type": "app.bsky.graph.follow",
                    "subject": ghost,
                    "createdAt": client.get_current_time_iso(),
                },
            )
        )
    except AtProtocolError as exc:  # pragma: no cover - documents the alternative
        pytest.fail(f"PDS refused a follow of a non-existent DID: {exc!r}")
    assert created.uri.startswith(f"at://{account.did}/app.bsky.graph.follow/")
    client.follow(real.did)

    stored = {r.value.subject for r in _list_follow_records(client, account.did)}
    assert stored == {ghost, real.did}

    # AppView: both follows are counted, only the real one is listed.
    devnet.wait_indexed(
        lambda: client.get_profile(account.did).follows_count == 2, what="followsCount == 2"
    )
    devnet.wait_indexed(
        lambda: any(f.did == real.did for f in client.get_follows(account.did).follows),
        what="real follow listed",
    )
    listed = [f.did for f in client.get_follows(account.did).follows]
    assert listed == [real.did]
