"""The matcher's Bluesky look-ups: profiles (25 per request, a few requests at a time) and name
searches, under one read pace for the whole run, each answer cached in the workspace with its
date so a re-run asks only what it never asked (``refresh`` asks again, once per run).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable

from ..errors import PortabiliteError, RateLimitedError, UnreachableError
from ..workspace import Workspace
from ._cache import CachedLookups

__all__ = ["BlueskyReader", "profile_view", "LOOKUP_THREADS", "READS_PER_5_MINUTES", "SEARCH_LIMIT"]

#: concurrent AppView calls, and the read pace kept under the AppView's limit (3,000 requests
#: per 5 minutes per address: we stay at 2,500, searches and profiles together)
LOOKUP_THREADS = 4
READS_PER_5_MINUTES = 2_500
#: results read per name search: a person's own account, when it is there, is in the first few
SEARCH_LIMIT = 10


def profile_view(profile: Any) -> dict[str, Any]:
    """A Bluesky profile as the cache keeps it (JSON)."""
    return {
        "did": profile.did,
        "handle": profile.handle,
        "display_name": profile.display_name,
        "description": profile.description,
        "labels": list(profile.labels),
    }


class BlueskyReader:
    """One match run's Bluesky reads. ``client`` None: the cache only (offline)."""

    def __init__(self, ws: Workspace, client: Any | None, *, refresh: bool = False) -> None:
        from ..networks import Budget, Window

        self.client: Any = client  # None offline: then only the caches are read
        self.refresh = refresh
        self.profiles_cache = CachedLookups(ws, "bluesky:profile")
        self.search_cache = CachedLookups(ws, "bluesky:search")
        self.asked: set[str] = set()  # keys asked during this run (refresh asks once)
        self.requests = 0
        self.pace = Budget(
            "bluesky:appview:reads", [Window(READS_PER_5_MINUTES, 300)], network="bluesky"
        )

    def _take(self) -> None:
        self.pace.take(1, wait=True, sleep=self.client.sleep)
        self.requests += 1

    def _cached(self, cache: CachedLookups, keys: list[str]) -> dict[str, Any]:
        if self.refresh:
            keys = [k for k in keys if k in self.asked]
        return cache.get_many(keys)

    def profiles(
        self, actors: Iterable[str], progress: Callable[[int, int], None] | None = None
    ) -> dict[str, Any]:
        """Profiles of ``actors`` (handles or DIDs), ``None`` for those that do not exist."""
        from ..networks.bluesky import PROFILES_PER_CALL

        actors = list(dict.fromkeys(actors))
        known = self._cached(self.profiles_cache, actors)
        missing = [a for a in actors if a not in known]
        if self.client is None or not missing:
            return known

        def fetch(batch: list[str]) -> list[Any]:
            self._take()
            return list(self.client.get_profiles(batch))

        done = 0
        group = PROFILES_PER_CALL * LOOKUP_THREADS * 4
        with ThreadPoolExecutor(max_workers=LOOKUP_THREADS) as pool:
            for start in range(0, len(missing), group):
                chunk = missing[start : start + group]
                batches = [
                    chunk[i : i + PROFILES_PER_CALL]
                    for i in range(0, len(chunk), PROFILES_PER_CALL)
                ]
                fetched: dict[str, Any] = {a: None for a in chunk}
                for profiles in pool.map(fetch, batches):
                    for profile in profiles:
                        view = profile_view(profile)
                        for key in (profile.did, profile.handle.lower()):
                            if key in fetched:
                                fetched[key] = view
                self.profiles_cache.put_many(fetched)  # after every group: a crash loses little
                self.asked.update(fetched)
                known.update(fetched)
                done += len(chunk)
                if progress is not None:
                    progress(done, len(missing))
        return known

    def search(self, queries: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """``searchActors`` answers (the first ``SEARCH_LIMIT`` accounts) for each query."""
        queries = list(dict.fromkeys(q for q in queries if q.strip()))
        known = {k: v or [] for k, v in self._cached(self.search_cache, queries).items()}
        missing = [q for q in queries if q not in known]
        if self.client is None or not missing:
            return known

        stop = threading.Event()

        def fetch(query: str) -> tuple[str, list[dict[str, Any]] | None]:
            if stop.is_set():
                return query, None
            self._take()
            try:
                found = self.client.search_actors(query, limit=SEARCH_LIMIT)
            except (UnreachableError, RateLimitedError):
                stop.set()  # the AppView is down or wants a pause: the rest another day
                return query, None
            except PortabiliteError:
                return query, None  # this query refused: not cached, asked again next run
            return query, [profile_view(p) for p in found]

        with ThreadPoolExecutor(max_workers=LOOKUP_THREADS) as pool:
            for start in range(0, len(missing), 100):
                answers = {
                    q: v for q, v in pool.map(fetch, missing[start : start + 100]) if v is not None
                }
                self.search_cache.put_many(answers)
                self.asked.update(answers)
                known.update(answers)
                if stop.is_set():
                    break
        return known
