"""The X client: signing, PKCE, the four calls, error mapping, secrets kept out of messages,
and the guarantee that nothing in portabilite can remove or switch off the X account.

Everything runs against respx (no network); ``sleep`` and the clock are fakes, so the suite
takes well under a second.
"""

from __future__ import annotations

import ast
import base64
import json
import logging
import random
import re
import string
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

import httpx
import pytest
import respx

from portabilite._catalog import MESSAGES
from portabilite.errors import (
    AuthenticationError,
    NetworkError,
    PortabiliteError,
    RateLimitedError,
    RefusedError,
    SessionExpiredError,
    UnreachableError,
)
from portabilite.i18n import t, template
from portabilite.networks import x as xmod
from portabilite.networks._ratelimit import RetryPolicy
from portabilite.networks.x import (
    AUTHORIZE_URL,
    SCOPES,
    OAuth1Credentials,
    OAuth2Token,
    XClient,
    XUser,
    authorize_url,
    code_challenge,
    exchange_code,
    intent_url,
    make_code_verifier,
    oauth1_header,
    oauth1_signature,
    percent_encode,
    post_cost,
    refresh_access_token,
    signature_base_string,
)
from portabilite.secrets import Secret

PACKAGE = Path(__file__).resolve().parent.parent / "portabilite"
API = "https://api.x.com"
NOW = 1_800_000_000.0

# Invented credentials, long and distinctive so that a leak is easy to find.
ACCESS = "AAAAtestACCESStoken0123456789abcdefXYZ"
REFRESH = "RRRRtestREFRESHtoken0123456789abcdefXYZ"
NEW_ACCESS = "NNNNtestNEWaccess0123456789abcdefXYZ"
NEW_REFRESH = "MMMMtestNEWrefresh0123456789abcdefXYZ"
CLIENT_SECRET = "CCCCtestCLIENTsecret0123456789abcdefXYZ"
CONSUMER_KEY = "KKKKtestCONSUMERkey0123456789"
CONSUMER_SECRET = "SSSStestCONSUMERsecret0123456789abcdefXYZ"
TOKEN = "1234567890-TTTTtestACCESStoken0123456789abcdef"
TOKEN_SECRET = "UUUUtestTOKENsecret0123456789abcdefXYZ"
CODE = "CODEtestAUTHORIZATIONcode0123456789abcdef"
VERIFIER = "VERIFIERtest0123456789abcdefghijklmnopqrstuvwxyz"
ALL_SECRETS = (
    ACCESS,
    REFRESH,
    NEW_ACCESS,
    NEW_REFRESH,
    CLIENT_SECRET,
    CONSUMER_KEY,
    CONSUMER_SECRET,
    TOKEN,
    TOKEN_SECRET,
    CODE,
    VERIFIER,
)


class FakeTime:
    """A clock that only moves when the code sleeps; every sleep is recorded."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def router():
    return respx.Router(base_url=API, assert_all_called=False)


def _kwargs(router, fake_time):
    return dict(
        transport=httpx.MockTransport(router.handler),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=random.Random(7),
    )


def oauth2_client(
    router,
    fake_time,
    *,
    expires_at: float | None = NOW + 7200,
    refresh: str | None = REFRESH,
    client_id: str | None = "client-id-1",
    on_token_refresh=None,
) -> XClient:
    token = OAuth2Token(
        access_token=Secret(ACCESS),
        refresh_token=Secret(refresh) if refresh else None,
        expires_at=expires_at,
        scope=" ".join(SCOPES),
    )
    return XClient(
        token,
        client_id=client_id,
        client_secret=CLIENT_SECRET,
        on_token_refresh=on_token_refresh,
        **_kwargs(router, fake_time),
    )


def oauth1_client(router, fake_time) -> XClient:
    creds = OAuth1Credentials(
        Secret(CONSUMER_KEY), Secret(CONSUMER_SECRET), Secret(TOKEN), Secret(TOKEN_SECRET)
    )
    return XClient(creds, nonce=lambda: "fixedNonce0123456789abcdef", **_kwargs(router, fake_time))


ME = {"data": {"id": "2244994945", "username": "VilleFictive", "name": "Ville de Fictiveville"}}
POSTED = {
    "data": {
        "id": "1445880548472328192",
        "text": "hello",
        "edit_history_tweet_ids": ["1445880548472328192"],
    }
}
CREDITS = {
    "account_id": 1234567890123456789,
    "title": "CreditsDepleted",
    "detail": "Your enrolled account [1234567890123456789] does not have any credits "
    "to fulfill this request.",
    "type": "https://api.twitter.com/2/problems/credits",
}
FORBIDDEN = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}
UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}


def parse_oauth_header(value: str) -> dict[str, str]:
    assert value.startswith("OAuth ")
    fields = {}
    for part in value[len("OAuth ") :].split(", "):
        name, _, quoted = part.partition("=")
        assert quoted.startswith('"') and quoted.endswith('"'), part
        fields[name] = unquote(quoted[1:-1])
    return fields


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in ALL_SECRETS:
            assert secret not in text, f"a secret leaked into: {text!r}"


def all_renderings(error: PortabiliteError) -> list[str]:
    return [
        str(error),
        error.message("en"),
        error.message("fr"),
        repr(error),
        repr(error.args),
        repr(error.params),
    ]


# -- OAuth 1.0a signatures -----------------------------------------------------------------------


def test_rfc5849_section_1_2_signature_exactly():
    """RFC 5849 section 1.2: the protected photo request, signed MdpQcU8iPSUjWoN/UDMsK2sui9I=."""
    signature = oauth1_signature(
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
        [
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131202"),
            ("oauth_nonce", "chapoH"),
        ],
        consumer_secret="kd94hf93k423kf44",
        token_secret="pfkkdhi9sl3r4s00",
    )
    assert signature == "MdpQcU8iPSUjWoN/UDMsK2sui9I="
    header = oauth1_header(
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
        consumer_key="dpf43f3p2l4k3l03",
        consumer_secret="kd94hf93k423kf44",
        token="nnch734d00sl2jdk",
        token_secret="pfkkdhi9sl3r4s00",
        nonce="chapoH",
        timestamp=137131202,
        version=None,
        realm="Photos",
    )
    assert header.startswith('OAuth realm="Photos", ')
    assert 'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"' in header


def test_rfc5849_section_3_4_1_base_string_with_query_and_form_params():
    """RFC 5849 section 3.4.1.1: repeated names, empty values, encoded query, '+' in a form
    body, sorting by name then value."""
    base = signature_base_string(
        "post",
        "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        [
            *parse_qsl("c2&a3=2+q", keep_blank_values=True),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ],
    )
    assert base == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D"
        "%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_"
        "nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201"
        "%26oauth_token%3Dkkk9d7dh3k39sjv7"
    )


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://EXAMPLE.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X"),  # RFC 3.4.1.2
        ("https://www.example.net:8080/?q=1", "https://www.example.net:8080/"),  # RFC 3.4.1.2
        ("https://API.X.com:443/2/tweets", "https://api.x.com/2/tweets"),
    ],
)
def test_base_string_uri(url, expected):
    assert signature_base_string("GET", url, []).split("&")[1] == percent_encode(expected)


def test_x_docs_creating_a_signature_example_exactly():
    """X's "Creating a signature" guide: the signed status update, hCtSmYh+iHYCEqBWrE7C7hYmtUk=,
    and the header X shows (seven parameters, sorted, percent-encoded, quoted)."""
    url = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
    body = [("status", "Hello Ladies + Gentlemen, a signed OAuth request!")]
    oauth = [
        ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
        ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "1318622958"),
        ("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
        ("oauth_version", "1.0"),
    ]
    assert signature_base_string("POST", url, [*body, *oauth]) == (
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3D"
        "true%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWb"
        "WovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D13"
        "18622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_ve"
        "rsion%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed"
        "%2520OAuth%2520request%2521"
    )
    header = oauth1_header(
        "POST",
        url,
        consumer_key="xvz1evFS4wEEPTGEFPHBog",
        consumer_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        body_params=body,
        nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        timestamp=1318622958,
    )
    assert header == (
        'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", '
        'oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", '
        'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", '
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", '
        'oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", '
        'oauth_version="1.0"'
    )


@pytest.mark.parametrize(
    "raw, encoded",
    [
        ("Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen"),
        ("An encoded string!", "An%20encoded%20string%21"),
        ("Dogs, Cats & Mice", "Dogs%2C%20Cats%20%26%20Mice"),
        ("☃", "%E2%98%83"),
        ("é*'()~-._", "%C3%A9%2A%27%28%29~-._"),
        ("a/b?c=d#e", "a%2Fb%3Fc%3Dd%23e"),
    ],
)
def test_percent_encoding_rfc5849_section_3_6(raw, encoded):
    assert percent_encode(raw) == encoded


def test_oauth1_requests_are_signed_with_query_and_form_params(router, fake_time):
    """The header sent has X's shape, and its signature is the one computed over exactly what
    was sent (URL + form body), with the injected nonce and the clock's timestamp."""
    router.get("/2/users/me").respond(200, json=ME)
    profile = router.post("/1.1/account/update_profile.json").respond(200, json={"id": 1})
    with oauth1_client(router, fake_time) as client:
        assert client.auth_mode == "oauth1"
        assert client.me() == XUser("2244994945", "VilleFictive", "Ville de Fictiveville")
        client.update_profile(
            description="Je déménage : @ville@exemple.social & bsky",
            url="https://exemple.social/@ville",
        )
    for route_call in router.calls:
        request = route_call.request
        header = request.headers["Authorization"]
        assert re.fullmatch(r'OAuth (oauth_[a-z_]+="[A-Za-z0-9%._~-]*"(, |$))+', header)
        fields = parse_oauth_header(header)
        assert set(fields) == {
            "oauth_consumer_key",
            "oauth_nonce",
            "oauth_signature",
            "oauth_signature_method",
            "oauth_timestamp",
            "oauth_token",
            "oauth_version",
        }
        assert fields["oauth_consumer_key"] == CONSUMER_KEY and fields["oauth_token"] == TOKEN
        assert fields["oauth_nonce"] == "fixedNonce0123456789abcdef"
        assert fields["oauth_timestamp"] == str(int(NOW))
        assert fields["oauth_signature_method"] == "HMAC-SHA1" and fields["oauth_version"] == "1.0"
        signed = [(k, v) for k, v in fields.items() if k != "oauth_signature"]
        if request.headers.get("Content-Type") == "application/x-www-form-urlencoded":
            signed += parse_qsl(request.content.decode(), keep_blank_values=True)
        expected = oauth1_signature(
            request.method,
            str(request.url),
            signed,
            consumer_secret=CONSUMER_SECRET,
            token_secret=TOKEN_SECRET,
        )
        assert fields["oauth_signature"] == expected
    body = dict(parse_qsl(profile.calls.last.request.content.decode()))
    assert body == {
        "description": "Je déménage : @ville@exemple.social & bsky",
        "url": "https://exemple.social/@ville",
        "skip_status": "true",
    }
    assert b"+" not in profile.calls.last.request.content  # spaces as %20, as signed


# -- OAuth 2.0 with PKCE -------------------------------------------------------------------------


def test_pkce_rfc7636_appendix_b():
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_fresh_code_verifiers_are_valid_secret_and_distinct():
    first, second = make_code_verifier(), make_code_verifier()
    assert isinstance(first, Secret) and first != second
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first.reveal())
    assert first.reveal() not in repr(first)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", code_challenge(first))
    with pytest.raises(ValueError):
        code_challenge("too-short")


def test_authorize_url_parameters():
    url = authorize_url(
        client_id="client-id-1",
        redirect_uri="http://127.0.0.1:8765/callback",
        state="st4te",
        challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    )
    assert AUTHORIZE_URL == "https://x.com/i/oauth2/authorize"
    assert url.startswith(AUTHORIZE_URL + "?")
    assert "scope=tweet.read%20tweet.write%20users.read%20offline.access" in url
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query, strict_parsing=True).items()}
    assert params == {
        "response_type": "code",
        "client_id": "client-id-1",
        "redirect_uri": "http://127.0.0.1:8765/callback",
        "scope": "tweet.read tweet.write users.read offline.access",
        "state": "st4te",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }


TOKEN_BODY = {
    "token_type": "bearer",
    "expires_in": 7200,
    "access_token": ACCESS,
    "scope": "tweet.read tweet.write users.read offline.access",
    "refresh_token": REFRESH,
}


def test_token_exchange_public_client(router, fake_time):
    route = router.post("/2/oauth2/token").respond(200, json=TOKEN_BODY)
    token = exchange_code(
        CODE,
        client_id="client-id-1",
        redirect_uri="http://127.0.0.1/cb",
        code_verifier=Secret(VERIFIER),
        **_kwargs(router, fake_time),
    )
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in request.headers
    assert dict(parse_qsl(request.content.decode())) == {
        "code": CODE,
        "grant_type": "authorization_code",
        "client_id": "client-id-1",
        "redirect_uri": "http://127.0.0.1/cb",
        "code_verifier": VERIFIER,
    }
    assert token.access_token.reveal() == ACCESS and token.refresh_token.reveal() == REFRESH
    assert token.expires_at == NOW + 7200 and token.scope == TOKEN_BODY["scope"]
    assert ACCESS not in repr(token) and REFRESH not in repr(token)
    assert OAuth2Token.from_record(token.to_record()) == token


def test_token_exchange_confidential_client_uses_basic_auth(router, fake_time):
    route = router.post("/2/oauth2/token").respond(200, json=TOKEN_BODY)
    exchange_code(
        CODE,
        client_id="client-id-1",
        client_secret=CLIENT_SECRET,
        redirect_uri="http://127.0.0.1/cb",
        code_verifier=VERIFIER,
        **_kwargs(router, fake_time),
    )
    expected = base64.b64encode(f"client-id-1:{CLIENT_SECRET}".encode()).decode()
    assert route.calls.last.request.headers["Authorization"] == f"Basic {expected}"


def test_token_exchange_refused_is_an_authentication_error(router, fake_time):
    route = router.post("/2/oauth2/token").respond(
        400,
        json={
            "error": "invalid_request",
            "error_description": "Value passed for the authorization code was invalid.",
        },
    )
    with pytest.raises(AuthenticationError) as caught:
        exchange_code(
            CODE,
            client_id="client-id-1",
            redirect_uri="http://127.0.0.1/cb",
            code_verifier=VERIFIER,
            **_kwargs(router, fake_time),
        )
    assert "authorization code was invalid" in str(caught.value)
    assert route.call_count == 1 and fake_time.sleeps == []
    assert_no_secret(*all_renderings(caught.value))


def test_refresh_token(router, fake_time):
    route = router.post("/2/oauth2/token").respond(
        200, json={**TOKEN_BODY, "access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH}
    )
    token = refresh_access_token(REFRESH, client_id="client-id-1", **_kwargs(router, fake_time))
    assert dict(parse_qsl(route.calls.last.request.content.decode())) == {
        "refresh_token": REFRESH,
        "grant_type": "refresh_token",
        "client_id": "client-id-1",
    }
    assert token.access_token.reveal() == NEW_ACCESS
    assert token.refresh_token.reveal() == NEW_REFRESH


def test_refresh_refused_means_log_in_again(router, fake_time):
    router.post("/2/oauth2/token").respond(
        400,
        json={
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        },
    )
    with pytest.raises(SessionExpiredError) as caught:
        refresh_access_token(REFRESH, client_id="client-id-1", **_kwargs(router, fake_time))
    assert "portabilite login x" in str(caught.value)
    assert_no_secret(*all_renderings(caught.value))


def test_expired_token_is_refreshed_before_the_call_and_handed_back(router, fake_time):
    router.post("/2/oauth2/token").respond(
        200, json={**TOKEN_BODY, "access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH}
    )
    me = router.get("/2/users/me").respond(200, json=ME)
    saved: list[OAuth2Token] = []
    with oauth2_client(
        router, fake_time, expires_at=NOW - 1, on_token_refresh=saved.append
    ) as client:
        assert client.me().username == "VilleFictive"
        assert client.token is saved[0]
    assert me.calls.last.request.headers["Authorization"] == f"Bearer {NEW_ACCESS}"
    assert saved[0].refresh_token.reveal() == NEW_REFRESH


def test_a_401_refreshes_once_then_retries(router, fake_time):
    token_route = router.post("/2/oauth2/token").respond(
        200, json={**TOKEN_BODY, "access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH}
    )
    me = router.get("/2/users/me").mock(
        side_effect=[httpx.Response(401, json=UNAUTHORIZED), httpx.Response(200, json=ME)]
    )
    with oauth2_client(router, fake_time) as client:
        assert client.me().id == "2244994945"
    assert token_route.call_count == 1 and me.call_count == 2
    assert [c.request.headers["Authorization"] for c in me.calls] == [
        f"Bearer {ACCESS}",
        f"Bearer {NEW_ACCESS}",
    ]


# -- the calls -------------------------------------------------------------------------------------


def test_me(router, fake_time):
    route = router.get("/2/users/me").respond(200, json=ME)
    with oauth2_client(router, fake_time) as client:
        assert client.auth_mode == "oauth2"
        assert client.me() == XUser("2244994945", "VilleFictive", "Ville de Fictiveville")
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert request.headers["User-Agent"].startswith("portabilite/")
    assert request.url == f"{API}/2/users/me"


def test_post(router, fake_time):
    route = router.post("/2/tweets").respond(201, json=POSTED)
    text = "Je déménage : retrouvez-moi sur https://bsky.app/profile/ville.example"
    with oauth2_client(router, fake_time) as client:
        assert client.post(text) == "1445880548472328192"
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert json.loads(request.content) == {"text": text}


def test_post_with_oauth1_signs_without_the_json_body(router, fake_time):
    route = router.post("/2/tweets").respond(201, json=POSTED)
    with oauth1_client(router, fake_time) as client:
        assert client.post("hello") == "1445880548472328192"
    request = route.calls.last.request
    fields = parse_oauth_header(request.headers["Authorization"])
    signed = [(k, v) for k, v in fields.items() if k != "oauth_signature"]
    assert fields["oauth_signature"] == oauth1_signature(
        "POST",
        f"{API}/2/tweets",
        signed,
        consumer_secret=CONSUMER_SECRET,
        token_secret=TOKEN_SECRET,
    )


def test_402_no_credits_explains_the_cost_and_the_way_out(router, fake_time):
    route = router.post("/2/tweets").respond(402, json=CREDITS)
    with oauth2_client(router, fake_time) as client, pytest.raises(RefusedError) as caught:
        client.post("hello")
    error = caught.value
    assert error.key == "x.payment_required" and error.network == "x"
    assert route.call_count == 1 and fake_time.sleeps == []  # a "no" is never retried
    english, french = error.message("en"), error.message("fr")
    assert "charges for every request" in english and "post by hand" in english
    assert "payante à chaque requête" in french and "publiez à la main" in french
    assert "does not have any credits" in english  # X's own words are kept
    assert_no_secret(*all_renderings(error))


def test_credits_problem_under_another_status_is_still_the_cost_message(router, fake_time):
    router.get("/2/users/me").respond(403, json={**CREDITS, "status": 403})
    with oauth2_client(router, fake_time) as client, pytest.raises(RefusedError) as caught:
        client.me()
    assert caught.value.key == "x.payment_required"


def test_403_is_refused_with_x_detail(router, fake_time):
    route = router.post("/2/tweets").respond(403, json=FORBIDDEN)
    with oauth2_client(router, fake_time) as client, pytest.raises(RefusedError) as caught:
        client.post("hello")
    assert caught.value.key == "network.refused"
    assert "duplicate content" in str(caught.value) and "403" in str(caught.value)
    assert "duplicate content" in caught.value.message("fr")
    assert route.call_count == 1 and fake_time.sleeps == []


def test_v1_errors_are_read_too(router, fake_time):
    router.post("/1.1/account/update_profile.json").respond(
        403,
        json={"errors": [{"code": 120, "message": "Account update failed: value is too long."}]},
    )
    with oauth1_client(router, fake_time) as client, pytest.raises(RefusedError) as caught:
        client.update_profile(description="x" * 200)
    assert "value is too long" in str(caught.value)


def test_401_is_an_expired_session_and_a_refused_login_at_login(router, fake_time):
    route = router.get("/2/users/me").respond(401, json=UNAUTHORIZED)
    with oauth2_client(router, fake_time, refresh=None) as client:
        with pytest.raises(SessionExpiredError) as expired:
            client.me()
        with pytest.raises(AuthenticationError) as refused:
            client.me(at_login=True)
    assert "portabilite login x" in str(expired.value)
    assert route.call_count == 2 and fake_time.sleeps == []
    assert_no_secret(*all_renderings(expired.value), *all_renderings(refused.value))


def test_429_storm_waits_for_the_reset_then_succeeds(router, fake_time):
    def limited(request):
        return httpx.Response(
            429,
            json={"title": "Too Many Requests", "status": 429},
            headers={
                "x-rate-limit-limit": "75",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(fake_time.now) + 30),
            },
        )

    route = router.get("/2/users/me").mock(
        side_effect=[limited, limited, limited, httpx.Response(200, json=ME)]
    )
    with oauth2_client(router, fake_time) as client:
        assert client.me().username == "VilleFictive"
    assert route.call_count == 4
    assert len(fake_time.sleeps) == 3
    # until the reset (whole epoch seconds, so up to 1 s early), plus at most 1 s of jitter
    assert all(29 < s <= 31 for s in fake_time.sleeps), fake_time.sleeps


def test_429_with_reset_hours_away_raises_at_once_with_retry_at(router, fake_time):
    reset = int(NOW) + 5 * 3600
    route = router.post("/2/tweets").respond(429, headers={"x-rate-limit-reset": str(reset)})
    with oauth2_client(router, fake_time) as client, pytest.raises(RateLimitedError) as caught:
        client.post("hello")
    assert fake_time.sleeps == [] and route.call_count == 1
    retry_at = caught.value.retry_at
    assert isinstance(retry_at, datetime) and retry_at.tzinfo is not None
    assert abs(retry_at.timestamp() - reset) <= 1.0
    assert retry_at.strftime("%Y-%m-%d %H:%M") in str(caught.value)


def test_429_daily_cap_uses_the_24_hour_reset(router, fake_time):
    daily = int(NOW) + 20 * 3600
    router.post("/2/tweets").respond(
        429,
        headers={
            "x-rate-limit-reset": str(int(NOW) + 60),
            "x-user-limit-24hour-limit": "17",
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": str(daily),
        },
    )
    with oauth2_client(router, fake_time) as client, pytest.raises(RateLimitedError) as caught:
        client.post("hello")
    assert fake_time.sleeps == []
    assert abs(caught.value.retry_at.timestamp() - daily) <= 1.0


@pytest.mark.parametrize("call", ["me", "post"])
def test_503_then_success(router, fake_time, call):
    # X puts x-rate-limit-reset on every answer: a 503 must not make us wait for it.
    unavailable = httpx.Response(503, headers={"x-rate-limit-reset": str(int(NOW) + 800)})
    if call == "me":
        route = router.get("/2/users/me").mock(
            side_effect=[unavailable, unavailable, httpx.Response(200, json=ME)]
        )
    else:
        route = router.post("/2/tweets").mock(
            side_effect=[unavailable, httpx.Response(201, json=POSTED)]
        )
    with oauth2_client(router, fake_time) as client:
        result = client.me() if call == "me" else client.post("hello")
    assert result
    assert route.call_count == len(fake_time.sleeps) + 1
    assert all(0 < s <= 4 for s in fake_time.sleeps)  # short backoff, not the window reset


def test_503_with_retry_after_waits_that_long(router, fake_time):
    route = router.get("/2/users/me").mock(
        side_effect=[
            httpx.Response(503, headers={"retry-after": "7"}),
            httpx.Response(200, json=ME),
        ]
    )
    with oauth2_client(router, fake_time) as client:
        client.me()
    assert route.call_count == 2 and len(fake_time.sleeps) == 1
    assert 7 <= fake_time.sleeps[0] <= 8


def test_timeouts_end_in_unreachable_after_backoff(router, fake_time):
    route = router.get("/2/users/me").mock(side_effect=httpx.ReadTimeout("timed out"))
    with oauth2_client(router, fake_time) as client, pytest.raises(UnreachableError) as caught:
        client.me()
    attempts = RetryPolicy().attempts
    assert route.call_count == attempts and len(fake_time.sleeps) == attempts - 1
    assert all(0 < s <= RetryPolicy().max_delay for s in fake_time.sleeps)
    assert "api.x.com" in str(caught.value) and "timeout" in str(caught.value)


def test_persistent_5xx_ends_in_unreachable(router, fake_time):
    router.get("/2/users/me").respond(502)
    with oauth2_client(router, fake_time) as client, pytest.raises(UnreachableError) as caught:
        client.me()
    assert "HTTP 502" in str(caught.value)


def test_a_post_is_never_sent_twice_once_it_may_have_arrived(router, fake_time):
    route = router.post("/2/tweets").mock(side_effect=httpx.ReadTimeout("timed out"))
    with oauth2_client(router, fake_time) as client, pytest.raises(UnreachableError) as caught:
        client.post("hello")
    assert caught.value.key == "x.post_uncertain"
    assert route.call_count == 1 and fake_time.sleeps == []
    assert "may have been published" in str(caught.value)
    assert "peut-être été publié" in caught.value.message("fr")
    router.post("/2/tweets").respond(500)
    with oauth2_client(router, fake_time) as client, pytest.raises(UnreachableError) as caught:
        client.post("hello")
    assert caught.value.key == "x.post_uncertain"


def test_a_post_that_never_left_is_retried(router, fake_time):
    route = router.post("/2/tweets").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(201, json=POSTED)]
    )
    with oauth2_client(router, fake_time) as client:
        assert client.post("hello") == "1445880548472328192"
    assert route.call_count == 2 and len(fake_time.sleeps) == 1


def test_unexpected_answers_are_reported(router, fake_time):
    router.get("/2/users/me").respond(200, json={"errors": [{"message": "odd"}]})
    with oauth2_client(router, fake_time) as client, pytest.raises(NetworkError) as caught:
        client.me()
    assert caught.value.key == "network.bad_response"


def test_update_profile_in_oauth2_mode_must_be_done_by_hand(router, fake_time):
    with oauth2_client(router, fake_time) as client, pytest.raises(RefusedError) as caught:
        client.update_profile(description="Je déménage")
    assert caught.value.key == "x.profile_by_hand"
    assert router.calls.call_count == 0
    assert "https://x.com/settings/profile" in caught.value.message("en")
    assert "à la main" in caught.value.message("fr") and "OAuth 1.0a" in str(caught.value)
    with oauth1_client(router, fake_time) as client, pytest.raises(ValueError):
        client.update_profile()


def test_intent_url_needs_no_api():
    text = "Je déménage : https://bsky.app/profile/ville.example & @ville@exemple.social #X"
    url = XClient.intent_url(text)
    assert url == intent_url(text)
    assert url.startswith("https://x.com/intent/post?text=")
    assert " " not in url and "#" not in url.split("?", 1)[1] and "&" not in url.split("?", 1)[1]
    assert parse_qs(urlsplit(url).query) == {"text": [text]}


def test_post_cost_is_the_published_price_and_links_cost_more():
    assert post_cost("Bonjour à tous") == ("plain", Decimal("0.015"))
    assert post_cost("Suivez-moi : https://bsky.app/profile/a.b") == ("url", Decimal("0.200"))
    assert post_cost("Je suis sur exemple.social désormais") == ("url", Decimal("0.200"))
    kind, price = post_cost("Nouveau compte : www.exemple.fr")
    notice = t(
        "x.cost_known",
        "fr",
        price=price,
        kind=t(f"x.cost_kind.{kind}", "fr"),
        checked=xmod.POST_COSTS_CHECKED,
    )
    assert "0.200" in notice and "avec un lien" in notice
    assert xmod.POST_COSTS_SOURCE.startswith("https://docs.x.com/")


# -- secrets -------------------------------------------------------------------------------------


def test_no_secret_in_any_error_or_log_line(router, fake_time, caplog):
    """Every failure path, including an X answer that echoes a token back: no token, secret,
    code, verifier or signature shows in messages (both languages), reprs or logs."""
    caplog.set_level(logging.DEBUG)
    errors: list[PortabiliteError] = []
    signatures: list[str] = []

    def expect(exc_type, fn):
        with pytest.raises(exc_type) as caught:
            fn()
        errors.append(caught.value)

    echo = {
        "detail": f"token {ACCESS} rejected",  # X echoing back what it was sent
        "title": "Forbidden",
        "type": "about:blank",
    }
    router.get("/2/users/me").respond(403, json=echo)
    router.post("/2/tweets").mock(
        side_effect=[
            httpx.Response(402, json=CREDITS),
            httpx.Response(401, json=UNAUTHORIZED),
            httpx.ReadTimeout("timed out"),
            httpx.Response(429, headers={"x-rate-limit-reset": str(int(NOW) + 86_400)}),
        ]
    )
    router.post("/1.1/account/update_profile.json").respond(
        401, json={"errors": [{"code": 89, "message": f"Invalid or expired token {TOKEN}."}]}
    )
    router.post("/2/oauth2/token").respond(
        400, json={"error": "invalid_grant", "error_description": f"bad code {CODE} for {VERIFIER}"}
    )

    with oauth2_client(router, fake_time, refresh=None) as client:
        expect(RefusedError, client.me)
        expect(RefusedError, lambda: client.post("a"))
        expect(SessionExpiredError, lambda: client.post("b"))
        expect(UnreachableError, lambda: client.post("c"))
        expect(RateLimitedError, lambda: client.post("d"))
        expect(RefusedError, lambda: client.update_profile(url="https://exemple.fr"))
        assert_no_secret(repr(client), repr(client.token))
    with oauth1_client(router, fake_time) as client:
        expect(RefusedError, client.me)
        expect(SessionExpiredError, lambda: client.update_profile(description="d"))
        assert_no_secret(repr(client))
    for call in router.calls:
        header = call.request.headers.get("Authorization", "")
        if header.startswith("OAuth "):
            signatures.append(parse_oauth_header(header)["oauth_signature"])
    assert signatures
    kw = _kwargs(router, fake_time)
    expect(
        AuthenticationError,
        lambda: exchange_code(
            CODE,
            client_id="client-id-1",
            client_secret=CLIENT_SECRET,
            redirect_uri="http://127.0.0.1/cb",
            code_verifier=VERIFIER,
            **kw,
        ),
    )
    expect(
        SessionExpiredError,
        lambda: refresh_access_token(
            REFRESH, client_id="client-id-1", client_secret=CLIENT_SECRET, **kw
        ),
    )

    assert len(errors) == 10
    texts = [text for error in errors for text in all_renderings(error)]
    assert any("rejected" in text for text in texts)  # the echo was shown, masked
    assert_no_secret(*texts, caplog.text)
    for signature in signatures:
        for text in [*texts, caplog.text]:
            assert signature not in text and percent_encode(signature) not in text


# -- the X account is kept: nothing can remove or switch it off ---------------------------------

FORBIDDEN_STRINGS = (
    "account/deactivate",
    "deactivate.json",
    "/1.1/account/remove",
    "account/destroy",
    "account/delete",
    "delete_account",
    "deactivate_account",
    "remove_account",
    "destroy_account",
)
# Verbs only: "deactivated" (a state another account is in, e.g. a Bluesky error name) is fine.
FORBIDDEN_NAME = re.compile(r"deactivat(?!ed)|(delete|remove|destroy|close)_account", re.I)


def test_no_account_deletion_or_deactivation_anywhere_in_the_package():
    files = sorted(PACKAGE.rglob("*.py"))
    names = {p.relative_to(PACKAGE).as_posix() for p in files}
    # Not vacuous: the scan reads the whole package, this client included.
    assert {
        "networks/x.py",
        "networks/_ratelimit.py",
        "errors.py",
        "secrets.py",
        "_catalog/x.py",
        "cli/_app.py",
    } <= names
    assert len(files) >= 20
    offences = []
    scanned_functions = 0
    for path in files:
        source = path.read_text(encoding="utf-8")
        lowered = source.lower()
        for needle in FORBIDDEN_STRINGS:
            if needle in lowered:
                offences.append(f"{path.name}: mentions {needle!r}")
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                scanned_functions += 1
                if FORBIDDEN_NAME.search(node.name) or "delete_account" in node.name.lower():
                    offences.append(f"{path.name}: defines {node.name}()")
    assert scanned_functions > 100
    assert not offences, offences


def test_the_scan_would_catch_an_offence():
    """The detectors themselves work (so a green scan means something)."""
    source = (
        "def deactivate_account(self):\n"
        "    return 'https://api.x.com/1.1/account/deactivate.json'\n"
    )
    assert any(n in source.lower() for n in FORBIDDEN_STRINGS)
    names = [n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)]
    assert any(FORBIDDEN_NAME.search(n) for n in names)
    assert not FORBIDDEN_NAME.search("is_deactivated")


def test_xclient_has_nothing_that_deletes_or_deactivates(router, fake_time):
    for subject in (XClient, oauth2_client(router, fake_time), oauth1_client(router, fake_time)):
        for name in dir(subject):
            assert "delete" not in name.lower() and "deactivat" not in name.lower(), name
    public = {n for n in vars(XClient) if not n.startswith("_")}
    assert public == {
        "me",
        "post",
        "update_profile",
        "intent_url",
        "close",
        "auth_mode",
        "token",
        "iter_following",
        "users",
        "owned_lists",
        "list_members",
    }


def test_the_x_client_never_sends_a_delete_request():
    tree = ast.parse((PACKAGE / "networks" / "x.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value.strip().upper() != "DELETE"
        if isinstance(node, ast.Attribute):
            assert node.attr != "delete"


# -- catalogue -----------------------------------------------------------------------------------


def test_every_message_key_the_client_uses_exists_in_both_languages():
    source = (PACKAGE / "networks" / "x.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"((?:x|network)\.[a-z_.]+)"', source))
    assert {
        "x.payment_required",
        "x.profile_by_hand",
        "x.post_uncertain",
        "network.session_expired",
        "network.rate_limited",
        "network.refused",
    } <= used
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}
    for key in used | {k for k in MESSAGES if k.startswith("x.")}:
        assert key in MESSAGES, key
        assert fields(template(key, "en")) == fields(template(key, "fr")), key
        assert template(key, "en") != template(key, "fr"), key
