"""Mastodon: the authenticated client (over Mastodon.py), OAuth for an installed app, WebFinger.

``MastodonClient`` wraps one ``mastodon.Mastodon`` object bound to one instance and one token:

* Mastodon.py runs with ``ratelimit_method="throw"`` (a 429 becomes an exception, never an
  hour-long sleep inside the library) and ``version_check_mode="none"`` plus a stated version,
  so that neither the constructor nor a later call (``search_v2``, ``log_in``) fetches the
  instance version behind our back. Constructing a client makes no request.
* Every call goes through ``call_with_retry`` (``_ratelimit``): 429 waits as long as the
  ``X-RateLimit-Reset`` header says (ISO 8601 on Mastodon) or, when that is hours away, raises
  ``RateLimitedError`` saying when to come back; 502/503/504, timeouts and connection resets
  are retried with backoff, then become ``UnreachableError`` naming the host; a 4xx that means
  "no" is never retried. A write that is not idempotent (creating a list, adding list members)
  is retried only when the server did not act on it (429, 503, a connection never opened).
* Optional ``Budget`` objects are spent: one point of ``request_budget`` per HTTP request, one
  point of ``follow_budget`` per follow (Mastodon allows 400 follows a UTC day). A spent budget
  raises ``RateLimitedError`` without contacting the server; ``wait=True`` sleeps instead when
  the wait is no longer than ``RetryPolicy.max_wait``.
* Results are small frozen dataclasses; account addresses are normalized as ``user@host``.
* The ``requests.Session`` can be injected (tests replay recordings or inject faults through
  it). A response hook on it records the rate-limit headers, and refuses a redirect to another
  host that ``HostGuard`` forbids.
* Tokens and client secrets are ``Secret`` objects, registered for redaction: no message shows
  them.

``webfinger()`` resolves ``user@host`` to its canonical address and ActivityPub actor over an
``httpx.AsyncClient``, following ``host-meta`` when the handle's domain delegates WebFinger
to another (web) domain. Every host it contacts goes through ``HostGuard`` first.
"""

from __future__ import annotations

import functools
import random
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar, Union
from urllib.parse import quote, urlencode, urljoin, urlsplit

import dateutil.parser
import httpx
import orjson
import requests
from mastodon import Mastodon
from mastodon import errors as mastodon_errors
from urllib3 import exceptions as urllib3_exceptions

from .._version import __version__
from ..errors import (
    AccountUnavailableError,
    AuthenticationError,
    NetworkError,
    PortabiliteError,
    RateLimitedError,
    RefusedError,
    SessionExpiredError,
    UnreachableError,
)
from ..secrets import Secret, redact, register_secret
from ._hosts import HostGuard
from ._ratelimit import (
    Budget,
    Decision,
    Ledger,
    RetryPolicy,
    Verdict,
    call_with_retry,
    mastodon_follow_budget,
    mastodon_request_budget,
    parse_reset,
    wait_from_headers,
)
from ._web import guarded_get

__all__ = [
    "NETWORK",
    "SCOPES",
    "OOB_REDIRECT",
    "PAGE_SIZE",
    "WEBFINGER_TIMEOUT",
    "MastodonClient",
    "MastodonAccount",
    "Relationship",
    "InstanceInfo",
    "MastodonList",
    "PostedStatus",
    "ScheduledPost",
    "RateLimitInfo",
    "AppRegistration",
    "WebFingerResult",
    "webfinger",
    "parse_address",
    "normalize_address",
    "normalize_instance_url",
    "mastodon_budgets",
]

T = TypeVar("T")

NETWORK = "mastodon"
#: What portabilite asks for when it registers itself on an instance (space-joined on the wire).
#: ``write:accounts`` is needed to pin the redirect post and to add the "formerly on X" profile
#: field (Mastodon checks it for both); nothing else in it is used.
SCOPES: tuple[str, ...] = (
    "read",
    "write:follows",
    "write:blocks",
    "write:mutes",
    "write:lists",
    "write:statuses",
    "write:accounts",
)
#: Out-of-band redirect: the instance shows the code, the person pastes it.
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
APP_NAME = "portabilite"
USER_AGENT = f"portabilite/{__version__}"
#: Accounts per page for following/followers/blocks/mutes/list members (Mastodon's maximum).
PAGE_SIZE = 80
#: Ids per relationships / list-membership request.
ID_CHUNK = 40
VISIBILITIES = ("public", "unlisted", "private", "direct")
#: Seconds one WebFinger or host-meta request may take.
WEBFINGER_TIMEOUT = 10.0

# Given to Mastodon.py so that it never fetches the instance version itself (it would before
# search_v2 and after log_in). With version_check_mode="none" the value is not used for checks.
_STATED_VERSION = "4.0.0"
_MISSING = object()


# -- addresses -------------------------------------------------------------------------------

#: what a fediverse username is made of (Mastodon: letters, digits and _; other servers add
#: . and -): nothing else, so a hostile answer cannot smuggle markup or paths through it
_USER_RE = re.compile(r"[A-Za-z0-9_.-]+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}(?::\d{{1,5}})?|\[[0-9a-f:.]+\](?::\d{{1,5}})?")


def _clean_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if not host.isascii():
        try:
            name, sep, port = host.partition(":")
            host = name.encode("idna").decode("ascii") + sep + port
        except UnicodeError:
            return None
    return host if _HOST_RE.fullmatch(host) else None


def parse_address(address: str) -> tuple[str, str] | None:
    """``("alice", "example.social")`` for ``@alice@example.social``, ``acct:alice@...`` or
    ``alice@Example.Social``; None when the text is not such an address."""
    if not isinstance(address, str):
        return None
    text = address.strip()
    if text[:5].lower() == "acct:":
        text = text[5:]
    text = text.lstrip("@")
    if text.count("@") != 1:
        return None
    user, host = text.split("@")
    clean = _clean_host(host)
    if not user or not _USER_RE.fullmatch(user) or clean is None:
        return None
    return user, clean


def normalize_address(address: str, default_host: str | None = None) -> str:
    """``user@host`` with the host in lower case; a bare ``user`` (a local account, as
    Mastodon writes it in ``acct``) takes ``default_host``. ``ValueError`` when unreadable."""
    text = address.strip().lstrip("@") if isinstance(address, str) else ""
    if "@" not in text and default_host and _USER_RE.fullmatch(text or "@"):
        text = f"{text}@{default_host}"
    parsed = parse_address(text)
    if parsed is None:
        raise ValueError(f"not a Mastodon address: {address!r}")
    return f"{parsed[0]}@{parsed[1]}"


def normalize_instance_url(url: str) -> str:
    """``https://host[:port]`` from ``host``, ``https://host/`` or ``http://localhost:3000``."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not an instance address: {url!r}")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path.strip("/"):
        raise ValueError(f"give the instance as https://host only, not {url!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def mastodon_budgets(
    account: str,
    ledger: Ledger | None = None,
    *,
    margin: float = 0.0,
    clock: Callable[[], float] = time.time,
) -> tuple[Budget, Budget]:
    """``(follow_budget, request_budget)`` for one account (``user@host``), kept in ``ledger``
    (the workspace's, so that they hold across runs)."""
    key = normalize_address(account)
    return (
        mastodon_follow_budget(key, ledger, margin=margin, clock=clock),
        mastodon_request_budget(key, ledger, margin=margin, clock=clock),
    )


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MastodonAccount:
    """An account as the instance knows it. ``id`` is the LOCAL id on that instance."""

    id: str
    acct: str  # user@host, normalized
    username: str
    display_name: str = ""
    url: str | None = None  # profile page
    uri: str | None = None  # ActivityPub actor id
    locked: bool = False
    bot: bool = False
    suspended: bool = False
    moved_to: str | None = None  # user@host of the account it moved to
    fields: tuple[tuple[str, str], ...] = ()  # profile fields (name, value as HTML)
    note: str = ""  # the profile's description, as HTML


@dataclass(frozen=True)
class Relationship:
    """How the logged-in account stands with account ``id``."""

    id: str
    following: bool = False
    requested: bool = False  # a follow request waits for approval (locked account)
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    domain_blocking: bool = False


@dataclass(frozen=True)
class InstanceInfo:
    domain: str  # the domain in handles (LOCAL_DOMAIN), e.g. "mastodon.social"
    title: str
    version: str
    max_characters: int  # of a status
    max_profile_fields: int | None = None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class MastodonList:
    id: str
    title: str
    replies_policy: str = "list"
    exclusive: bool = False


@dataclass(frozen=True)
class PostedStatus:
    id: str
    url: str | None
    uri: str | None
    visibility: str
    language: str | None
    created_at: datetime | None
    pinned: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ScheduledPost:
    id: str
    scheduled_at: datetime | None
    text: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class RateLimitInfo:
    """What the last response said about the per-token request window."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None  # when the window reopens (X-RateLimit-Reset, ISO 8601)

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], now: float) -> RateLimitInfo | None:
        lowered = {k.lower(): str(v) for k, v in headers.items()}
        names = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
        if not any(n in lowered for n in names):
            return None
        reset_at = None
        raw = lowered.get("x-ratelimit-reset")
        if raw is not None:
            moment = parse_reset(raw, 0.0)  # an instant: epoch seconds; a small number: a delay
            if moment is not None:
                if moment < 1_000_000_000:
                    moment += now
                reset_at = datetime.fromtimestamp(moment, timezone.utc)
        return cls(
            _int(lowered.get("x-ratelimit-limit")),
            _int(lowered.get("x-ratelimit-remaining")),
            reset_at,
        )


@dataclass(frozen=True)
class AppRegistration:
    """portabilite registered as an app on one instance (``POST /api/v1/apps``)."""

    instance_url: str
    client_id: str
    client_secret: Secret
    scopes: tuple[str, ...] = SCOPES
    redirect_uri: str = OOB_REDIRECT

    def to_record(self) -> dict[str, Any]:
        """For ``CredentialStore`` (``client_secret`` is one of its secret fields)."""
        return {
            "instance_url": self.instance_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret.reveal(),
            "scopes": " ".join(self.scopes),
            "redirect_uri": self.redirect_uri,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AppRegistration:
        return cls(
            str(record["instance_url"]),
            str(record["client_id"]),
            Secret(str(record["client_secret"])),
            tuple(str(record.get("scopes") or " ".join(SCOPES)).split()),
            str(record.get("redirect_uri") or OOB_REDIRECT),
        )


@dataclass(frozen=True)
class WebFingerResult:
    subject: str  # the canonical address, user@host
    actor_url: str | None  # rel="self", type application/activity+json
    profile_url: str | None  # rel="http://webfinger.net/rel/profile-page"
    aliases: tuple[str, ...] = ()


# -- small readers ---------------------------------------------------------------------------


def _int(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def _opt_str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _clean_reason(text: object, limit: int = 300) -> str:
    """A server's words, made safe to show: one line, no control characters, no secret (also
    kept out of ``error.params``), bounded."""
    value = _CONTROL.sub(" ", redact(str(text or ""))).strip()
    value = re.sub(r"\s{2,}", " ", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _api_status(exc: BaseException) -> int | None:
    """The HTTP status Mastodon.py put in a MastodonAPIError's args, if any."""
    if (
        isinstance(exc, mastodon_errors.MastodonAPIError)
        and len(exc.args) >= 2
        and isinstance(exc.args[1], int)
    ):
        return exc.args[1]
    return None


def _body_reason(response: requests.Response | None) -> str | None:
    if response is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("error_description", "error"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key]
    return None


def _never_sent(exc: BaseException) -> bool:
    """True when a requests ConnectionError happened before the request left (connect phase)."""
    early = (urllib3_exceptions.NewConnectionError, urllib3_exceptions.ConnectTimeoutError)
    for item in _chain(exc):
        candidates = [item, *getattr(item, "args", ())]
        for candidate in candidates:
            if isinstance(candidate, early) or isinstance(
                getattr(candidate, "reason", None), early
            ):
                return True
    return False


AccountRef = Union[str, MastodonAccount]


# -- the client ------------------------------------------------------------------------------


class MastodonClient:
    """One Mastodon instance, one token (or none yet: see ``register_app`` / ``log_in``).

    ``instance_url``: ``https://host`` (a bare host means https). ``configured=True`` (the
    default) says the user named this instance (their own): it is allowed in ``guard`` even if
    it is ``localhost`` or a private address; with ``configured=False`` the guard decides.
    """

    def __init__(
        self,
        instance_url: str,
        access_token: Secret | str | None = None,
        *,
        session: requests.Session | None = None,
        guard: HostGuard | None = None,
        configured: bool = True,
        follow_budget: Budget | None = None,
        request_budget: Budget | None = None,
        wait: bool = False,
        policy: RetryPolicy = RetryPolicy(),
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        on_wait: Callable[[float, PortabiliteError], None] | None = None,
        local_domain: str | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.base_url = normalize_instance_url(instance_url)
        #: host[:port] of the instance, as named in messages
        self.host = urlsplit(self.base_url).netloc
        self.guard = guard if guard is not None else HostGuard(network=NETWORK)
        if configured:
            self.guard.allow(self.base_url)
        self.guard.check(self.base_url)
        #: the domain of local accounts' addresses; ``instance()`` sets the instance's own word
        self.local_domain = (local_domain or self.host).lower()
        self.follow_budget = follow_budget
        self.request_budget = request_budget
        self.wait = wait
        self.policy = policy
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._on_wait = on_wait
        self._user_agent = user_agent
        self._local = threading.local()
        self._rate_limit: RateLimitInfo | None = None
        self._me: MastodonAccount | None = None
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._session.hooks.setdefault("response", []).append(self._on_response)
        self._api = Mastodon(
            api_base_url=self.base_url,
            ratelimit_method="throw",
            version_check_mode="none",
            mastodon_version=_STATED_VERSION,
            session=self._session,
            request_timeout=timeout,
            user_agent=user_agent,
        )
        # Set after construction: Mastodon.py reads a file when a token or client id names one.
        self._token: Secret | None = None
        if access_token is not None:
            self._set_token(access_token)

    # -- life ---------------------------------------------------------------------------------
    def __repr__(self) -> str:
        state = "with a token" if self._token is not None else "without a token"
        return f"MastodonClient({self.base_url!r}, {state})"

    def close(self) -> None:
        hooks = self._session.hooks.get("response", [])
        if self._on_response in hooks:
            hooks.remove(self._on_response)
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> MastodonClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def access_token(self) -> Secret | None:
        return self._token

    @property
    def sleep(self) -> Callable[[float], None]:
        """How this client waits (injected in tests)."""
        return self._sleep

    @property
    def clock(self) -> Callable[[], float]:
        return self._clock

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The request window as the last response described it (None before any)."""
        return self._rate_limit

    def _set_token(self, token: Secret | str) -> None:
        secret = token if isinstance(token, Secret) else Secret(str(token).strip())
        self._token = secret
        self._api.access_token = secret.reveal()
        self._me = None

    # -- transport ----------------------------------------------------------------------------
    def _on_response(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        """requests hook, for the responses of our own calls (this thread, inside ``_call``)."""
        local = self._local
        if not getattr(local, "active", False):
            return None
        info = RateLimitInfo.from_headers(response.headers, self._clock())
        if info is not None:
            self._rate_limit = info
        self._sanitize(response.headers)
        local.last = response
        if response.is_redirect:
            target = urljoin(response.url, response.headers.get("location", ""))
            if urlsplit(target).netloc.lower() != self.host:
                self.guard.check(target)  # raises BlockedHostError before requests follows it
        return None

    @staticmethod
    def _sanitize(headers: requests.structures.CaseInsensitiveDict) -> None:
        """Drop the rate-limit headers Mastodon.py would choke on (it raises on a reset time
        it cannot parse, even on a successful response): the request's result matters more."""
        reset = headers.get("X-RateLimit-Reset")
        if reset is None:
            return
        try:
            if not reset.strip().isdigit():
                dateutil.parser.parse(reset)
            if "Date" in headers:
                dateutil.parser.parse(headers["Date"])
        except (ValueError, OverflowError, TypeError):
            headers.pop("X-RateLimit-Reset", None)

    def _take(self, budget: Budget | None, points: int) -> None:
        if budget is None:
            return
        if self.wait and budget.available_at(points) - budget.clock() <= self.policy.max_wait:
            budget.take(points, wait=True, sleep=self._sleep)
            return
        budget.take(points)

    def _call(
        self,
        fn: Callable[[], T],
        *,
        account: str | None = None,
        login: bool = False,
        idempotent: bool = True,
        missing_ok: bool = False,
        cost: int = 1,
    ) -> T:
        """``fn()`` (Mastodon.py calls) under the budgets, the retry policy and our errors.

        ``account`` names the target account in errors (404/403 → AccountUnavailableError);
        ``login``: 400/401/403 mean wrong credentials; ``missing_ok``: 404/410 return
        ``_MISSING``; ``cost``: HTTP requests one try makes.
        """
        local = self._local
        local.tries = 0

        def attempt() -> T:
            self._take(self.request_budget, cost)
            local.tries += 1
            local.last = None
            local.active = True
            try:
                return fn()
            except mastodon_errors.MastodonAPIError as exc:
                if missing_ok and _api_status(exc) in (404, 410):
                    return _MISSING  # type: ignore[return-value]
                raise
            finally:
                local.active = False

        def classify(exc: BaseException) -> Verdict:
            return self._classify(exc, account=account, login=login, idempotent=idempotent)

        return call_with_retry(
            attempt,
            classify,
            network=NETWORK,
            policy=self.policy,
            sleep=self._sleep,
            clock=self._clock,
            on_wait=self._on_wait,
            rng=self._rng,
        )

    # -- errors -------------------------------------------------------------------------------
    def _classify(
        self, exc: BaseException, *, account: str | None, login: bool, idempotent: bool
    ) -> Verdict:
        chain = list(_chain(exc))
        last: requests.Response | None = getattr(self._local, "last", None)
        for item in chain:
            if isinstance(item, PortabiliteError):  # e.g. BlockedHostError from the hook
                return Verdict(Decision.FAIL, item)
        for item in chain:
            if isinstance(item, mastodon_errors.MastodonRatelimitError):
                if last is not None and last.status_code != 429:
                    break
                return self._rate_limited(last)
        for item in chain:
            status = _api_status(item)
            if status is not None:
                # the body's words (OAuth errors carry error_description), else Mastodon.py's
                reason = (
                    _body_reason(last) if last is not None and last.status_code == status else None
                )
                for extra in item.args[3:4] + item.args[2:3]:
                    reason = reason or extra
                return self._from_status(
                    status, reason, last, account=account, login=login, idempotent=idempotent
                )
        for item in chain:
            if isinstance(item, requests.RequestException):
                return self._from_transport(item, idempotent)
        if last is not None and last.status_code >= 400:
            return self._from_status(
                last.status_code,
                _body_reason(last) or last.reason,
                last,
                account=account,
                login=login,
                idempotent=idempotent,
            )
        for item in chain:
            if (
                isinstance(item, mastodon_errors.MastodonAPIError)
                and item.args
                and str(item.args[0]).startswith("Granted scopes")
            ):
                granted = re.search(r'Granted scopes "([^"]*)"', str(item.args[0]))
                return Verdict(
                    Decision.FAIL,
                    AuthenticationError(
                        "mastodon.scopes_not_granted",
                        network=NETWORK,
                        host=self.host,
                        granted=_clean_reason(granted.group(1) if granted else "?"),
                        requested=" ".join(SCOPES),
                    ),
                )
        if login and any(
            isinstance(i, mastodon_errors.MastodonIllegalArgumentError) for i in chain
        ):
            return Verdict(
                Decision.FAIL,
                AuthenticationError("network.auth_failed", network=NETWORK, reason="invalid code"),
            )
        return Verdict(
            Decision.FAIL,
            NetworkError("network.bad_response", network=NETWORK, reason=type(chain[-1]).__name__),
        )

    def _rate_limited(self, last: requests.Response | None) -> Verdict:
        now = self._clock()
        wait = wait_from_headers(last.headers, now) if last is not None else None
        if wait is None:  # no word from the server: back off; Mastodon's window is 5 minutes
            error = RateLimitedError(
                "network.rate_limited",
                network=NETWORK,
                retry_at=datetime.fromtimestamp(now + 300, timezone.utc),
            )
            return Verdict(Decision.BACKOFF, error)
        error = RateLimitedError(
            "network.rate_limited",
            network=NETWORK,
            retry_at=datetime.fromtimestamp(now + wait, timezone.utc),
        )
        return Verdict(Decision.WAIT, error, wait)

    def _from_status(
        self,
        status: int,
        reason: object,
        last: requests.Response | None,
        *,
        account: str | None,
        login: bool,
        idempotent: bool,
    ) -> Verdict:
        text = _clean_reason(reason) or f"HTTP {status}"
        fail = Decision.FAIL
        if status == 429:
            return self._rate_limited(last)
        if login and status in (400, 401, 403):
            return Verdict(
                fail, AuthenticationError("network.auth_failed", network=NETWORK, reason=text)
            )
        if status == 401:
            return Verdict(fail, SessionExpiredError("network.session_expired", network=NETWORK))
        if status == 403:
            if "scope" in text.lower():
                return Verdict(
                    fail,
                    RefusedError(
                        "mastodon.missing_scope", network=NETWORK, host=self.host, reason=text
                    ),
                )
            if account is not None:
                return Verdict(
                    fail,
                    AccountUnavailableError(
                        "mastodon.account_forbidden",
                        network=NETWORK,
                        host=self.host,
                        account=account,
                        reason=text,
                    ),
                )
        if status in (404, 410) and account is not None:
            return Verdict(
                fail,
                AccountUnavailableError(
                    "mastodon.account_not_found",
                    network=NETWORK,
                    host=self.host,
                    account=account,
                    reason=text,
                ),
            )
        if status in (502, 503, 504):
            error = UnreachableError(
                "mastodon.server_unavailable",
                network=NETWORK,
                host=self.host,
                status=status,
                attempts=self._tries(),
            )
            # a 503 says the request was not processed; a gateway error may hide a done write
            retry = idempotent or status == 503
            return Verdict(Decision.BACKOFF if retry else fail, error)
        if status >= 500:
            return Verdict(
                fail,
                UnreachableError(
                    "mastodon.server_error",
                    network=NETWORK,
                    host=self.host,
                    status=status,
                    reason=text,
                ),
            )
        return Verdict(
            fail, RefusedError("network.refused", network=NETWORK, status=status, reason=text)
        )

    def _from_transport(self, exc: requests.RequestException, idempotent: bool) -> Verdict:
        tries = self._tries()
        if isinstance(exc, requests.exceptions.SSLError):
            return Verdict(
                Decision.FAIL,
                UnreachableError("mastodon.unreachable_tls", network=NETWORK, host=self.host),
            )
        if isinstance(exc, requests.exceptions.Timeout):
            error = UnreachableError(
                "mastodon.unreachable_timeout", network=NETWORK, host=self.host, attempts=tries
            )
            safe = idempotent or isinstance(exc, requests.exceptions.ConnectTimeout)
            return Verdict(Decision.BACKOFF if safe else Decision.FAIL, error)
        if isinstance(exc, requests.exceptions.ConnectionError):
            error = UnreachableError(
                "mastodon.unreachable_connection", network=NETWORK, host=self.host, attempts=tries
            )
            safe = idempotent or _never_sent(exc)
            return Verdict(Decision.BACKOFF if safe else Decision.FAIL, error)
        reason = (
            "too many redirects"
            if isinstance(exc, requests.exceptions.TooManyRedirects)
            else type(exc).__name__
        )
        return Verdict(
            Decision.FAIL, NetworkError("network.bad_response", network=NETWORK, reason=reason)
        )

    def _tries(self) -> int:
        return max(getattr(self._local, "tries", 1), 1)

    def _bad(self, what: str) -> NetworkError:
        return NetworkError("network.bad_response", network=NETWORK, reason=what)

    # -- readers ------------------------------------------------------------------------------
    def _account(self, raw: Any) -> MastodonAccount:
        try:
            acct = normalize_address(str(raw["acct"]), self.local_domain)
            moved = raw.get("moved")
            moved_to = (
                normalize_address(str(moved["acct"]), self.local_domain)
                if isinstance(moved, Mapping) and moved.get("acct")
                else None
            )
            fields = tuple(
                (str(f.get("name") or ""), str(f.get("value") or ""))
                for f in (raw.get("fields") or [])
                if isinstance(f, Mapping)
            )
            return MastodonAccount(
                id=str(raw["id"]),
                acct=acct,
                username=str(raw.get("username") or acct.split("@", 1)[0]),
                display_name=str(raw.get("display_name") or ""),
                url=_opt_str(raw.get("url")),
                uri=_opt_str(raw.get("uri")),
                locked=bool(raw.get("locked")),
                bot=bool(raw.get("bot")),
                suspended=bool(raw.get("suspended")),
                moved_to=moved_to,
                fields=fields,
                note=str(raw.get("note") or ""),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._bad("an account without id or address") from None

    def _relationship(self, raw: Any) -> Relationship:
        try:
            return Relationship(
                id=str(raw["id"]),
                following=bool(raw.get("following")),
                requested=bool(raw.get("requested")),
                followed_by=bool(raw.get("followed_by")),
                blocking=bool(raw.get("blocking")),
                blocked_by=bool(raw.get("blocked_by")),
                muting=bool(raw.get("muting")),
                muting_notifications=bool(raw.get("muting_notifications")),
                showing_reblogs=bool(raw.get("showing_reblogs")),
                notifying=bool(raw.get("notifying")),
                domain_blocking=bool(raw.get("domain_blocking")),
            )
        except (KeyError, TypeError, AttributeError):
            raise self._bad("a relationship without id") from None

    def _list(self, raw: Any) -> MastodonList:
        try:
            return MastodonList(
                id=str(raw["id"]),
                title=str(raw.get("title") or ""),
                replies_policy=str(raw.get("replies_policy") or "list"),
                exclusive=bool(raw.get("exclusive")),
            )
        except (KeyError, TypeError, AttributeError):
            raise self._bad("a list without id") from None

    def _status(self, raw: Any, key: str | None) -> PostedStatus:
        try:
            return PostedStatus(
                id=str(raw["id"]),
                url=_opt_str(raw.get("url")),
                uri=_opt_str(raw.get("uri")),
                visibility=str(raw.get("visibility") or ""),
                language=_opt_str(raw.get("language")),
                created_at=_datetime(raw.get("created_at")),
                pinned=bool(raw.get("pinned")),
                idempotency_key=key,
            )
        except (KeyError, TypeError, AttributeError):
            raise self._bad("a status without id") from None

    @staticmethod
    def _ref(account: AccountRef) -> tuple[str, str]:
        """(local id, how to name it in messages)."""
        if isinstance(account, MastodonAccount):
            return account.id, account.acct
        return str(account), str(account)

    # -- who am I, where am I -----------------------------------------------------------------
    def verify_credentials(self, *, login: bool = False) -> MastodonAccount:
        """The logged-in account. ``login=True`` while checking a token the person just gave:
        a refusal is then an ``AuthenticationError`` rather than ``SessionExpiredError``."""
        raw = self._call(self._api.account_verify_credentials, login=login)
        self._me = self._account(raw)
        return self._me

    def me(self) -> MastodonAccount:
        """``verify_credentials()``, asked once per client."""
        return self._me if self._me is not None else self.verify_credentials()

    def instance(self) -> InstanceInfo:
        """The instance's description (``/api/v2/instance``, else v1). Updates
        ``local_domain`` to the instance's own domain."""
        raw = self._call(self._api.instance_v2, missing_ok=True)
        try:
            if raw is _MISSING:
                raw = self._call(self._api.instance_v1)
                config = raw.get("configuration") or {}
                statuses = config.get("statuses") or {}
                max_chars = statuses.get("max_characters") or raw.get("max_toot_chars") or 500
                domain = str(raw.get("uri") or self.host)
                fields = None
            else:
                config = raw.get("configuration") or {}
                max_chars = (config.get("statuses") or {}).get("max_characters") or 500
                domain = str(raw.get("domain") or self.host)
                fields = (config.get("accounts") or {}).get("max_profile_fields")
            domain = domain.split("://", 1)[-1].strip("/").lower()
            info = InstanceInfo(
                domain=domain,
                title=str(raw.get("title") or ""),
                version=str(raw.get("version") or ""),
                max_characters=int(max_chars),
                max_profile_fields=_int(fields) if fields is not None else None,
                languages=tuple(str(x) for x in raw.get("languages") or ()),
            )
        except (TypeError, ValueError, AttributeError):
            raise self._bad("an instance description") from None
        if _clean_host(info.domain):
            self.local_domain = info.domain
        return info

    # -- finding accounts ---------------------------------------------------------------------
    def _query(self, address: str) -> tuple[str, str]:
        """(what to send, the normalized address the answer must carry)."""
        text = address.strip().lstrip("@")
        wanted = normalize_address(text, self.local_domain)
        return (text if "@" in text else wanted.split("@", 1)[0]), wanted

    def lookup(self, address: str) -> MastodonAccount | None:
        """An account the instance already knows (``/api/v1/accounts/lookup``, no remote
        fetch); None when it does not (404/410). ``address``: ``user@host`` or a local
        ``user``."""
        query, _ = self._query(address)
        raw = self._call(lambda: self._api.account_lookup(query), missing_ok=True)
        return None if raw is _MISSING else self._account(raw)

    def resolve_account(self, address: str) -> MastodonAccount | None:
        """The account behind ``user@host`` with its LOCAL id on this instance, fetched from
        its home server if need be (v2 search, ``resolve=true``). None when not found. Only an
        exact address match counts: search results are fuzzy."""
        query, wanted = self._query(address)
        raw = self._call(lambda: self._api.search_v2(query, resolve=True, exclude_unreviewed=False))
        try:
            accounts = list(raw.get("accounts") or [])
        except (TypeError, AttributeError):
            raise self._bad("a search result") from None
        for item in accounts:
            account = self._account(item)
            if account.acct.casefold() == wanted.casefold():
                return account
        return None

    def search_accounts(self, query: str, *, limit: int = 10) -> list[MastodonAccount]:
        """Accounts this instance already knows whose name or address is like ``query`` (v2
        search, accounts only, ``resolve=false``: nothing is fetched from other servers).
        Fuzzy: candidates, never proof."""
        raw = self._call(
            lambda: self._api.search_v2(
                query,
                resolve=False,
                result_type="accounts",
                exclude_unreviewed=False,
                limit=max(1, min(limit, 40)),
            )
        )
        try:
            accounts = list(raw.get("accounts") or [])
        except (TypeError, AttributeError):
            raise self._bad("a search result") from None
        return [self._account(item) for item in accounts]

    def relationships(self, accounts: Iterable[AccountRef]) -> list[Relationship]:
        """Relationships with these accounts (by local id), asked 40 at a time. Suspended
        accounts are left out by the instance."""
        ids = [self._ref(a)[0] for a in accounts]
        result: list[Relationship] = []
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            ask: str | list[str] = chunk[0] if len(chunk) == 1 else chunk
            raw = self._call(functools.partial(self._api.account_relationships, ask))
            result.extend(self._relationship(r) for r in raw)
        return result

    # -- acting on accounts -------------------------------------------------------------------
    def follow(
        self, account: AccountRef, *, reblogs: bool = True, notify: bool = False
    ) -> Relationship:
        """Follow (or ask to follow, for a locked account: ``requested``). Spends one point of
        ``follow_budget`` first: a spent budget raises without contacting the server."""
        account_id, label = self._ref(account)
        self._take(self.follow_budget, 1)
        try:
            raw = self._call(
                lambda: self._api.account_follow(account_id, reblogs=reblogs, notify=notify),
                account=label,
            )
        except (AccountUnavailableError, RefusedError):
            if self.follow_budget is not None:  # Mastodon counts only the follows it makes
                self.follow_budget.refund(1)
            raise
        return self._relationship(raw)

    def unfollow(self, account: AccountRef) -> Relationship:
        account_id, label = self._ref(account)
        return self._relationship(
            self._call(lambda: self._api.account_unfollow(account_id), account=label)
        )

    def block(self, account: AccountRef) -> Relationship:
        account_id, label = self._ref(account)
        return self._relationship(
            self._call(lambda: self._api.account_block(account_id), account=label)
        )

    def mute(
        self, account: AccountRef, *, notifications: bool = True, duration: int | None = None
    ) -> Relationship:
        """Mute (``duration`` in seconds; None: until unmuted)."""
        account_id, label = self._ref(account)
        raw = self._call(
            lambda: self._api.account_mute(
                account_id, notifications=notifications, duration=duration
            ),
            account=label,
        )
        return self._relationship(raw)

    # -- collections, every page --------------------------------------------------------------
    def _paginate(self, first: Callable[[], Any]) -> Iterator[MastodonAccount]:
        """Every account of a paginated list: follows the Link ``rel="next"`` of each page
        until there is none. A next link Mastodon.py cannot follow, or a page that repeats,
        raises rather than silently ending the list early."""
        page = self._call(first)
        seen: set[str] = set()
        while True:
            last = getattr(self._local, "last", None)
            announced = bool(last is not None and last.links.get("next"))
            following = self._api.get_pagination_info(page, "next") if page else None
            accounts = [self._account(raw) for raw in page]
            yield from accounts
            if following is None or not accounts:
                if announced and accounts:
                    raise NetworkError(
                        "mastodon.bad_page", network=NETWORK, host=self.host, reason="no max_id"
                    )
                return
            cursor = str(following.get("max_id"))
            if cursor in seen:
                raise NetworkError(
                    "mastodon.bad_page",
                    network=NETWORK,
                    host=self.host,
                    reason=f"max_id={_clean_reason(cursor, 40)} again",
                )
            seen.add(cursor)
            page = self._call(functools.partial(self._api.fetch_next, page))
            if page is None:
                return

    def _account_id(self, account: AccountRef | None) -> str:
        return self.me().id if account is None else self._ref(account)[0]

    def iter_following(
        self, account: AccountRef | None = None, *, page_size: int = PAGE_SIZE
    ) -> Iterator[MastodonAccount]:
        """Everyone ``account`` (default: the logged-in one) follows, every page."""
        account_id = self._account_id(account)
        return self._paginate(lambda: self._api.account_following(account_id, limit=page_size))

    def iter_followers(
        self, account: AccountRef | None = None, *, page_size: int = PAGE_SIZE
    ) -> Iterator[MastodonAccount]:
        account_id = self._account_id(account)
        return self._paginate(lambda: self._api.account_followers(account_id, limit=page_size))

    def iter_blocks(self, *, page_size: int = PAGE_SIZE) -> Iterator[MastodonAccount]:
        return self._paginate(lambda: self._api.blocks(limit=page_size))

    def iter_mutes(self, *, page_size: int = PAGE_SIZE) -> Iterator[MastodonAccount]:
        return self._paginate(lambda: self._api.mutes(limit=page_size))

    # -- lists --------------------------------------------------------------------------------
    def lists(self) -> list[MastodonList]:
        return [self._list(raw) for raw in self._call(self._api.lists)]

    def create_list(
        self, title: str, *, replies_policy: str = "list", exclusive: bool = False
    ) -> MastodonList:
        """A new list (not retried when the request may have reached the server: a second
        list of the same name would appear)."""
        raw = self._call(
            lambda: self._api.list_create(
                title, replies_policy=replies_policy, exclusive=exclusive
            ),
            idempotent=False,
        )
        return self._list(raw)

    def add_to_list(self, list_id: str | MastodonList, accounts: Iterable[AccountRef]) -> None:
        """Add accounts (which must be followed) to a list, 40 per request."""
        lid = list_id.id if isinstance(list_id, MastodonList) else str(list_id)
        ids = [self._ref(a)[0] for a in accounts]
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            self._call(functools.partial(self._api.list_accounts_add, lid, chunk), idempotent=False)

    def iter_list_accounts(
        self, list_id: str | MastodonList, *, page_size: int = PAGE_SIZE
    ) -> Iterator[MastodonAccount]:
        lid = list_id.id if isinstance(list_id, MastodonList) else str(list_id)
        return self._paginate(lambda: self._api.list_accounts(lid, limit=page_size))

    # -- statuses and profile -----------------------------------------------------------------
    def post_status(
        self,
        text: str,
        *,
        visibility: str | None = None,
        language: str | None = None,
        scheduled_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> PostedStatus | ScheduledPost:
        """Post (or schedule, with an aware ``scheduled_at`` at least 5 minutes ahead).

        Sent with an ``Idempotency-Key`` (one is made when none is given): a retry after a
        lost answer, or a re-run with the same key within the hour, posts only once.
        """
        if visibility is not None and visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}, not {visibility!r}")
        if scheduled_at is not None and scheduled_at.tzinfo is None:
            raise ValueError("scheduled_at must carry a time zone")
        key = idempotency_key or uuid.uuid4().hex
        raw = self._call(
            lambda: self._api.status_post(
                text,
                visibility=visibility,
                language=language,
                scheduled_at=scheduled_at,
                idempotency_key=key,
            )
        )
        if scheduled_at is not None or ("params" in raw and "scheduled_at" in raw):
            try:
                params = raw.get("params") or {}
                return ScheduledPost(
                    id=str(raw["id"]),
                    scheduled_at=_datetime(raw.get("scheduled_at")),
                    text=str(params.get("text") or text),
                    idempotency_key=key,
                )
            except (KeyError, TypeError, AttributeError):
                raise self._bad("a scheduled status without id") from None
        return self._status(raw, key)

    def cancel_scheduled(self, scheduled_id: str) -> None:
        """Withdraw a post handed to the server's scheduler (DELETE /api/v1/scheduled_statuses)."""
        self._call(lambda: self._api.scheduled_status_delete(scheduled_id))

    def pin_status(self, status_id: str | PostedStatus) -> PostedStatus:
        """Feature a status on the profile. Mastodon asks for the ``write:accounts`` scope."""
        sid = status_id.id if isinstance(status_id, PostedStatus) else str(status_id)
        return self._status(self._call(lambda: self._api.status_pin(sid)), None)

    def update_profile(
        self,
        *,
        display_name: str | None = None,
        note: str | None = None,
        fields: Sequence[tuple[str, str]] | None = None,
    ) -> MastodonAccount:
        """Change the profile; ``fields`` replaces every profile field (Mastodon allows 4 by
        default: ``InstanceInfo.max_profile_fields``). Needs the ``write:accounts`` scope."""
        raw = self._call(
            lambda: self._api.account_update_credentials(
                display_name=display_name,
                note=note,
                fields=[(str(n), str(v)) for n, v in fields] if fields is not None else None,
            )
        )
        self._me = self._account(raw)
        return self._me

    # -- OAuth for an installed app -----------------------------------------------------------
    def register_app(self, *, name: str = APP_NAME, website: str | None = None) -> AppRegistration:
        """Register portabilite on the instance, with ``SCOPES`` and the out-of-band
        redirect. Keep the result (``to_record``) to log in again later."""

        def create() -> tuple[str, str]:
            return Mastodon.create_app(
                name,
                scopes=list(SCOPES),
                redirect_uris=OOB_REDIRECT,
                website=website,
                api_base_url=self.base_url,
                request_timeout=self.timeout,
                session=self._session,
                user_agent=self._user_agent,
            )

        client_id, client_secret = self._call(create)
        if not client_id or not client_secret:
            raise self._bad("an app registration without client id or secret")
        return AppRegistration(self.base_url, str(client_id), Secret(str(client_secret)))

    def authorize_url(
        self,
        app: AppRegistration,
        *,
        lang: str | None = None,
        force_login: bool = False,
        state: str | None = None,
    ) -> str:
        """The page where the person allows portabilite and gets a code to paste (no request
        is made: Mastodon serves it at ``/oauth/authorize``)."""
        self._check_app(app)
        params = {
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": app.redirect_uri,
            "scope": " ".join(app.scopes),
        }
        if force_login:
            params["force_login"] = "true"
        if state:
            params["state"] = state
        if lang:
            params["lang"] = lang
        return f"{self.base_url}/oauth/authorize?{urlencode(params)}"

    def log_in(self, app: AppRegistration, code: Secret | str) -> Secret:
        """Exchange the pasted code for an access token; the client uses it from now on.
        ``AuthenticationError`` when the instance refuses the code."""
        self._check_app(app)
        value = code.reveal() if isinstance(code, Secret) else str(code).strip()
        register_secret(value)
        self._api.client_id = app.client_id
        self._api.client_secret = app.client_secret.reveal()
        previous = self._api.access_token
        try:
            token = self._call(
                lambda: self._api.log_in(
                    code=value,
                    redirect_uri=app.redirect_uri,
                    scopes=list(app.scopes),
                    allow_http=self.base_url.startswith("http://"),
                ),
                login=True,
                cost=2,
            )
        except BaseException:
            self._api.access_token = previous
            raise
        if not isinstance(token, str) or not token:
            self._api.access_token = previous
            raise self._bad("no access token")
        self._set_token(token)
        return self._token  # type: ignore[return-value]

    def _check_app(self, app: AppRegistration) -> None:
        if normalize_instance_url(app.instance_url) != self.base_url:
            raise ValueError("this app was registered on another instance")


# -- WebFinger -------------------------------------------------------------------------------

_JRD_ACCEPT = "application/jrd+json, application/json;q=0.9"
_XRD_ACCEPT = "application/xrd+xml, application/xml;q=0.9"
_AP_TYPES = (
    "application/activity+json",
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
)
_PROFILE_REL = "http://webfinger.net/rel/profile-page"
_MAX_BODY = 256 * 1024


def _http_url(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value)
    return value if parts.scheme in ("https", "http") and parts.hostname else None


class _WebFinger:
    def __init__(
        self,
        client: httpx.AsyncClient,
        guard: HostGuard,
        timeout: float,
        address: str,
        host_meta: dict[str, str | None] | None = None,
    ) -> None:
        self.client = client
        self.guard = guard
        self.timeout = timeout
        self.address = address
        self.host_meta = host_meta if host_meta is not None else {}

    async def fetch(self, url: str, accept: str) -> tuple[int, bytes | None] | None:
        """(status, body of a 200) of a guarded GET (``_web.guarded_get``); a host that does
        not answer raises ``UnreachableError`` naming the address looked up."""
        host = urlsplit(url).netloc.lower()
        try:
            return await guarded_get(
                self.client,
                url,
                guard=self.guard,
                accept=accept,
                timeout=self.timeout,
                max_body=_MAX_BODY,
            )
        except httpx.TimeoutException:
            raise UnreachableError(
                "mastodon.webfinger_timeout",
                network=NETWORK,
                host=host,
                address=self.address,
                seconds=f"{self.timeout:g}",
            ) from None
        except httpx.TransportError:
            raise UnreachableError(
                "mastodon.webfinger_unreachable", network=NETWORK, host=host, address=self.address
            ) from None

    def _failed(self, url: str, status: int) -> UnreachableError:
        return UnreachableError(
            "mastodon.webfinger_error",
            network=NETWORK,
            host=urlsplit(url).netloc.lower(),
            address=self.address,
            status=status,
        )

    async def resolve(self, user: str, host: str) -> WebFingerResult | None:
        resource = f"acct:{user}@{host}"
        url = f"https://{host}/.well-known/webfinger?{urlencode({'resource': resource})}"
        answer = await self.fetch(url, _JRD_ACCEPT)
        if answer is None:
            return None
        status, body = answer
        if status == 404:  # the handle's domain may delegate WebFinger: ask its host-meta
            template = await self.lrdd_template(host)
            if template is None:
                return None
            url = template.replace("{uri}", quote(resource, safe=""))
            answer = await self.fetch(url, _JRD_ACCEPT)
            if answer is None:
                return None
            status, body = answer
        if status >= 500:
            raise self._failed(url, status)
        if status != 200 or body is None:
            return None
        return self.parse_jrd(body)

    async def lrdd_template(self, host: str) -> str | None:
        """The host's lrdd template, asked once per host for all the look-ups sharing
        ``host_meta``."""
        if host not in self.host_meta:
            self.host_meta[host] = await self._lrdd_template(host)
        return self.host_meta[host]

    async def _lrdd_template(self, host: str) -> str | None:
        url = f"https://{host}/.well-known/host-meta"
        answer = await self.fetch(url, _XRD_ACCEPT)
        if answer is None or answer[0] != 200 or not answer[1]:
            return None
        body = answer[1]
        if b"<!doctype" in body.lower() or b"<!entity" in body.lower():
            return None  # no DTDs: host-meta never needs one, and entities can explode
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return None
        for element in root.iter():
            if (
                str(element.tag).rsplit("}", 1)[-1] == "Link"
                and element.get("rel") == "lrdd"
                and element.get("template")
            ):
                template = element.get("template", "")
                if "{uri}" in template and urlsplit(template).scheme == "https":
                    return template
        return None

    def parse_jrd(self, body: bytes) -> WebFingerResult | None:
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(doc, dict):
            return None
        actor = profile = None
        links = doc.get("links")
        for link in links if isinstance(links, list) else []:
            if not isinstance(link, dict):
                continue
            rel, kind = link.get("rel"), str(link.get("type") or "")
            if actor is None and rel == "self" and kind in _AP_TYPES:
                actor = _http_url(link.get("href"))
            elif profile is None and rel == _PROFILE_REL:
                profile = _http_url(link.get("href"))
        subject = doc.get("subject")
        parsed = (
            parse_address(subject)
            if isinstance(subject, str) and subject[:5].lower() == "acct:"
            else None
        )
        if isinstance(subject, str) and subject[:5].lower() == "acct:" and parsed is None:
            return None  # a subject that is no address: refused, not replaced by ours
        if parsed is None and actor is None:
            return None  # some JSON, but not a WebFinger answer
        canonical = f"{parsed[0]}@{parsed[1]}" if parsed else self.address
        aliases = doc.get("aliases")
        return WebFingerResult(
            subject=canonical,
            actor_url=actor,
            profile_url=profile,
            aliases=tuple(a for a in aliases if isinstance(a, str))
            if isinstance(aliases, list)
            else (),
        )


async def webfinger(
    address: str,
    *,
    client: httpx.AsyncClient,
    guard: HostGuard,
    timeout: float = WEBFINGER_TIMEOUT,
    host_meta: dict[str, str | None] | None = None,
) -> WebFingerResult | None:
    """Resolve ``user@host`` by WebFinger: the canonical address, the ActivityPub actor URL and
    the profile page. None when the host has no such account, or no WebFinger at all (an
    e-mail address, say), or the text is not an address.

    ``https://host/.well-known/webfinger`` first; on a 404, ``host-meta``'s lrdd template
    (the handle's domain delegating to the web domain). When the answer names another
    canonical address, that address's own server must confirm it. Every host passes
    ``guard`` before it is contacted (``BlockedHostError``), redirects included; only https
    is used. A host that does not answer within ``timeout`` seconds raises
    ``UnreachableError`` at once (no retry); one that answers 5xx, too. ``host_meta``: a dict
    shared by the look-ups of one run, so each host's host-meta is fetched once.
    """
    parsed = parse_address(address)
    if parsed is None:
        return None
    wanted = f"{parsed[0]}@{parsed[1]}"
    finger = _WebFinger(client, guard, timeout, wanted, host_meta)
    first = await finger.resolve(*parsed)
    if first is None or first.subject.casefold() == wanted.casefold():
        return first
    other = parse_address(first.subject)
    if other is None:
        return None
    second = await finger.resolve(*other)
    if second is None or second.subject.casefold() != first.subject.casefold():
        return None  # the other server does not confirm it: do not trust the claim
    return second
