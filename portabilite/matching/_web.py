"""Personal websites named in X profiles: the ``rel="me"`` links they carry (to Mastodon or
Bluesky profiles) and the domain's ``/.well-known/atproto-did`` (a domain that names a DID
proves that DID is the domain owner's, whatever handle the account shows).

Only a domain of the person's own is read (a page on a shared site, or a platform, proves
nothing about its root). Each site is read once (its page and the DID file, through the host
guard, at most 512 KiB and 16 s each, a few sites at a time, one at a time per host) and cached
with its date; a site that does not answer is not cached (a later run asks again).
"""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import urljoin, urlsplit

from ..errors import BlockedHostError
from ..networks import HostGuard
from ..workspace import Workspace
from ._cache import CachedLookups

if TYPE_CHECKING:  # httpx is imported when a look-up runs, not with the package
    import httpx

__all__ = ["site_key", "read_sites", "rel_me_links"]

MAX_PAGE = 512 * 1024
CONCURRENCY = 8
_DID = re.compile(r"^did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.:%-]+)$")


#: sites where many people have a page: a page there is not the person's own domain, and its
#: root (and its DID, and the site's own rel="me" links) belong to the platform
PLATFORMS = (
    "linktr.ee",
    "medium.com",
    "github.com",
    "gitlab.com",
    "youtube.com",
    "youtu.be",
    "instagram.com",
    "facebook.com",
    "linkedin.com",
    "tiktok.com",
    "twitch.tv",
    "substack.com",
    "wordpress.com",
    "blogspot.com",
    "about.me",
    "carrd.co",
    "bsky.app",
    "bsky.social",
    "x.com",
    "twitter.com",
    "t.co",
    "threads.net",
    "google.com",
    "sites.google.com",
    "wikipedia.org",
    "patreon.com",
    "ko-fi.com",
)


def site_key(website: str | None) -> str | None:
    """``https://domain/`` for a personal website as people write it (``domain``,
    ``http://www.domain``...); None for anything that is not a domain of its own: a page on a
    shared site (``medium.com/@alice``, an employer's ``/team/alice``), a platform."""
    if not website:
        return None
    text = website.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or "." not in host or parts.scheme not in ("http", "https"):
        return None
    if parts.path not in ("", "/") or parts.query:
        return None
    bare = host[4:] if host.startswith("www.") else host
    if bare in PLATFORMS or bare.endswith((".bsky.social", ".x.com", ".twitter.com")):
        return None  # (a subdomain of its own, alice.substack.com, is the person's)
    return f"https://{host}/"


class _RelMe(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "link") or len(self.links) >= 50:
            return
        values = dict(attrs)
        rel = (values.get("rel") or "").lower().split()
        href = values.get("href")
        if "me" in rel and href:
            link = urljoin(self.base, href.strip())
            if link.startswith(("https://", "http://")) and link not in self.links:
                self.links.append(link)


def rel_me_links(html: str, base: str) -> list[str]:
    parser = _RelMe(base)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken page gives what was read before the break
        pass
    return parser.links


async def _read_all(
    keys: list[str], guard: HostGuard, client: httpx.AsyncClient, timeout: float
) -> dict[str, Any]:
    import httpx

    from ..networks._web import guarded_get

    gate = asyncio.Semaphore(CONCURRENCY)
    per_host: dict[str, asyncio.Semaphore] = {}
    answers: dict[str, Any] = {}

    async def one(key: str) -> None:
        host = urlsplit(key).hostname or ""
        async with gate, per_host.setdefault(host, asyncio.Semaphore(1)):
            try:  # each read under an overall deadline: a server dripping bytes holds nothing
                page = await asyncio.wait_for(
                    guarded_get(
                        client,
                        key,
                        guard=guard,
                        timeout=timeout,
                        accept="text/html",
                        max_body=MAX_PAGE,
                    ),
                    2 * timeout,
                )
                did = await asyncio.wait_for(
                    guarded_get(
                        client,
                        f"https://{host}/.well-known/atproto-did",
                        guard=guard,
                        timeout=timeout,
                        accept="text/plain",
                        max_body=2048,
                    ),
                    2 * timeout,
                )
            except (BlockedHostError, httpx.HTTPError, asyncio.TimeoutError):
                return  # unknown: asked again another day
            links = []
            if page and page[0] == 200 and page[1]:
                links = rel_me_links(page[1].decode("utf-8", "replace"), key)
            text = did[1].decode("ascii", "replace").strip() if did and did[1] else ""
            answers[key] = {"rel_me": links, "did": text if _DID.match(text) else None}

    await asyncio.gather(*(one(k) for k in keys))
    return answers


def read_sites(
    ws: Workspace,
    websites: Iterable[str],
    *,
    online: bool,
    refresh: bool,
    guard: HostGuard,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 8.0,
) -> dict[str, Any]:
    """``site_key -> {"rel_me": [...], "did": ...}`` for the sites known or read now."""
    cache = CachedLookups(ws, "web:site")
    keys = list(dict.fromkeys(k for k in map(site_key, websites) if k))
    known = {} if refresh else cache.get_many(keys)
    missing = [k for k in keys if k not in known]
    if online and missing:
        import httpx

        from ..networks._connect import guarded_async_transport

        async def run() -> dict[str, Any]:
            pinned = transport if transport is not None else guarded_async_transport(guard)
            async with httpx.AsyncClient(
                transport=pinned, follow_redirects=False, timeout=timeout
            ) as client:
                return await _read_all(missing, guard, client, timeout)

        answers = asyncio.run(run())
        cache.put_many(answers)
        known.update(answers)
    return known
