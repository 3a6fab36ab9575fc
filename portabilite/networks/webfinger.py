"""WebFinger: ``webfinger()`` resolves ``user@host`` to its canonical address and ActivityPub
actor over an ``httpx.AsyncClient``, following ``host-meta`` when the handle's domain delegates
WebFinger to another (web) domain. Every host it contacts goes through ``HostGuard`` first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

import httpx
import orjson

from ..errors import UnreachableError
from ._addresses import parse_address
from ._hosts import HostGuard
from ._web import guarded_get

__all__ = ["WEBFINGER_TIMEOUT", "WebFingerResult", "webfinger"]

#: the network errors name: look-ups are Mastodon's (messages ``mastodon.webfinger_*``)
NETWORK = "mastodon"
#: Seconds one WebFinger or host-meta request may take.
WEBFINGER_TIMEOUT = 10.0


@dataclass(frozen=True)
class WebFingerResult:
    subject: str  # the canonical address, user@host
    actor_url: str | None  # rel="self", type application/activity+json
    profile_url: str | None  # rel="http://webfinger.net/rel/profile-page"
    aliases: tuple[str, ...] = ()


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
