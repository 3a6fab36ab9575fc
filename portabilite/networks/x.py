"""The X client: who am I, post once, change the bio and website, build a "post by hand" link.

portabilite keeps the X account (a handle that is given up gets squatted), so this module only
reads the account, creates posts and edits the profile. It has no method that removes or
switches off anything account-level, and a test scans the package to keep it that way.

Two ways to authenticate, both user context:

* OAuth 2.0 (authorization code with PKCE): ``OAuth2Token``; the access token is refreshed with
  the refresh token (scope ``offline.access``) before it expires or after a 401, and
  ``on_token_refresh`` receives the new token so that the caller can save it (X rotates them).
* OAuth 1.0a: ``OAuth1Credentials`` (consumer key and secret, access token and secret); every
  request is signed with HMAC-SHA1 per RFC 5849 (``oauth1_header``). Only this mode can change
  the profile (``update_profile`` uses the v1.1 endpoint, which takes OAuth 1.0a only).

Errors are ``PortabiliteError``s with ``network="x"``: 401 -> ``SessionExpiredError``
(``AuthenticationError`` when logging in), 402 or X's "credits" problem -> ``RefusedError``
explaining that the API is paid per request and how to post by hand, other 4xx ->
``RefusedError`` with X's own words, 429 -> wait until ``x-rate-limit-reset`` (a long wait
becomes ``RateLimitedError``), 5xx, timeouts and connection errors -> backoff, then
``UnreachableError``. A request that creates something is never retried once it may have
reached X (read timeout, 500, 502, 504): the error says to check before posting again.

Costs: X's pay-per-use plan charges every request. ``POST_COSTS_USD`` holds the prices X
published for creating a post (see ``post_cost``); show them before posting. No message,
exception or log line ever holds a token, a secret or a signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import re
import secrets as _secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, Union
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx

from .._version import __version__
from ..errors import (
    AuthenticationError,
    NetworkError,
    PortabiliteError,
    RateLimitedError,
    RefusedError,
    SessionExpiredError,
    UnreachableError,
)
from ..secrets import Secret, redact, register_secret
from ._ratelimit import (
    Decision,
    RetryPolicy,
    Verdict,
    call_with_retry,
    parse_reset,
    wait_from_headers,
)

__all__ = [
    "X_API",
    "AUTHORIZE_URL",
    "TOKEN_PATH",
    "INTENT_URL",
    "SCOPES",
    "POST_COSTS_USD",
    "POST_COSTS_SOURCE",
    "POST_COSTS_CHECKED",
    "post_cost",
    "has_link",
    "XUser",
    "XProfile",
    "USER_READ_COST_USD",
    "OAuth2Token",
    "OAuth1Credentials",
    "XClient",
    "make_code_verifier",
    "code_challenge",
    "new_state",
    "authorize_url",
    "exchange_code",
    "refresh_access_token",
    "intent_url",
    "percent_encode",
    "signature_base_string",
    "oauth1_signature",
    "oauth1_header",
]

log = logging.getLogger(__name__)

NETWORK = "x"
#: The API host (the account layer lets ``PORTABILITE_X_API`` override it).
X_API = "https://api.x.com"
#: Where the person authorizes portabilite (OAuth 2.0 with PKCE).
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
#: Token endpoint, on the API host: code exchange and refresh.
TOKEN_PATH = "/2/oauth2/token"
#: "Post by hand": opens X's composer with the text filled in; needs no API access.
INTENT_URL = "https://x.com/intent/post"
#: What portabilite asks for: read the account, post, and stay logged in (refresh token).
SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access")

# -- cost of a post on the pay-per-use plan --------------------------------------------------
#: US dollars per post created through the API, as X publishes them ("Content: Create" and
#: "Content: Create (with URL)", charged per request). X says prices may change and that the
#: Developer Console shows the current ones: present these as "about", with the date.
POST_COSTS_USD: Mapping[str, Decimal] | None = {
    "plain": Decimal("0.015"),
    "url": Decimal("0.200"),
}
#: "User: Read", per account returned (the same page, checked the same day): what reading
#: the followings' profiles costs (``portabilite hydrate``).
USER_READ_COST_USD: Decimal | None = Decimal("0.010")
POST_COSTS_SOURCE = "https://docs.x.com/x-api/getting-started/pricing"
POST_COSTS_CHECKED = "2026-11-22"

_LINK = re.compile(
    r"(?i)(?:\bhttps?://|\bwww\.)\S+"  # explicit links
    r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"\.[a-z]{2,}(?:/\S*)?\b"  # bare domains, which X turns into links too
)


def has_link(text: str) -> bool:
    """True if X would probably turn part of ``text`` into a link (a URL or a bare domain).
    Errs on the side of "yes": the dearer price is the one to announce when unsure."""
    return _LINK.search(text) is not None


def post_cost(text: str) -> tuple[str, Decimal | None]:
    """``(kind, dollars)`` for posting ``text`` through the API: kind is "url" or "plain";
    dollars is None when no confirmed price is known (then say "this may cost money")."""
    kind = "url" if has_link(text) else "plain"
    if POST_COSTS_USD is None:
        return kind, None
    return kind, POST_COSTS_USD.get(kind)


# -- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XUser:
    id: str
    username: str
    name: str


@dataclass(frozen=True)
class XProfile:
    """An account the user follows, as the X API describes it (for the matcher)."""

    id: str
    username: str
    name: str
    description: str
    website: str | None  # the expanded URL of the profile's website
    location: str


def _entity_urls(entities: Mapping[str, Any], field: str) -> list[dict[str, str]]:
    """``entities[field].urls`` with both ``url`` (the t.co link) and ``expanded_url``."""
    urls = ((entities.get(field) or {}) if isinstance(entities.get(field), dict) else {}).get(
        "urls"
    )
    return [
        {"url": str(u["url"]), "expanded_url": str(u["expanded_url"])}
        for u in (urls if isinstance(urls, list) else [])
        if isinstance(u, dict) and u.get("url") and u.get("expanded_url")
    ]


def expand_links(text: str, urls: Sequence[Mapping[str, str]]) -> str:
    """``text`` with each t.co link replaced by the address it stands for (X shortens every
    link in a bio; the entities say where each goes), so a bio's links can be read."""
    for entity in sorted(urls, key=lambda u: -len(u["url"])):
        text = text.replace(entity["url"], entity["expanded_url"])
    return text


def _profiles(body: Mapping[str, Any]) -> list[XProfile]:
    """The profiles of an answer's ``data`` (links in bios and websites expanded)."""
    page = []
    for item in body.get("data") or []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        given = item.get("entities")
        entities: dict[str, Any] = given if isinstance(given, dict) else {}
        urls = _entity_urls(entities, "url")
        website = next((u["expanded_url"] for u in urls), None)
        description = expand_links(
            str(item.get("description") or ""), _entity_urls(entities, "description")
        )
        page.append(
            XProfile(
                id=item["id"],
                username=str(item.get("username") or ""),
                name=str(item.get("name") or ""),
                description=description,
                website=website or item.get("url") or None,
                location=str(item.get("location") or ""),
            )
        )
    return page


def _secret(value: str | Secret | None) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    return Secret(value)


@dataclass
class OAuth2Token:
    """A user-context OAuth 2.0 token. ``expires_at`` is epoch seconds (None: unknown)."""

    access_token: Secret
    refresh_token: Secret | None = None
    expires_at: float | None = None
    scope: str = ""

    def __post_init__(self) -> None:
        self.access_token = _secret(self.access_token)  # type: ignore[assignment]
        self.refresh_token = _secret(self.refresh_token)

    def to_record(self) -> dict[str, Any]:
        """For ``CredentialStore.save`` (whose secret fields are access/refresh_token)."""
        return {
            "auth": "oauth2",
            "access_token": self.access_token.reveal(),
            "refresh_token": self.refresh_token.reveal() if self.refresh_token else None,
            "expires_at": self.expires_at,
            "scope": self.scope,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "OAuth2Token":
        return cls(
            access_token=Secret(str(record["access_token"])),
            refresh_token=_secret(record.get("refresh_token") or None),
            expires_at=record.get("expires_at"),
            scope=str(record.get("scope") or ""),
        )


@dataclass
class OAuth1Credentials:
    """OAuth 1.0a user credentials: the app's consumer key/secret and the user's access
    token/secret (all four kept as ``Secret``)."""

    consumer_key: Secret
    consumer_secret: Secret
    access_token: Secret
    access_token_secret: Secret

    def __post_init__(self) -> None:
        for name in ("consumer_key", "consumer_secret", "access_token", "access_token_secret"):
            setattr(self, name, _secret(getattr(self, name)))

    def to_record(self) -> dict[str, Any]:
        return {
            "auth": "oauth1",
            "consumer_key": self.consumer_key.reveal(),
            "consumer_secret": self.consumer_secret.reveal(),
            "access_token": self.access_token.reveal(),
            "access_token_secret": self.access_token_secret.reveal(),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "OAuth1Credentials":
        return cls(
            *(
                Secret(str(record[k]))
                for k in ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
            )
        )


Auth = Union[OAuth2Token, OAuth1Credentials]

# -- OAuth 1.0a signing (RFC 5849) -------------------------------------------------------------


def percent_encode(value: str) -> str:
    """RFC 5849 section 3.6: UTF-8, then every byte but ALPHA / DIGIT / - . _ ~ as %XX."""
    return quote(value.encode("utf-8"), safe="-._~")


def _base_string_uri(url: str) -> str:
    """RFC 5849 section 3.4.1.2: lower-case scheme and host, default port dropped, no query."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path or '/'}"


def _request_params(url: str, body_params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    query = urlsplit(url).query
    params = parse_qsl(query, keep_blank_values=True) if query else []
    params.extend((str(k), str(v)) for k, v in body_params)
    return params


def signature_base_string(method: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """RFC 5849 section 3.4.1: ``params`` are the decoded name/value pairs to sign (the URL's
    query is added here; add the form body and the oauth_* protocol parameters, not
    ``oauth_signature`` nor ``realm``)."""
    pairs = sorted((percent_encode(k), percent_encode(v)) for k, v in _request_params(url, params))
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    return "&".join(
        (method.upper(), percent_encode(_base_string_uri(url)), percent_encode(normalized))
    )


def oauth1_signature(
    method: str,
    url: str,
    params: Iterable[tuple[str, str]],
    *,
    consumer_secret: str,
    token_secret: str = "",
) -> str:
    """HMAC-SHA1 signature (base64) of the request (RFC 5849 section 3.4.2)."""
    key = f"{percent_encode(consumer_secret)}&{percent_encode(token_secret)}"
    base = signature_base_string(method, url, params)
    digest = hmac.new(key.encode("ascii"), base.encode("ascii"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _new_nonce() -> str:
    return _secrets.token_hex(16)


def oauth1_header(
    method: str,
    url: str,
    *,
    consumer_key: str,
    consumer_secret: str,
    token: str | None,
    token_secret: str = "",
    body_params: Iterable[tuple[str, str]] = (),
    nonce: str | None = None,
    timestamp: int | str | None = None,
    version: str | None = "1.0",
    realm: str | None = None,
) -> str:
    """The ``Authorization: OAuth ...`` header value for one request (RFC 5849 section 3.5.1).

    ``body_params``: the decoded pairs of an ``application/x-www-form-urlencoded`` body (a JSON
    body is not signed). ``nonce``/``timestamp`` default to a random nonce and the time now.
    """
    oauth: list[tuple[str, str]] = [
        ("oauth_consumer_key", consumer_key),
        ("oauth_nonce", nonce if nonce is not None else _new_nonce()),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", str(timestamp if timestamp is not None else int(time.time()))),
    ]
    if token is not None:
        oauth.append(("oauth_token", token))
    if version is not None:
        oauth.append(("oauth_version", version))
    signature = oauth1_signature(
        method,
        url,
        [*oauth, *body_params],
        consumer_secret=consumer_secret,
        token_secret=token_secret,
    )
    oauth.append(("oauth_signature", signature))
    fields = [f'{percent_encode(k)}="{percent_encode(v)}"' for k, v in sorted(oauth)]
    if realm is not None:
        fields.insert(0, f'realm="{realm}"')
    return "OAuth " + ", ".join(fields)


def _form_encode(pairs: Sequence[tuple[str, str]]) -> bytes:
    """The body exactly as signed: RFC 3986 percent-encoding (space as %20)."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs).encode("ascii")


# -- OAuth 2.0 with PKCE (RFC 7636) ------------------------------------------------------------

_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def make_code_verifier(nbytes: int = 32) -> Secret:
    """A fresh PKCE code verifier (43+ characters of base64url), kept as a ``Secret``."""
    value = base64.urlsafe_b64encode(_secrets.token_bytes(nbytes)).rstrip(b"=").decode("ascii")
    return Secret(value)


def code_challenge(verifier: str | Secret) -> str:
    """S256: BASE64URL(SHA256(ASCII(verifier))), without padding (RFC 7636 section 4.2)."""
    value = verifier.reveal() if isinstance(verifier, Secret) else verifier
    if not _VERIFIER.fullmatch(value):
        raise ValueError("a PKCE code verifier is 43 to 128 unreserved characters")
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    """An unguessable ``state`` for the authorize URL (check it on the way back)."""
    return _secrets.token_urlsafe(24)


def authorize_url(
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    challenge: str,
    scopes: Iterable[str] = SCOPES,
    base: str = AUTHORIZE_URL,
) -> str:
    """Where to send the person to authorize portabilite (``challenge``: ``code_challenge``)."""
    params = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", " ".join(scopes)),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]
    return f"{base}?" + "&".join(f"{k}={percent_encode(v)}" for k, v in params)


def intent_url(text: str, *, base: str = INTENT_URL) -> str:
    """A link that opens X's composer with ``text`` ready: the free way to post."""
    return f"{base}?text={percent_encode(text)}"


# -- HTTP plumbing shared by the client and the token endpoint ---------------------------------


class _Retry(Exception):
    """Raised inside a try: carries the verdict for ``call_with_retry``."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.decision.value)
        self.verdict = verdict


# Transport errors raised before the request left this machine: always safe to try again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Statuses that say the server did not act on the request.
_NOT_PROCESSED = {429, 503}


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _reason(response: httpx.Response) -> str:
    """X's own words: v2 problem ``detail``/``title``, v1.1 ``errors[].message``, OAuth
    ``error_description``; else the status phrase. Short, one line."""
    body = _problem(response)
    text = ""
    for key in ("detail", "error_description", "title"):
        if isinstance(body.get(key), str) and body[key].strip():
            text = body[key]
            break
    if not text and isinstance(body.get("errors"), list):
        messages = [e.get("message") for e in body["errors"] if isinstance(e, dict)]
        text = "; ".join(m for m in messages if isinstance(m, str))
    if not text and isinstance(body.get("error"), str):
        text = body["error"]
    if not text:
        text = response.reason_phrase or f"HTTP {response.status_code}"
    text = redact(" ".join(text.split()))  # X may echo what it was sent: mask it at once
    return text if len(text) <= 300 else text[:299] + "…"


def _is_credits_problem(response: httpx.Response) -> bool:
    if response.status_code == 402:
        return True
    body = _problem(response)
    kind = str(body.get("type") or "")
    return kind.rstrip("/").endswith("/problems/credits") or body.get("title") == "CreditsDepleted"


def _as_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def _rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """``wait_from_headers`` plus X's daily caps: when ``x-user-limit-24hour-remaining`` or
    ``x-app-limit-24hour-remaining`` is 0, their ``...-24hour-reset`` (epoch seconds) counts."""
    waits = []
    wait = wait_from_headers(headers, now=now)
    if wait is not None:
        waits.append(wait)
    lowered = {k.lower(): v for k, v in headers.items()}
    for scope in ("user", "app"):
        if lowered.get(f"x-{scope}-limit-24hour-remaining", "").strip() == "0":
            reset = parse_reset(str(lowered.get(f"x-{scope}-limit-24hour-reset", "")), now)
            if reset is not None:
                waits.append(reset)
    return max(waits) if waits else None


@dataclass
class _Plumbing:
    http: httpx.Client
    host: str
    policy: RetryPolicy
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    rng: random.Random | None
    on_wait: Callable[[float, PortabiliteError], None] | None

    def unreachable(self, reason: str, key: str = "network.unreachable") -> UnreachableError:
        return UnreachableError(key, network=NETWORK, host=self.host, reason=reason)

    def send(
        self,
        build: Callable[[], httpx.Request],
        *,
        refuse: Callable[[httpx.Response], PortabiliteError],
        idempotent: bool,
        uncertain_key: str,
    ) -> httpx.Response:
        """Send ``build()`` (rebuilt for each try: fresh nonce and signature), retrying per the
        policy. ``refuse`` maps a "no" (4xx other than 429) to the error to raise."""

        def attempt() -> httpx.Response:
            request = build()
            response = self.http.send(request)
            log.debug("x: %s %s -> %s", request.method, request.url.path, response.status_code)
            status = response.status_code
            if status < 400:
                return response
            if status == 429:
                wait = _rate_limit_wait(response.headers, self.clock())
                retry_at = _as_datetime(self.clock() + wait) if wait is not None else None
                error = RateLimitedError("network.rate_limited", network=NETWORK, retry_at=retry_at)
                decision = Decision.WAIT if wait is not None else Decision.BACKOFF
                raise _Retry(Verdict(decision, error, wait))
            if status >= 500:
                reason = f"HTTP {status}"
                if not idempotent and status not in _NOT_PROCESSED:
                    raise self.unreachable(reason, uncertain_key)
                # Only Retry-After: X sends x-rate-limit-reset on every answer, and a 5xx is
                # no reason to wait for the rate-limit window to turn.
                after = response.headers.get("retry-after")
                wait = parse_reset(after, self.clock()) if after else None
                decision = Decision.WAIT if wait is not None else Decision.BACKOFF
                raise _Retry(Verdict(decision, self.unreachable(reason), wait))
            raise refuse(response)

        def classify(exc: BaseException) -> Verdict:
            if isinstance(exc, _Retry):
                return exc.verdict
            if isinstance(exc, httpx.TransportError):
                reason = "timeout" if isinstance(exc, httpx.TimeoutException) else "connection"
                reason = f"{reason} ({type(exc).__name__})"
                if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
                    return Verdict(Decision.FAIL, self.unreachable(reason))
                if not idempotent and not isinstance(exc, _NOT_SENT):
                    return Verdict(Decision.FAIL, self.unreachable(reason, uncertain_key))
                return Verdict(Decision.BACKOFF, self.unreachable(reason))
            raise exc  # a bug, not a network condition: let it show

        def on_wait(wait: float, error: PortabiliteError) -> None:
            log.info("x: waiting %.0f s before trying again (%s)", wait, type(error).__name__)
            if self.on_wait is not None:
                self.on_wait(wait, error)

        return call_with_retry(
            attempt,
            classify,
            network=NETWORK,
            policy=self.policy,
            sleep=self.sleep,
            clock=self.clock,
            on_wait=on_wait,
            rng=self.rng,
        )


def _make_http(transport: httpx.BaseTransport | None, timeout: float) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=10.0),
        headers={"User-Agent": f"portabilite/{__version__}"},
        follow_redirects=False,
    )


def _host_of(api_base: str) -> str:
    return urlsplit(api_base).netloc or api_base


# -- token endpoint ----------------------------------------------------------------------------


def _token_request(
    form: list[tuple[str, str]],
    *,
    client_id: str,
    client_secret: str | Secret | None,
    api_base: str,
    transport: httpx.BaseTransport | None,
    refuse_key: str,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    timeout: float = 30.0,
    rng: random.Random | None = None,
    previous_refresh: Secret | None = None,
) -> OAuth2Token:
    api_base = api_base.rstrip("/")
    secret = _secret(client_secret)
    with _make_http(transport, timeout) as http:
        plumbing = _Plumbing(http, _host_of(api_base), policy, sleep, clock, rng, None)

        def build() -> httpx.Request:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if secret is not None:  # confidential client: HTTP Basic with id and secret
                raw = f"{client_id}:{secret.reveal()}".encode("utf-8")
                headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
            return http.build_request(
                "POST", api_base + TOKEN_PATH, headers=headers, content=_form_encode(form)
            )

        def refuse(response: httpx.Response) -> PortabiliteError:
            if refuse_key == "network.session_expired":
                return SessionExpiredError(refuse_key, network=NETWORK)
            return AuthenticationError(refuse_key, network=NETWORK, reason=_reason(response))

        # A code or a refresh token is good for one use: never resend once it may have arrived.
        response = plumbing.send(
            build, refuse=refuse, idempotent=False, uncertain_key="network.unreachable"
        )
        body = _problem(response)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise NetworkError(
            "network.bad_response", network=NETWORK, reason="no access_token in the token response"
        )
    refresh = body.get("refresh_token")
    try:
        expires_at: float | None = clock() + float(body["expires_in"])
    except (KeyError, TypeError, ValueError):
        expires_at = None
    return OAuth2Token(
        access_token=Secret(access),
        refresh_token=Secret(refresh) if isinstance(refresh, str) and refresh else previous_refresh,
        expires_at=expires_at,
        scope=str(body.get("scope") or ""),
    )


def exchange_code(
    code: str,
    *,
    client_id: str,
    redirect_uri: str,
    code_verifier: str | Secret,
    client_secret: str | Secret | None = None,
    api_base: str = X_API,
    transport: httpx.BaseTransport | None = None,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    rng: random.Random | None = None,
) -> OAuth2Token:
    """Trade the authorization code X sent back for a token (``AuthenticationError`` if X
    refuses the code)."""
    register_secret(code)
    verifier = code_verifier.reveal() if isinstance(code_verifier, Secret) else code_verifier
    register_secret(verifier)
    form = [
        ("code", code),
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ]
    return _token_request(
        form,
        client_id=client_id,
        client_secret=client_secret,
        api_base=api_base,
        transport=transport,
        refuse_key="network.auth_failed",
        policy=policy,
        sleep=sleep,
        clock=clock,
        rng=rng,
    )


def refresh_access_token(
    refresh_token: str | Secret,
    *,
    client_id: str,
    client_secret: str | Secret | None = None,
    api_base: str = X_API,
    transport: httpx.BaseTransport | None = None,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    rng: random.Random | None = None,
) -> OAuth2Token:
    """A new token from the refresh token (``SessionExpiredError`` if X no longer accepts it).
    Save the result: X may rotate the refresh token too."""
    refresh = _secret(refresh_token)
    assert refresh is not None
    form = [
        ("refresh_token", refresh.reveal()),
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
    ]
    return _token_request(
        form,
        client_id=client_id,
        client_secret=client_secret,
        api_base=api_base,
        transport=transport,
        refuse_key="network.session_expired",
        policy=policy,
        sleep=sleep,
        clock=clock,
        rng=rng,
        previous_refresh=refresh,
    )


# -- the client --------------------------------------------------------------------------------


class XClient:
    """One X account, user context. ``auth`` is an ``OAuth2Token`` or ``OAuth1Credentials``.

    ``client_id``/``client_secret`` (OAuth 2.0) allow refreshing the token; ``on_token_refresh``
    gets each new token. ``transport``, ``sleep``, ``clock``, ``nonce`` and ``rng`` are for
    tests. Use as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        auth: Auth,
        *,
        client_id: str | None = None,
        client_secret: str | Secret | None = None,
        api_base: str = X_API,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        policy: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = _new_nonce,
        rng: random.Random | None = None,
        on_token_refresh: Callable[[OAuth2Token], None] | None = None,
        on_wait: Callable[[float, PortabiliteError], None] | None = None,
    ) -> None:
        if not isinstance(auth, (OAuth2Token, OAuth1Credentials)):
            raise TypeError("auth must be an OAuth2Token or OAuth1Credentials")
        self._auth = auth
        self._client_id = client_id
        self._client_secret = _secret(client_secret)
        self.api_base = api_base.rstrip("/")
        self._transport = transport
        self._policy = policy
        self._sleep = sleep
        self._clock = clock
        self._nonce = nonce
        self._rng = rng
        self._on_token_refresh = on_token_refresh
        self._http = _make_http(transport, timeout)
        self._plumbing = _Plumbing(
            self._http, _host_of(self.api_base), policy, sleep, clock, rng, on_wait
        )

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "XClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"XClient(auth_mode={self.auth_mode!r}, api_base={self.api_base!r})"

    @property
    def auth_mode(self) -> str:
        """ "oauth2" or "oauth1"."""
        return "oauth2" if isinstance(self._auth, OAuth2Token) else "oauth1"

    @property
    def token(self) -> OAuth2Token | None:
        """The current OAuth 2.0 token (it changes when refreshed), None in OAuth 1.0a mode."""
        return self._auth if isinstance(self._auth, OAuth2Token) else None

    # -- the four things this client does ---------------------------------------------------
    def me(self, *, at_login: bool = False) -> XUser:
        """The account the credentials belong to (GET /2/users/me). ``at_login``: a 401 is
        a refused login (``AuthenticationError``) rather than an expired session."""
        response = self._call("GET", "/2/users/me", at_login=at_login)
        data = _problem(response).get("data")
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("id", "username", "name")
        ):
            raise NetworkError(
                "network.bad_response",
                network=NETWORK,
                reason="no id, username and name in /2/users/me",
            )
        return XUser(id=data["id"], username=data["username"], name=data["name"])

    def post(self, text: str) -> str:
        """Publish ``text`` (POST /2/tweets) and return the new post's id.

        On the pay-per-use plan every call is billed (see ``post_cost``): ask before calling.
        The request is not sent again once it may have reached X, so a post never goes out
        twice; an ambiguous failure says to check the profile (``x.post_uncertain``).
        """
        if not text or not text.strip():
            raise ValueError("nothing to post")
        response = self._call(
            "POST",
            "/2/tweets",
            json={"text": text},
            idempotent=False,
            uncertain_key="x.post_uncertain",
        )
        data = _problem(response).get("data")
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise NetworkError(
                "network.bad_response", network=NETWORK, reason="no post id in the /2/tweets answer"
            )
        return data["id"]

    def iter_following(self, user_id: str, *, page_size: int = 1000) -> Iterator[list[XProfile]]:
        """The accounts ``user_id`` follows, with bios and websites, a page at a time
        (GET /2/users/:id/following). Billed per account returned: say so before calling."""
        token: str | None = None
        while True:
            query = [
                ("max_results", str(max(1, min(page_size, 1000)))),
                ("user.fields", "description,url,entities,location"),
            ]
            if token:
                query.append(("pagination_token", token))
            path = f"/2/users/{quote(user_id, safe='')}/following?{urlencode(query)}"
            body = _problem(self._call("GET", path))
            page = _profiles(body)
            yield page
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return

    def users(self, ids: Sequence[str]) -> Iterator[list[XProfile]]:
        """The profiles of ``ids``, 100 a request (GET /2/users?ids=): an account deleted or
        suspended is simply absent. Billed per account returned: say so before calling."""
        for start in range(0, len(ids), 100):
            query = [
                ("ids", ",".join(ids[start : start + 100])),
                ("user.fields", "description,url,entities,location"),
            ]
            yield _profiles(_problem(self._call("GET", f"/2/users?{urlencode(query)}")))

    def _pages(self, path: str, query: list[tuple[str, str]]) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            params = query + ([("pagination_token", token)] if token else [])
            body = _problem(self._call("GET", f"{path}?{urlencode(params)}"))
            yield body
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return

    def owned_lists(self, user_id: str) -> list[dict[str, Any]]:
        """The lists ``user_id`` owns: id, name, description, private (GET
        /2/users/:id/owned_lists). Billed per list returned."""
        lists = []
        for body in self._pages(
            f"/2/users/{quote(user_id, safe='')}/owned_lists",
            [("max_results", "100"), ("list.fields", "description,private")],
        ):
            for item in body.get("data") or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    lists.append(
                        {
                            "id": item["id"],
                            "name": str(item.get("name") or ""),
                            "description": str(item.get("description") or ""),
                            "private": bool(item.get("private")),
                        }
                    )
        return lists

    def list_members(self, list_id: str) -> list[str]:
        """The X ids of a list's members (GET /2/lists/:id/members). Billed per member."""
        members = []
        for body in self._pages(
            f"/2/lists/{quote(list_id, safe='')}/members", [("max_results", "100")]
        ):
            members += [
                item["id"]
                for item in body.get("data") or []
                if isinstance(item, dict) and isinstance(item.get("id"), str)
            ]
        return members

    def update_profile(self, description: str | None = None, url: str | None = None) -> None:
        """Set the bio and/or the website (v1.1 account/update_profile.json, OAuth 1.0a only).
        With an OAuth 2.0 login it raises ``RefusedError`` ("x.profile_by_hand") and sends
        nothing: the person edits the profile on x.com."""
        if description is None and url is None:
            raise ValueError("give a description, a url, or both")
        if not isinstance(self._auth, OAuth1Credentials):
            raise RefusedError(
                "x.profile_by_hand", network=NETWORK, settings="https://x.com/settings/profile"
            )
        form = [(k, v) for k, v in (("description", description), ("url", url)) if v is not None]
        form.append(("skip_status", "true"))
        self._call("POST", "/1.1/account/update_profile.json", form=form)

    @staticmethod
    def intent_url(text: str) -> str:
        """A link that opens X's composer with ``text`` filled in (no API, no cost)."""
        return intent_url(text)

    # -- internals ----------------------------------------------------------------------------
    def _can_refresh(self) -> bool:
        return (
            isinstance(self._auth, OAuth2Token)
            and self._auth.refresh_token is not None
            and self._client_id is not None
        )

    def _refresh(self) -> None:
        assert isinstance(self._auth, OAuth2Token) and self._auth.refresh_token is not None
        assert self._client_id is not None
        token = refresh_access_token(
            self._auth.refresh_token,
            client_id=self._client_id,
            client_secret=self._client_secret,
            api_base=self.api_base,
            transport=self._transport,
            policy=self._policy,
            sleep=self._sleep,
            clock=self._clock,
            rng=self._rng,
        )
        self._auth = token
        if self._on_token_refresh is not None:
            self._on_token_refresh(token)

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        form: list[tuple[str, str]] | None = None,
        idempotent: bool = True,
        uncertain_key: str = "network.unreachable",
        at_login: bool = False,
    ) -> httpx.Response:
        auth = self._auth
        if (
            isinstance(auth, OAuth2Token)
            and auth.expires_at is not None
            and self._clock() >= auth.expires_at - 60
            and self._can_refresh()
        ):
            self._refresh()
        try:
            return self._send(
                method,
                path,
                json=json,
                form=form,
                idempotent=idempotent,
                uncertain_key=uncertain_key,
                at_login=at_login,
            )
        except SessionExpiredError:
            if at_login or not self._can_refresh():
                raise
            self._refresh()  # once: a second 401 is a real end of session
            return self._send(
                method,
                path,
                json=json,
                form=form,
                idempotent=idempotent,
                uncertain_key=uncertain_key,
                at_login=at_login,
            )

    def _authorization(self, method: str, url: str, form: list[tuple[str, str]] | None) -> str:
        auth = self._auth
        if isinstance(auth, OAuth2Token):
            return f"Bearer {auth.access_token.reveal()}"
        return oauth1_header(
            method,
            url,
            consumer_key=auth.consumer_key.reveal(),
            consumer_secret=auth.consumer_secret.reveal(),
            token=auth.access_token.reveal(),
            token_secret=auth.access_token_secret.reveal(),
            body_params=form or (),
            nonce=self._nonce(),
            timestamp=int(self._clock()),
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        form: list[tuple[str, str]] | None,
        idempotent: bool,
        uncertain_key: str,
        at_login: bool,
    ) -> httpx.Response:
        url = self.api_base + path

        def build() -> httpx.Request:
            headers = {"Authorization": self._authorization(method, url, form)}
            if form is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                return self._http.build_request(
                    method, url, headers=headers, content=_form_encode(form)
                )
            return self._http.build_request(method, url, headers=headers, json=json)

        def refuse(response: httpx.Response) -> PortabiliteError:
            status = response.status_code
            if _is_credits_problem(response):
                return RefusedError(
                    "x.payment_required", network=NETWORK, status=status, reason=_reason(response)
                )
            if status == 401:
                if at_login:
                    return AuthenticationError(
                        "network.auth_failed", network=NETWORK, reason=_reason(response)
                    )
                return SessionExpiredError("network.session_expired", network=NETWORK)
            return RefusedError(
                "network.refused", network=NETWORK, status=status, reason=_reason(response)
            )

        return self._plumbing.send(
            build, refuse=refuse, idempotent=idempotent, uncertain_key=uncertain_key
        )
