"""The Mastodon client: ``MastodonClient`` (over Mastodon.py), OAuth for an installed app
(``register_app``, ``authorize_url``, ``log_in``), and ``mastodon_budgets``.

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
"""

from __future__ import annotations

import functools
import random
import threading
import time
import uuid
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar
from urllib.parse import urlencode, urljoin, urlsplit

import dateutil.parser
import requests
from mastodon import Mastodon
from mastodon import errors as mastodon_errors

from ..._version import __version__
from ...errors import AccountUnavailableError, NetworkError, PortabiliteError, RefusedError
from ...secrets import Secret, register_secret
from .._addresses import _clean_host, normalize_address, normalize_instance_url
from .._hosts import HostGuard
from .._ratelimit import (
    Budget,
    Ledger,
    RetryPolicy,
    Verdict,
    call_with_retry,
    mastodon_follow_budget,
    mastodon_request_budget,
)
from ._errors import _api_status, _Classifier, _clean_reason
from ._models import (
    NETWORK,
    OOB_REDIRECT,
    SCOPES,
    AccountRef,
    AppRegistration,
    InstanceInfo,
    MastodonAccount,
    MastodonList,
    PostedStatus,
    RateLimitInfo,
    Relationship,
    ScheduledPost,
    _datetime,
    _int,
    _opt_str,
)

T = TypeVar("T")

APP_NAME = "portabilite"
USER_AGENT = f"portabilite/{__version__}"
#: Accounts per page for following/followers/blocks/mutes/list members (Mastodon's maximum).
PAGE_SIZE = 80
#: Ids per relationships / list-membership request.
ID_CHUNK = 40
VISIBILITIES = ("public", "unlisted", "private", "direct")

# Given to Mastodon.py so that it never fetches the instance version itself (it would before
# search_v2 and after log_in). With version_check_mode="none" the value is not used for checks.
_STATED_VERSION = "4.0.0"
_MISSING = object()


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


class MastodonClient(_Classifier):
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
