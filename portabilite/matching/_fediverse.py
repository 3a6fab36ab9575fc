"""The matcher's fediverse look-ups: WebFinger for every Mastodon address a resolver proposes,
and (when the user is logged in) resolution on the user's own instance, which also reveals
suspended accounts and accounts that moved.

Look-ups run concurrently (asyncio + httpx), at most ``PER_HOST`` at a time on one host so a
small instance is never hammered; a host that fails once is skipped for the rest of the run
(circuit breaker). Answers are cached in the workspace with their date; failures are not (a
later run asks again).
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..errors import (
    AuthenticationError,
    BlockedHostError,
    NotLoggedInError,
    PortabiliteError,
    RateLimitedError,
    SessionExpiredError,
    UnreachableError,
)
from ..networks import HostGuard
from ..workspace import Workspace
from ._cache import CachedLookups

if TYPE_CHECKING:  # httpx is imported when a look-up runs, not with the package
    import httpx

__all__ = [
    "webfinger_many",
    "resolve_many",
    "search_home",
    "account_view",
    "PER_HOST",
    "CONCURRENCY",
]

PER_HOST = 2
CONCURRENCY = 16


async def _webfinger_all(
    addresses: list[str],
    guard: HostGuard,
    client: httpx.AsyncClient,
    timeout: float,
    progress: Callable[[int, int], None] | None,
    host_meta: dict[str, str | None],
    dead: set[str],
) -> dict[str, Any]:
    from ..networks.webfinger import webfinger

    answers: dict[str, Any] = {}
    total = asyncio.Semaphore(CONCURRENCY)
    per_host: dict[str, asyncio.Semaphore] = {}
    probed: dict[str, asyncio.Event] = {}
    done = 0

    async def one(address: str) -> None:
        nonlocal done
        host = address.rsplit("@", 1)[-1].lower()
        gate = per_host.setdefault(host, asyncio.Semaphore(PER_HOST))
        first = host not in probed
        if first:
            probed[host] = asyncio.Event()
        else:
            await probed[host].wait()  # the first look-up on a host goes alone
        try:
            async with total, gate:
                if host in dead:
                    return
                try:  # an overall deadline: a server dripping a byte at a time holds nothing
                    result = await asyncio.wait_for(
                        webfinger(
                            address,
                            client=client,
                            guard=guard,
                            timeout=timeout,
                            host_meta=host_meta,
                        ),
                        3 * timeout,
                    )
                except (UnreachableError, BlockedHostError, asyncio.TimeoutError):
                    dead.add(host)  # one failure is enough: skip this host for the run
                    return
                except PortabiliteError:
                    return
        finally:
            if first:
                probed[host].set()
        answers[address] = (
            None
            if result is None
            else {
                "subject": result.subject,
                "actor_url": result.actor_url,
                "profile_url": result.profile_url,
            }
        )
        done += 1
        if progress is not None:
            progress(done, len(addresses))

    await asyncio.gather(*(one(a) for a in addresses))
    return answers


def webfinger_many(
    ws: Workspace,
    addresses: Iterable[str],
    *,
    online: bool,
    refresh: bool,
    guard: HostGuard,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 10.0,
    progress: Callable[[int, int], None] | None = None,
    host_meta: dict[str, str | None] | None = None,
    dead: set[str] | None = None,
) -> dict[str, Any]:
    """WebFinger answers for ``addresses`` (cached ones, plus fresh look-ups when online).
    A missing key means "unknown" (offline, or the host did not answer). ``host_meta`` and
    ``dead`` (the hosts that failed): share them across the calls of a run, so each host's
    host-meta is asked once per run and a host that failed is not asked again."""
    host_meta = {} if host_meta is None else host_meta
    dead = set() if dead is None else dead
    cache = CachedLookups(ws, "mastodon:webfinger")
    addresses = list(dict.fromkeys(addresses))
    known = {} if refresh else cache.get_many(addresses)
    missing = [a for a in addresses if a not in known]
    if online and missing:
        import httpx

        from ..networks._connect import guarded_async_transport

        async def run() -> dict[str, Any]:
            pinned = transport if transport is not None else guarded_async_transport(guard)
            async with httpx.AsyncClient(
                transport=pinned, follow_redirects=False, timeout=timeout
            ) as client:
                return await _webfinger_all(
                    missing, guard, client, timeout, progress, host_meta, dead
                )

        answers = asyncio.run(run())
        cache.put_many(answers)
        known.update(answers)
    return known


def resolve_many(
    ws: Workspace,
    addresses: Iterable[str],
    mastodon: Any | None,
    *,
    refresh: bool,
    host: str | None = None,
) -> dict[str, Any]:
    """The user's instance's view of each address: local id, suspended, moved_to (cached
    under the instance's ``host``, so an offline run sees them too)."""
    cache = CachedLookups(ws, f"mastodon:resolve:{host or getattr(mastodon, 'host', '')}")
    addresses = list(dict.fromkeys(addresses))
    known = {} if refresh else cache.get_many(addresses)
    if mastodon is None:
        return known

    def resolve(address: str) -> dict[str, Any] | None:
        account = mastodon.resolve_account(address)
        return None if account is None else account_view(account)

    return _ask_instance(mastodon, cache, addresses, known, resolve)


def account_view(account: Any) -> dict[str, Any]:
    """A Mastodon account as the cache keeps it (JSON)."""
    return {
        "id": account.id,
        "acct": account.acct,
        "suspended": account.suspended,
        "moved_to": account.moved_to,
        "display_name": account.display_name,
        "username": account.username,
        "note": getattr(account, "note", ""),
        "fields": [list(f) for f in getattr(account, "fields", ())],
    }


#: share of the instance's request window left untouched, for the person's own apps
RESERVE = 0.2
#: the longest wait for the window to reopen; past it, the rest waits for another run
MAX_WAIT = 300.0


class _Stop(Exception):
    """The instance is down, or wants a longer pause than a run waits."""


class _Pace:
    """Calls to the user's own instance, paced inside its limits: its own budget (300 requests
    per 5 minutes per account) and what its ``X-RateLimit-*`` headers say. When less than
    ``RESERVE`` of the window is left, or the budget is spent, wait for the window to reopen
    (at most ``MAX_WAIT`` s); longer, stop (``_Stop``): the rest is for the next run."""

    def __init__(self, mastodon: Any) -> None:
        import time

        self.mastodon = mastodon
        self.sleep = getattr(mastodon, "sleep", time.sleep)
        self.clock = getattr(mastodon, "clock", time.time)

    def _wait_until(self, moment: Any) -> None:
        wait = moment.timestamp() - self.clock() if hasattr(moment, "timestamp") else MAX_WAIT + 1
        if wait > MAX_WAIT:
            raise _Stop()
        self.sleep(max(wait, 0.0))

    def call(self, fn: Callable[[], Any]) -> Any:
        info = getattr(self.mastodon, "rate_limit", None)
        if (
            info is not None
            and info.limit
            and info.remaining is not None
            and info.remaining <= info.limit * RESERVE
        ):
            self._wait_until(info.reset_at)
        for attempt in range(2):
            try:
                return fn()
            except RateLimitedError as exc:
                if attempt:
                    raise _Stop() from None
                self._wait_until(exc.retry_at)
            except UnreachableError:
                raise _Stop() from None
        raise _Stop()


def search_home(
    ws: Workspace,
    mastodon: Any | None,
    queries: Iterable[str],
    *,
    refresh: bool,
    limit: int = 10,
    host: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The user's own instance's account search (no remote fetch) for each query, cached,
    paced like every call to that instance (``_Pace``)."""
    cache = CachedLookups(ws, f"mastodon:search:{host or getattr(mastodon, 'host', '')}")
    queries = list(dict.fromkeys(q for q in queries if q.strip()))
    known = {k: v or [] for k, v in ({} if refresh else cache.get_many(queries)).items()}
    if mastodon is None:
        return known
    return _ask_instance(
        mastodon,
        cache,
        queries,
        known,
        lambda query: [account_view(a) for a in mastodon.search_accounts(query, limit=limit)],
    )


def _ask_instance(
    mastodon: Any,
    cache: CachedLookups,
    keys: list[str],
    known: dict[str, Any],
    ask: Callable[[str], Any],
) -> dict[str, Any]:
    """``ask(key)`` for each key not known yet, paced (``_Pace``), cached 50 at a time so an
    interruption loses little; a refused key is skipped (asked again next run), a long pause
    or a down instance ends the loop (the rest another day)."""
    pace = _Pace(mastodon)
    fresh: dict[str, Any] = {}
    for key in keys:
        if key in known:
            continue
        try:
            fresh[key] = pace.call(functools.partial(ask, key))
        except (_Stop, AuthenticationError, SessionExpiredError, NotLoggedInError):
            break  # nothing more to ask today: the instance is down, or the login is gone
        except PortabiliteError:
            continue
        if len(fresh) >= 50:
            cache.put_many(fresh)
            known.update(fresh)
            fresh = {}
    cache.put_many(fresh)
    known.update(fresh)
    return known
