"""Waits a person should see: a rate limit, a spent budget, the daily cap, the pace between
writes. Library code calls ``wait(network, seconds, why, sleep)`` instead of sleeping
silently; a program that shows progress (the command line does) installs a ``WaitObserver``
with ``observed()`` and says what is being waited for and when it ends. Without one, waiting
is just sleeping.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from typing import Callable, Iterator, Protocol

__all__ = ["WHYS", "WaitObserver", "observed", "wait"]

#: why portabilite waits: the rate limit a server announced, our share of a write budget,
#: the daily cap, the pause between bulk writes, a retry after a failure, the next post due
WHYS = ("rate_limit", "budget", "daily_cap", "pace", "retry", "next_post")


class WaitObserver(Protocol):
    def begin(self, network: str, seconds: float, why: str, until: float) -> None:
        """A wait of ``seconds`` starts, until ``until`` (a Unix time)."""

    def end(self) -> None:
        """That wait is over."""


_observer: contextvars.ContextVar[WaitObserver | None] = contextvars.ContextVar(
    "portabilite_wait_observer", default=None
)


@contextlib.contextmanager
def observed(observer: WaitObserver) -> Iterator[None]:
    """Show every wait of the block to ``observer``."""
    token = _observer.set(observer)
    try:
        yield
    finally:
        _observer.reset(token)


def wait(
    network: str,
    seconds: float,
    why: str,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> None:
    """Sleep ``seconds`` for ``why``, shown to the observer if there is one."""
    if seconds <= 0:
        return
    observer = _observer.get()
    if observer is None:
        sleep(seconds)
        return
    observer.begin(network, seconds, why, clock() + seconds)
    try:
        sleep(seconds)
    finally:
        observer.end()
