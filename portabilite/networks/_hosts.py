"""Which hosts portabilite will contact.

Hosts come from other people's bios and profiles (a Mastodon address, a personal domain). A
host that is an IP literal, ``localhost``, or resolves to a private, loopback, link-local,
multicast or reserved address is never contacted unless the user configured it explicitly
(an option or environment variable naming that endpoint): tests and self-hosters do so.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

from ..errors import BlockedHostError

__all__ = ["HostGuard"]

Resolver = Callable[[str], Iterable[str]]


def _resolve(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return [str(info[4][0]) for info in infos]


def _is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


class HostGuard:
    """``check(url)`` raises ``BlockedHostError`` for a host we must not contact."""

    def __init__(
        self,
        allowed: Iterable[str] = (),
        *,
        network: str = "mastodon",
        resolver: Resolver | None = _resolve,
    ) -> None:
        self.allowed = {self._host_of(a) for a in allowed if a}
        self.network = network
        self.resolver = resolver

    @staticmethod
    def _host_of(value: str) -> str:
        value = value.strip()
        if "://" in value:
            return (urlsplit(value).hostname or "").lower().rstrip(".")
        return value.split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")

    def allow(self, value: str) -> None:
        """Explicitly configured by the user: always allowed."""
        self.allowed.add(self._host_of(value))

    def check(self, url: str) -> str:
        """The URL's host, if we may contact it."""
        host = self._host_of(url)
        self._addresses(host)
        return host

    def addresses(self, host: str) -> list[str] | None:
        """The checked addresses to connect to for ``host`` (resolved once, here: connecting
        to them, not to a second resolution, is what defeats DNS rebinding); None for a host
        the user configured, which is connected to as it is. Raises ``BlockedHostError``."""
        return self._addresses(self._host_of(host))

    def _addresses(self, host: str) -> list[str] | None:
        if host in self.allowed:
            return None
        reason = None
        addresses: list[str] = []
        if not host or "." not in host and not host.startswith("["):
            reason = "not a public domain name"
        elif (
            host == "localhost"
            or host.endswith(".localhost")
            or host.endswith(".local")
            or host.endswith(".internal")
        ):
            reason = "a local name"
        else:
            literal = host.strip("[]")
            try:
                ipaddress.ip_address(literal)
                reason = "an IP address"
            except ValueError:
                pass
        if reason is None and self.resolver is not None:
            addresses = list(self.resolver(host))
            bad = [a for a in addresses if not _is_public(a)]
            if not addresses:
                reason = "does not resolve"  # fail closed: no address, no way to check it
            elif bad:
                reason = f"resolves to a private address ({bad[0]})"
        if reason is not None:
            raise BlockedHostError(
                "network.blocked_host", network=self.network, host=host, reason=reason
            )
        return addresses or None
