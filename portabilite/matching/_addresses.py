"""Recognising Bluesky handles and Mastodon addresses in what people write.

Normalised forms: Bluesky ``handle.domain`` (lower case) or ``did:plc:...``/``did:web:...``;
Mastodon ``user@host`` (host lower case). An address like ``name@example.com`` looks exactly
like an e-mail: it is only taken for a Mastodon address with fediverse evidence (a leading
``@``, a profile URL, or a WebFinger answer), never on its own.
"""

from __future__ import annotations

import re

__all__ = [
    "normalize_bluesky",
    "normalize_mastodon",
    "bluesky_handle_guesses",
    "find_bluesky",
    "find_mastodon",
    "bridged_mastodon_address",
    "bridged_bluesky_handle",
    "mentions_x_account",
    "find_bare_addresses",
    "html_text",
]

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HANDLE = re.compile(rf"^(?:{_LABEL}\.)+[a-z][a-z0-9-]{{0,62}}$")
_DID = re.compile(r"^did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.:%-]+)$")
_USER = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?"
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_MASTODON_AT = re.compile(rf"(?<![\w@/.])@({_USER})@({_HOST})\b")
_MASTODON_URL = re.compile(rf"https?://({_HOST})/(?:@({_USER})|users/({_USER}))(?![A-Za-z0-9_@])")
_BSKY_URL = re.compile(r"(?:https?://)?(?:www\.)?bsky\.app/profile/([A-Za-z0-9.:-]+)")
_BSKY_HANDLE = re.compile(rf"(?:(?<![\w@./])@?|https?://)((?:{_LABEL}\.)+bsky\.social)\b", re.I)


def normalize_bluesky(value: str) -> str | None:
    """A Bluesky handle or DID, normalised; None when it is neither."""
    text = value.strip()
    m = _BSKY_URL.match(text) if "/" in text else None  # (a directory's millions: no URL)
    if m:
        text = m.group(1)
    text = text.lstrip("@").rstrip(".").lower()
    if _DID.match(text) or (_HANDLE.match(text) and len(text) <= 253):
        return text
    return None


def normalize_mastodon(value: str, *, strict: bool = True) -> str | None:
    """``user@host`` from ``@user@host``, ``https://host/@user`` or ``https://host/users/user``.

    With ``strict``, a bare ``user@host`` (no leading ``@``) is refused: it may be an e-mail.
    """
    text = value.strip()
    m = _MASTODON_URL.match(text)
    if m:
        return f"{m.group(2) or m.group(3)}@{m.group(1).lower()}"
    if text.startswith("acct:"):
        text = "@" + text[5:]
    if not text.startswith("@") and strict:
        return None
    m = re.fullmatch(rf"@?({_USER})@({_HOST})", text)
    return f"{m.group(1)}@{m.group(2).lower()}" if m else None


def bluesky_handle_guesses(
    screen_name: str, domains: tuple[str, ...] = ("bsky.social",)
) -> list[str]:
    """``name.bsky.social`` candidates for an X screen name (``_`` dropped, or turned to ``-``).

    ``domains``: the handle domains to try (a self-hosted or test PDS has its own)."""
    base = screen_name.strip().lstrip("@").lower()
    guesses = []
    for domain in domains:
        for variant in (base, base.replace("_", ""), base.replace("_", "-").strip("-")):
            handle = f"{variant}.{domain}"
            if variant and "_" not in variant and _HANDLE.match(handle) and handle not in guesses:
                guesses.append(handle)
    return guesses


def find_bluesky(text: str) -> list[str]:
    """Bluesky handles and profile links written in a bio, a name or a website."""
    found: list[str] = []
    if not text:
        return found  # most profiles of a large account's followers: nothing to read
    for m in _BSKY_URL.finditer(text):
        handle = normalize_bluesky(m.group(1))
        if handle and handle not in found:
            found.append(handle)
    for m in _BSKY_HANDLE.finditer(text):
        handle = normalize_bluesky(m.group(1))
        if handle and handle not in found:
            found.append(handle)
    return found


def find_mastodon(text: str) -> list[str]:
    """Mastodon addresses written as ``@user@host`` or as profile URLs (never bare e-mails)."""
    found: list[str] = []
    if "@" not in text and "/" not in text:
        return found  # neither form can be there
    for m in _MASTODON_AT.finditer(text):
        address = f"{m.group(1)}@{m.group(2).lower()}"
        if address not in found:
            found.append(address)
    for m in _MASTODON_URL.finditer(text):
        address = f"{m.group(2) or m.group(3)}@{m.group(1).lower()}"
        if address not in found and not m.group(1).lower().endswith("bsky.app"):
            found.append(address)
    return found


def bridged_mastodon_address(bluesky_handle: str) -> str:
    """Where Bridgy Fed shows a Bluesky account on the fediverse."""
    return f"{bluesky_handle.lower()}@bsky.brid.gy"


def bridged_bluesky_handle(mastodon_address: str) -> str:
    """Where Bridgy Fed shows a fediverse account on Bluesky: ``user.instance.ap.brid.gy``."""
    user, host = mastodon_address.split("@", 1)
    user = re.sub(r"[_~]", "-", user.lower())
    return f"{user}.{host.lower()}.ap.brid.gy"


def mentions_x_account(text: str, screen_names: list[str]) -> str | None:
    """The screen name a profile text links back to on X/Twitter, if any.

    Matches ``x.com/name``, ``twitter.com/name`` and ``@name`` next to "X" or "Twitter".
    """
    lowered = text.lower()
    for name in screen_names:
        n = re.escape(name.lower())
        if re.search(rf"(?:^|[^\w])(?:www\.|mobile\.)?(?:twitter|x)\.com/{n}(?![\w])", lowered):
            return name
        if re.search(
            rf"@{n}(?![\w@])[^\n]{{0,24}}\b(?:on |sur )?(?:twitter|x)\b", lowered
        ) or re.search(rf"\b(?:twitter|x)\b[^\n]{{0,16}}@{n}(?![\w@])", lowered):
            return name
    return None


_BARE = re.compile(rf"(?<![\w@/.+-])({_USER})@({_HOST})\b(?!@)")


def find_bare_addresses(text: str) -> list[str]:
    """``user@host`` written without the leading ``@``: a Mastodon address or an e-mail,
    which only WebFinger can tell apart (an ActivityPub actor answers, or nothing does)."""
    found: list[str] = []
    if "@" not in text:
        return found
    taken = set(find_mastodon(text))
    for m in _BARE.finditer(text):
        address = f"{m.group(1)}@{m.group(2).lower()}"
        if address not in taken and address not in found:
            found.append(address)
    return found


_HREF = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """The words of a profile's HTML note or field, with each link's target written out (a
    link's text is often shortened: ``x.com/na…``)."""
    import html as html_module

    text = _HREF.sub(lambda m: f" {m.group(1)} ", html)
    text = _TAG.sub(" ", text.replace("<br", "\n<br").replace("</p>", "\n</p>"))
    return html_module.unescape(text)
