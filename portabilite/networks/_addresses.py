"""Fediverse addresses: ``user@host`` parsed and normalised (``parse_address``,
``normalize_address``), and instance URLs (``normalize_instance_url``). Shared by the Mastodon
client and WebFinger; imports nothing heavy.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["parse_address", "normalize_address", "normalize_instance_url"]

#: what a fediverse username is made of (Mastodon: letters, digits and _; other servers add
#: . and -): nothing else, so a hostile answer cannot smuggle markup or paths through it
_USER_RE = re.compile(r"[A-Za-z0-9_.-]+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}(?::\d{{1,5}})?|\[[0-9a-f:.]+\](?::\d{{1,5}})?")


def _clean_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if not host.isascii():
        try:
            name, sep, port = host.partition(":")
            host = name.encode("idna").decode("ascii") + sep + port
        except UnicodeError:
            return None
    return host if _HOST_RE.fullmatch(host) else None


def parse_address(address: str) -> tuple[str, str] | None:
    """``("alice", "example.social")`` for ``@alice@example.social``, ``acct:alice@...`` or
    ``alice@Example.Social``; None when the text is not such an address."""
    if not isinstance(address, str):
        return None
    text = address.strip()
    if text[:5].lower() == "acct:":
        text = text[5:]
    text = text.lstrip("@")
    if text.count("@") != 1:
        return None
    user, host = text.split("@")
    clean = _clean_host(host)
    if not user or not _USER_RE.fullmatch(user) or clean is None:
        return None
    return user, clean


def normalize_address(address: str, default_host: str | None = None) -> str:
    """``user@host`` with the host in lower case; a bare ``user`` (a local account, as
    Mastodon writes it in ``acct``) takes ``default_host``. ``ValueError`` when unreadable."""
    text = address.strip().lstrip("@") if isinstance(address, str) else ""
    if "@" not in text and default_host and _USER_RE.fullmatch(text or "@"):
        text = f"{text}@{default_host}"
    parsed = parse_address(text)
    if parsed is None:
        raise ValueError(f"not a Mastodon address: {address!r}")
    return f"{parsed[0]}@{parsed[1]}"


def normalize_instance_url(url: str) -> str:
    """``https://host[:port]`` from ``host``, ``https://host/`` or ``http://localhost:3000``."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not an instance address: {url!r}")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path.strip("/"):
        raise ValueError(f"give the instance as https://host only, not {url!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"
