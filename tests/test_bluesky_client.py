"""BlueskyClient fault injection with respx (the atproto SDK speaks httpx): what no real
server shows on demand. The happy paths run against the real local network
(tests/integration/test_bluesky_client.py)."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest
import respx

from portabilite.errors import (
    AuthenticationError,
    RateLimitedError,
    RefusedError,
    SessionExpiredError,
    UnreachableError,
)
from portabilite.networks import HostGuard, RetryPolicy
from portabilite.networks.bluesky import BlueskyClient

APPVIEW = "https://appview.example"
PDS = "https://pds.example"
PROFILE = {"did": "did:plc:abcdefghijklmnopqrstuvwx", "handle": "camille.example"}


def jwt(exp: int, tag: str) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{enc({'alg': 'ES256K', 'typ': 'at+jwt'})}.{enc({'exp': exp, 'sub': PROFILE['did'], 'scope': 'com.atproto.appPass', 'iat': exp - 7200, 'jti': tag})}.c2lnbmF0dXJl{tag}"


def session_string(access_exp: int | None = None) -> str:
    from atproto_client.client.session import Session

    now = int(time.time())
    return Session(
        PROFILE["handle"],
        PROFILE["did"],
        jwt(access_exp or now + 7200, "access"),
        jwt(now + 86400 * 60, "refresh"),
        PDS,
    ).encode()


@pytest.fixture
def waits():
    return []


@pytest.fixture
def client(waits):
    guard = HostGuard([APPVIEW, PDS], network="bluesky", resolver=None)
    c = BlueskyClient(
        appview=APPVIEW,
        pds=PDS,
        guard=guard,
        sleep=waits.append,
        policy=RetryPolicy(attempts=5, base_delay=1, max_delay=8, max_wait=600),
    )
    yield c
    c.close()


def profiles_ok():
    return httpx.Response(200, json={"profiles": [PROFILE]})


@respx.mock
def test_429_storm_with_ratelimit_reset_is_waited_out(client, waits):
    reset = int(time.time()) + 30
    route = respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        side_effect=[
            httpx.Response(
                429,
                headers={
                    "ratelimit-limit": "3000",
                    "ratelimit-remaining": "0",
                    "ratelimit-reset": str(reset),
                    "ratelimit-policy": "3000;w=300",
                },
                json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            ),
            httpx.Response(429, headers={"retry-after": "12"}, json={"error": "RateLimitExceeded"}),
            httpx.Response(
                429, headers={"ratelimit-reset": str(reset)}, json={"error": "RateLimitExceeded"}
            ),
            profiles_ok(),
        ]
    )
    profiles = client.get_profiles(["camille.example"])
    assert [p.did for p in profiles] == [PROFILE["did"]]
    assert route.call_count == 4
    assert len(waits) == 3
    assert 27 <= waits[0] <= 32 and 12 <= waits[1] <= 13.1  # the server's delays, plus jitter


@respx.mock
def test_429_far_in_the_future_is_not_slept(client, waits):
    reset = int(time.time()) + 6 * 3600
    respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        return_value=httpx.Response(
            429, headers={"ratelimit-reset": str(reset)}, json={"error": "RateLimitExceeded"}
        )
    )
    with pytest.raises(RateLimitedError) as err:
        client.get_profiles(["camille.example"])
    assert waits == []
    assert abs(err.value.retry_at.timestamp() - reset) < 5
    assert "try again after" in str(err.value)


@respx.mock
def test_5xx_and_resets_are_retried_with_backoff(client, waits):
    route = respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(503, json={"error": "Unavailable"}),
            httpx.ConnectError("connection reset"),
            httpx.Response(504),
            profiles_ok(),
        ]
    )
    assert client.get_profiles(["camille.example"])
    assert route.call_count == 5
    assert len(waits) == 4 and all(0.5 <= w <= 8 for w in waits)
    assert waits[0] < 1.01 and waits[3] >= 4  # exponential


@respx.mock
def test_timeouts_end_as_unreachable(client, waits):
    respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        side_effect=httpx.ReadTimeout("slow")
    )
    with pytest.raises(UnreachableError, match="appview.example"):
        client.get_profiles(["camille.example"])
    assert len(waits) == 4  # 5 attempts


@respx.mock
def test_a_no_is_never_retried(client, waits):
    route = respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        return_value=httpx.Response(400, json={"error": "InvalidRequest", "message": "bad actor"})
    )
    with pytest.raises(Exception, match="bad actor"):
        client.get_profiles(["???"])
    assert route.call_count == 1 and waits == []


@respx.mock
def test_expired_token_is_refreshed_once_then_the_call_succeeds(client):
    respx.get(f"{PDS}/xrpc/com.atproto.server.getSession").mock(
        side_effect=[
            httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
            httpx.Response(200, json=PROFILE),
        ]
    )
    refresh = respx.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").mock(
        return_value=httpx.Response(
            200,
            json={
                **PROFILE,
                "accessJwt": jwt(int(time.time()) + 7200, "new"),
                "refreshJwt": jwt(int(time.time()) + 86400, "newr"),
            },
        )
    )
    saved = []
    client.on_session = saved.append
    client.resume(session_string())
    assert client.check_session()["did"] == PROFILE["did"]
    assert refresh.call_count == 1
    assert saved and "new" in saved[-1]  # the refreshed session is handed over to be saved


@respx.mock
def test_expired_session_tells_the_user_to_log_in_again_without_secrets(client):
    session = session_string()
    respx.get(f"{PDS}/xrpc/com.atproto.server.getSession").mock(
        return_value=httpx.Response(
            400, json={"error": "ExpiredToken", "message": "Token has expired"}
        )
    )
    respx.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").mock(
        return_value=httpx.Response(
            400, json={"error": "ExpiredToken", "message": "Token has been revoked"}
        )
    )
    client.resume(session)
    with pytest.raises(SessionExpiredError) as err:
        client.check_session()
    assert "portabilite login bluesky" in str(err.value)
    assert "portabilite login bluesky" in err.value.message("fr")
    for part in session.split(":::")[2:4]:
        assert part not in str(err.value) and part not in repr(err.value)


@respx.mock
def test_refused_login_is_an_authentication_error(client):
    respx.post(f"{PDS}/xrpc/com.atproto.server.createSession").mock(
        return_value=httpx.Response(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        )
    )
    with pytest.raises(AuthenticationError) as err:
        client.login("camille.example", "abcd-efgh-ijkl-mnop")
    assert "Invalid identifier or password" in str(err.value)
    assert "abcd-efgh-ijkl-mnop" not in str(err.value)


@respx.mock
def test_pds_discovery_refuses_private_addresses():
    """A DID document pointing at a private address is not followed."""
    c = BlueskyClient(
        appview=APPVIEW,
        plc="https://plc.example",
        guard=HostGuard(
            [APPVIEW, "https://plc.example"], network="bluesky", resolver=lambda host: ["10.0.0.5"]
        ),
    )
    respx.get(f"{APPVIEW}/xrpc/com.atproto.identity.resolveHandle").mock(
        return_value=httpx.Response(200, json={"did": PROFILE["did"]})
    )
    respx.get(f"https://plc.example/{PROFILE['did']}").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": PROFILE["did"],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": "https://evil.example",
                    }
                ],
            },
        )
    )
    from portabilite.errors import BlockedHostError

    with pytest.raises(BlockedHostError, match="evil.example"):
        c.login("camille.example", "abcd-efgh-ijkl-mnop")
    c.close()


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2]",
        b'{"service": 5}',
        b'{"service": "https://pds.example"}',
        b"not json",
        b'{"service": [{"id": "#atproto_pds", "serviceEndpoint": 7}]}',
    ],
)
def test_a_malformed_did_document_is_a_clean_refusal(body):
    from portabilite.errors import PortabiliteError

    did = "did:plc:abcdefghijklmnopqrstuvwx"
    with respx.mock:
        respx.get(f"https://plc.example/{did}").mock(return_value=httpx.Response(200, content=body))
        c = BlueskyClient(
            appview=APPVIEW,
            plc="https://plc.example",
            guard=HostGuard([APPVIEW, "https://plc.example"], network="bluesky", resolver=None),
            sleep=lambda s: None,
        )
        with pytest.raises(PortabiliteError):
            c.resolve_pds(did)


@respx.mock
def test_a_redirect_is_refused_not_followed_past_the_guard(client):
    respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        return_value=httpx.Response(
            302, headers={"location": "http://169.254.169.254/latest/meta-data"}
        )
    )
    metadata = respx.get("http://169.254.169.254/latest/meta-data").mock(
        return_value=httpx.Response(200, json={"secret": "x"})
    )
    with pytest.raises(RefusedError, match="redirect to http://169.254.169.254"):
        client.get_profiles(["camille.example"])
    assert not metadata.called


@respx.mock
def test_an_endless_answer_is_cut_at_the_cap(client):
    from portabilite.networks._connect import MAX_ANSWER_BYTES

    def endless():
        chunk = b" " * (1 << 20)
        for _ in range((MAX_ANSWER_BYTES >> 20) + 50):
            yield chunk

    respx.get(f"{APPVIEW}/xrpc/app.bsky.actor.getProfiles").mock(
        return_value=httpx.Response(
            200, headers={"content-type": "application/json"}, content=endless()
        )
    )
    with pytest.raises(RefusedError, match="larger than 16 MiB"):
        client.get_profiles(["camille.example"])
