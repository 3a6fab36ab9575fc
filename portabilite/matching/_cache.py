"""Look-ups remembered in the workspace (``lookup_cache``), each with the date it was made.

A key present with ``None`` means "asked, and not found"; a missing key, "never asked".
Failures (a host that did not answer) are not cached: a later run asks again.
"""

from __future__ import annotations

from typing import Any, Iterable

import orjson

from .._time import now_iso
from ..workspace import Workspace

__all__ = ["CachedLookups"]


class CachedLookups:
    """The ``lookup_cache`` rows under one prefix (``bluesky:profile``, ...)."""

    def __init__(self, ws: Workspace, prefix: str) -> None:
        self.ws = ws
        self.prefix = prefix

    def get_many(self, names: Iterable[str]) -> dict[str, Any]:
        keys = [f"{self.prefix}:{n}" for n in names]
        found: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, value in self.ws.conn.execute(
                f"SELECT key, value FROM lookup_cache WHERE key IN ({marks})", chunk
            ):
                found[key[len(self.prefix) + 1 :]] = orjson.loads(value) if value else None
        return found

    def put_many(self, answers: dict[str, Any]) -> None:
        if not answers:
            return
        now = now_iso()
        with self.ws.transaction() as db:
            db.executemany(
                "INSERT INTO lookup_cache (key, value, fetched_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " fetched_at = excluded.fetched_at",
                [
                    (
                        f"{self.prefix}:{name}",
                        orjson.dumps(v).decode() if v is not None else None,
                        now,
                    )
                    for name, v in answers.items()
                ],
            )
