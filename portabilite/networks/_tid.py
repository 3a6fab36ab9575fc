"""Timestamp identifiers (TIDs): the record keys Bluesky expects, chosen by the client.

A TID is 64 bits (top bit 0, 53 bits of microseconds since the epoch, 10 bits of clock id)
written in base32-sortable as 13 characters. Choosing record keys ourselves makes writes
idempotent: a batch whose answer was lost is found again by its keys instead of being
written twice.
"""

from __future__ import annotations

import random
import threading
import time

__all__ = ["make_tid", "TidClock", "is_tid"]

_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def make_tid(micros: int, clock_id: int = 0) -> str:
    if not 0 <= micros < 2**53 or not 0 <= clock_id < 1024:
        raise ValueError("micros must fit 53 bits and clock_id 10 bits")
    value = (micros << 10) | clock_id
    chars = []
    for _ in range(13):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_tid(value: str) -> bool:
    return len(value) == 13 and all(c in _ALPHABET for c in value) and value[0] in _ALPHABET[:16]


class TidClock:
    """Strictly increasing TIDs, even when asked faster than the clock ticks."""

    def __init__(self, clock_id: int | None = None) -> None:
        self.clock_id = random.randrange(1024) if clock_id is None else clock_id
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            now = time.time_ns() // 1000
            self._last = max(now, self._last + 1)
            return make_tid(self._last, self.clock_id)
