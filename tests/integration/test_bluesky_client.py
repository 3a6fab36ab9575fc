"""BlueskyClient against the real local Bluesky network (PLC + PDS + AppView on loopback)."""

from __future__ import annotations

import httpx
import pytest

from portabilite.errors import AuthenticationError, RateLimitedError
from portabilite.networks import Budget, HostGuard, MemoryLedger, Window
from portabilite.networks._tid import TidClock
from portabilite.networks.bluesky import BlueskyClient

pytestmark = pytest.mark.integration


class CountingTransport(httpx.HTTPTransport):
    """A real transport that remembers every XRPC method called."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url.path.rsplit("/", 1)[-1])
        return super().handle_request(request)

    def count(self, method: str) -> int:
        return self.calls.count(method)


def make_client(devnet, transport=None, **options) -> BlueskyClient:
    guard = HostGuard(
        [devnet.pds_url, devnet.appview_url, devnet.plc_url, "localhost"], network="bluesky"
    )
    return BlueskyClient(
        appview=devnet.appview_url,
        plc=devnet.plc_url,
        guard=guard,
        transport=transport,
        sleep=lambda s: None,
        **options,
    )


def test_login_discovers_the_pds_and_resume_needs_no_new_login(devnet):
    account = devnet.create_account("alice", display_name="Alice Exemple")
    saved = []
    transport = CountingTransport()
    with make_client(devnet, transport, on_session=saved.append) as client:
        session = client.login(account.handle, account.password)  # PDS found via PLC
        assert client.did == account.did and client.handle == account.handle
        assert saved and saved[-1] == session
    assert transport.count("com.atproto.server.createSession") == 1
    assert transport.count("com.atproto.identity.resolveHandle") == 1

    second = CountingTransport()
    with make_client(devnet, second) as again:
        again.resume(session)
        assert again.check_session() == {"did": account.did, "handle": account.handle}
    assert second.count("com.atproto.server.createSession") == 0


def test_wrong_password_is_an_authentication_error_without_the_password(devnet):
    account = devnet.create_account("bob")
    with make_client(devnet) as client, pytest.raises(AuthenticationError) as err:
        client.login(account.handle, "wrong-password-123456")
    assert "wrong-password-123456" not in str(err.value)
    assert "wrong-password-123456" not in err.value.message("fr")


def test_get_profiles_goes_25_per_call(devnet):
    accounts = [
        devnet.create_account(f"p{i}", description=f"moi sur X: x.com/p{i}") for i in range(27)
    ]
    transport = CountingTransport()
    with make_client(devnet, transport) as client:  # logged out: AppView reads
        profiles = client.get_profiles([a.handle for a in accounts] + [devnet.fake_did()])
    assert transport.count("app.bsky.actor.getProfiles") == 2
    assert {p.did for p in profiles} == {a.did for a in accounts}
    assert all(p.description and p.description.startswith("moi sur X") for p in profiles)


def test_search_actors_by_handle(devnet):
    account = devnet.create_account("zorglub")
    with make_client(devnet) as client:
        found = devnet.wait_indexed(
            lambda: [p for p in client.search_actors("zorglub") if p.did == account.did],
            what="search",
        )
    assert found


def test_201_writes_go_as_two_calls_and_land_once(devnet):
    account = devnet.create_account("bulk")
    transport = CountingTransport()
    subjects = [devnet.fake_did(f"{account.did}-{i}") for i in range(201)]
    clock = TidClock()
    rkeys = [clock.next() for _ in subjects]
    with make_client(devnet, transport) as client:
        client.login(account.handle, account.password)
        now = client.now_iso()
        results = client.apply_writes(
            {
                "action": "create",
                "collection": "app.bsky.graph.follow",
                "rkey": rkey,
                "value": {"$type": "app.bsky.graph.follow", "subject": did, "createdAt": now},
            }
            for rkey, did in zip(rkeys, subjects)
        )
        assert len(results) == 201
        stored = client.follows()
    assert transport.count("com.atproto.repo.applyWrites") == 2
    assert sorted(r.value["subject"] for r in stored) == sorted(subjects)
    assert {r.rkey for r in stored} == set(rkeys)  # our keys: a lost answer can be reconciled


def test_write_budget_stops_before_the_server_would(devnet):
    account = devnet.create_account("budget")
    budget = Budget("test", [Window(600, 3600)], MemoryLedger(), network="bluesky")
    transport = CountingTransport()
    with make_client(devnet, transport, budget=budget) as client:
        client.login(account.handle, account.password)
        now = client.now_iso()
        writes = [
            {
                "action": "create",
                "collection": "app.bsky.graph.follow",
                "value": {
                    "$type": "app.bsky.graph.follow",
                    "subject": devnet.fake_did(),
                    "createdAt": now,
                },
            }
            for _ in range(201)
        ]
        with pytest.raises(RateLimitedError) as err:
            client.apply_writes(writes)  # 200 creates = 600 points: the 201st does not fit
        assert err.value.retry_at is not None
        assert len(client.follows()) == 200
    assert transport.count("com.atproto.repo.applyWrites") == 1
