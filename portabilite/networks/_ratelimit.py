"""One rate-limit policy for every network: read what servers say, wait well, never hammer.

* ``wait_from_headers`` reads ``Retry-After`` (seconds or HTTP date), ``RateLimit-Reset``
  (Bluesky: epoch seconds), ``X-RateLimit-Reset`` (Mastodon: an ISO 8601 timestamp) and
  ``x-rate-limit-reset`` (X: epoch seconds); a small number is read as a delay in seconds.
* ``call_with_retry`` retries what is worth retrying (429, 502/503/504, timeouts, connection
  resets) with the server's delay or exponential backoff with jitter, and never a 4xx that
  means "no". A wait longer than ``RetryPolicy.max_wait`` is not slept: it becomes a
  ``RateLimitedError`` saying when to come back (a daily limit never blocks for hours).
* ``Budget`` tracks write budgets over rolling or epoch-aligned windows (Bluesky: 5,000
  points an hour and 35,000 a day, 3 per created record; Mastodon: 400 follows per account per
  UTC day, 300 requests per 5 minutes per token), in a ledger that can live in the workspace so
  that budgets hold across runs.
"""

from __future__ import annotations

import enum
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable, Mapping, Protocol, Sequence, TypeVar

from .._waiting import wait as announced_wait
from ..errors import PortabiliteError, RateLimitedError

__all__ = [
    "wait_from_headers",
    "parse_reset",
    "RetryPolicy",
    "Verdict",
    "call_with_retry",
    "Window",
    "Budget",
    "Ledger",
    "MemoryLedger",
    "BLUESKY_WRITE_WINDOWS",
    "BLUESKY_POINTS",
    "MASTODON_FOLLOW_WINDOWS",
    "MASTODON_REQUEST_WINDOWS",
    "bluesky_write_budget",
    "mastodon_follow_budget",
    "mastodon_request_budget",
]

T = TypeVar("T")


def _as_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def parse_reset(value: str, now: float) -> float | None:
    """Seconds from ``now`` (epoch) until ``value``: epoch seconds, a delay, ISO 8601 or an
    HTTP date. None when unreadable; never negative."""
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if number != number or number in (float("inf"), float("-inf")):
            return None
        delay = number - now if number > 1_000_000_000 else number
        return max(delay, 0.0)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(moment.timestamp() - now, 0.0)


def wait_from_headers(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long the server asks us to wait, from any header style it uses (the longest)."""
    now = time.time() if now is None else now
    lowered = {k.lower(): v for k, v in headers.items()}
    waits = []
    for name in ("retry-after", "ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset"):
        if name in lowered:
            wait = parse_reset(str(lowered[name]), now)
            if wait is not None:
                waits.append(wait)
    for scope in ("user", "app"):  # X: daily caps, reported only when used up
        if str(lowered.get(f"x-{scope}-limit-24hour-remaining", "")).strip() == "0":
            wait = parse_reset(str(lowered.get(f"x-{scope}-limit-24hour-reset", "")), now)
            if wait is not None:
                waits.append(wait)
    return max(waits) if waits else None


def remaining_from_headers(headers: Mapping[str, str]) -> int | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("ratelimit-remaining", "x-ratelimit-remaining", "x-rate-limit-remaining"):
        if name in lowered:
            try:
                return int(float(lowered[name]))
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries of one call, the first included
    base_delay: float = 1.0
    max_delay: float = 60.0  # longest single backoff step
    max_wait: float = 900.0  # longest wait for one call; beyond, RateLimitedError
    jitter: float = 0.5  # each wait is multiplied by a random factor in [1 - jitter, 1]

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        step = min(self.max_delay, self.base_delay * (2**attempt))
        factor = (rng or random).uniform(1 - self.jitter, 1.0)
        return step * factor


class Decision(enum.Enum):
    FAIL = "fail"  # a "no": raise now
    BACKOFF = "backoff"  # transient: exponential backoff
    WAIT = "wait"  # the server said how long


@dataclass
class Verdict:
    """What to do about an exception: ``error`` is what to raise when giving up."""

    decision: Decision
    error: PortabiliteError
    wait: float | None = None


def call_with_retry(
    fn: Callable[[], T],
    classify: Callable[[BaseException], Verdict],
    *,
    network: str,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    on_wait: Callable[[float, PortabiliteError], None] | None = None,
    rng: random.Random | None = None,
) -> T:
    """``fn()``, retried per ``policy``; ``classify`` maps its exceptions to a ``Verdict``."""
    for attempt in range(policy.attempts):
        try:
            return fn()
        except PortabiliteError:
            raise
        except Exception as exc:  # noqa: BLE001 - classified below
            verdict = classify(exc)
            if verdict.decision is Decision.FAIL or attempt == policy.attempts - 1:
                raise verdict.error from None
            if verdict.decision is Decision.WAIT and verdict.wait is not None:
                wait = verdict.wait + (rng or random).uniform(0, 1.0)  # don't all come back at once
            else:
                wait = policy.backoff(attempt, rng)
            if wait > policy.max_wait:
                raise RateLimitedError(
                    "network.rate_limited", network=network, retry_at=_as_datetime(clock() + wait)
                ) from None
            if on_wait is not None:
                on_wait(wait, verdict.error)
            why = "rate_limit" if verdict.decision is Decision.WAIT else "retry"
            announced_wait(network, wait, why, sleep, clock)
    raise AssertionError("unreachable")  # pragma: no cover


# -- budgets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    limit: int  # points per window
    seconds: int
    aligned: bool = False  # True: windows start at multiples of `seconds` since the epoch (UTC)


#: Bluesky PDS write limits (points): 5,000 an hour, 35,000 a day.
BLUESKY_WRITE_WINDOWS = (Window(5_000, 3_600), Window(35_000, 86_400))
#: Points per applyWrites operation.
BLUESKY_POINTS = {"create": 3, "update": 2, "delete": 1}
#: Mastodon: 400 follows per account per day, the day aligned to the epoch (UTC midnight).
MASTODON_FOLLOW_WINDOWS = (Window(400, 86_400, aligned=True),)
#: Mastodon: 300 requests per 5 minutes per token.
MASTODON_REQUEST_WINDOWS = (Window(300, 300, aligned=True),)


class Ledger(Protocol):
    """Where spending is remembered: ``MemoryLedger`` here, the workspace for real runs.

    A spend may carry a ``tag`` naming what it paid for, so that it can be cancelled later
    (``cancel``) once that request is known never to have reached the server."""

    def spends(self, key: str, since: float) -> list[tuple[float, int]]: ...

    def record(self, key: str, at: float, points: int, tag: str | None = None) -> None: ...

    def cancel(self, key: str, tags: Sequence[str]) -> int: ...


@dataclass
class MemoryLedger:
    entries: dict[str, list[tuple[float, int, str | None]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def spends(self, key: str, since: float) -> list[tuple[float, int]]:
        with self._lock:
            return [(at, p) for at, p, _ in self.entries.get(key, []) if at >= since]

    def record(self, key: str, at: float, points: int, tag: str | None = None) -> None:
        with self._lock:
            self.entries.setdefault(key, []).append((at, points, tag))

    def cancel(self, key: str, tags: Sequence[str]) -> int:
        wanted = set(tags)
        with self._lock:
            kept = [e for e in self.entries.get(key, []) if e[2] is None or e[2] not in wanted]
            freed = sum(e[1] for e in self.entries.get(key, [])) - sum(e[1] for e in kept)
            self.entries[key] = kept
        return freed


class Budget:
    """Points that may be spent under several windows at once, with a safety margin.

    ``margin`` is the fraction of each window kept in reserve (0.1: spend at most 90%).
    """

    def __init__(
        self,
        key: str,
        windows: Iterable[Window],
        ledger: Ledger | None = None,
        *,
        network: str,
        margin: float = 0.0,
        clock: Callable[[], float] = time.time,
    ):
        self.key = key
        self.windows = tuple(windows)
        self.ledger = ledger if ledger is not None else MemoryLedger()
        self.network = network
        self.margin = margin
        self.clock = clock

    def _cap(self, window: Window) -> int:
        return int(window.limit * (1 - self.margin))

    def _start(self, window: Window, now: float) -> float:
        return (now // window.seconds) * window.seconds if window.aligned else now - window.seconds

    def available(self) -> int:
        """Points spendable right now under every window."""
        now = self.clock()
        free = []
        for window in self.windows:
            used = sum(p for _, p in self.ledger.spends(self.key, self._start(window, now)))
            free.append(max(self._cap(window) - used, 0))
        return min(free) if free else 0

    def available_at(self, points: int) -> float:
        """The earliest time (epoch seconds) at which ``points`` can be spent."""
        now = self.clock()
        when = now
        for window in self.windows:
            cap = self._cap(window)
            if points > cap:
                raise ValueError(f"{points} points never fit in a window of {cap}")
            start = self._start(window, now)
            spends = sorted(self.ledger.spends(self.key, start))
            used = sum(p for _, p in spends)
            if used + points <= cap:
                continue
            if window.aligned:
                when = max(when, start + window.seconds)
                continue
            for at, p in spends:  # rolling: wait until enough old spends leave the window
                used -= p
                if used + points <= cap:
                    when = max(when, at + window.seconds)
                    break
        return when

    def spend(self, points: int, tag: str | None = None) -> None:
        self.ledger.record(self.key, self.clock(), points, tag)

    def refund(self, points: int) -> None:
        """Give back points spent on a request the server refused (it did not count them)."""
        self.ledger.record(self.key, self.clock(), -points)

    def cancel(self, tags: Sequence[str]) -> int:
        """Cancel the spends tagged ``tags`` (requests found never to have reached the server:
        a run killed between spending and sending, a call refused before counting), at the
        time they were made, so no window is credited twice. Returns the points freed."""
        return self.ledger.cancel(self.key, list(tags)) if tags else 0

    def take(
        self,
        points: int,
        *,
        wait: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        tag: str | None = None,
    ) -> None:
        """Spend ``points`` now; if the budget lacks them, wait (``wait=True``) or raise
        ``RateLimitedError`` saying when the next window opens."""
        at = self.available_at(points)
        delay = at - self.clock()
        if delay > 0:
            if not wait:
                raise RateLimitedError(
                    "network.budget_spent", network=self.network, retry_at=_as_datetime(at)
                )
            announced_wait(self.network, delay, "budget", sleep, self.clock)
        self.spend(points, tag)


def bluesky_write_budget(
    did: str,
    ledger: Ledger | None = None,
    *,
    margin: float = 0.1,
    clock: Callable[[], float] = time.time,
) -> Budget:
    """The PDS write budget of one account (10% kept in reserve by default)."""
    return Budget(
        f"bluesky:{did}:writes",
        BLUESKY_WRITE_WINDOWS,
        ledger,
        network="bluesky",
        margin=margin,
        clock=clock,
    )


def mastodon_follow_budget(
    account: str,
    ledger: Ledger | None = None,
    *,
    margin: float = 0.0,
    clock: Callable[[], float] = time.time,
) -> Budget:
    """400 follows per account per UTC day."""
    return Budget(
        f"mastodon:{account}:follows",
        MASTODON_FOLLOW_WINDOWS,
        ledger,
        network="mastodon",
        margin=margin,
        clock=clock,
    )


def mastodon_request_budget(
    account: str,
    ledger: Ledger | None = None,
    *,
    margin: float = 0.0,
    clock: Callable[[], float] = time.time,
) -> Budget:
    """300 requests per 5 minutes per token."""
    return Budget(
        f"mastodon:{account}:requests",
        MASTODON_REQUEST_WINDOWS,
        ledger,
        network="mastodon",
        margin=margin,
        clock=clock,
    )
