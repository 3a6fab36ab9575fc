"""One guarded GET for documents other people's profiles point to (WebFinger, host-meta,
personal websites): https only, every host (redirects included) passed through the host guard
before it is contacted, a few redirects followed by hand, the body capped.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

import httpx

from ._hosts import HostGuard

__all__ = ["guarded_get", "MAX_REDIRECTS"]

MAX_REDIRECTS = 3


async def guarded_get(
    client: httpx.AsyncClient,
    url: str,
    *,
    guard: HostGuard,
    accept: str,
    timeout: float,
    max_body: int,
) -> tuple[int, bytes | None] | None:
    """``(status, body)`` of a GET (body None unless a 200 within ``max_body`` bytes); None when
    it cannot be followed (not https, too many redirects). Raises ``BlockedHostError`` for a
    host the guard refuses, and httpx's ``TimeoutException`` / ``TransportError`` as they are."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            return None
        await asyncio.to_thread(guard.check, url)
        async with client.stream(
            "GET", url, headers={"Accept": accept}, timeout=timeout, follow_redirects=False
        ) as response:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("location", ""))
                continue
            if response.status_code != 200:
                return response.status_code, None
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > max_body:
                    return 200, None  # far too big for what we read
            return 200, bytes(body)
    return None
