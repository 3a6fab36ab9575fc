"""Counting text the way each network counts it, and Bluesky's rich-text facets.

* X: the weighted length of twitter-text (version 3): a URL counts 23, an emoji sequence 2,
  a code point in the Latin and general-punctuation ranges 1, anything else 2; 280 at most.
* Bluesky: 300 graphemes (user-perceived characters: an emoji family is one).
* Mastodon: the instance's ``max_characters`` (500 by default), URLs counting 23.

Bluesky does not parse links or mentions itself: the post carries *facets*, byte ranges over
the UTF-8 text. Getting them wrong by one accented letter breaks every link after it.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import regex

__all__ = [
    "x_length",
    "bluesky_length",
    "mastodon_length",
    "facets",
    "URL",
    "MENTION",
    "X_LIMIT",
    "BLUESKY_LIMIT",
]

X_LIMIT = 280
BLUESKY_LIMIT = 300
URL_WEIGHT = 23

URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]}»]")
MENTION = re.compile(
    r"(?<![\w@])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z][a-zA-Z0-9-]{0,62})(?![\w@])"
)
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def _without_urls(text: str) -> tuple[str, int]:
    count = len(URL.findall(text))
    return URL.sub("", text), count


def x_length(text: str) -> int:
    """twitter-text's weighted length (URLs 23, emoji 2, Latin 1, others 2)."""
    rest, urls = _without_urls(text)
    total = urls * URL_WEIGHT
    for cluster in regex.findall(r"\X", rest):
        if _EMOJI.search(cluster):
            total += 2
            continue
        for char in cluster:
            point = ord(char)
            total += 1 if any(lo <= point <= hi for lo, hi in _LIGHT) else 2
    return total


def bluesky_length(text: str) -> int:
    """Graphemes, as Bluesky counts them."""
    return len(regex.findall(r"\X", text))


def mastodon_length(text: str) -> int:
    """Characters as Mastodon counts them: every URL 23, remote mentions by their username."""
    rest, urls = _without_urls(text)
    rest = re.sub(r"@(\w+)@[\w.-]+", r"@\1", rest)
    return len(rest) + urls * URL_WEIGHT


def facets(text: str, resolve: Callable[[str], str | None] | None = None) -> list[dict]:
    """Bluesky facets for the links and ``@handle.domain`` mentions of ``text``: byte offsets
    over UTF-8. ``resolve(handle) -> DID`` names mentions; an unresolvable one stays text."""
    encoded_upto = lambda index: len(text[:index].encode("utf-8"))  # noqa: E731
    result: list[dict[str, Any]] = []
    for m in URL.finditer(text):
        result.append(
            {
                "index": {"byteStart": encoded_upto(m.start()), "byteEnd": encoded_upto(m.end())},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": m.group(0)}],
            }
        )
    if resolve is not None:
        for m in MENTION.finditer(text):
            if any(
                f["index"]["byteStart"] <= encoded_upto(m.start()) < f["index"]["byteEnd"]
                for f in result
            ):
                continue  # inside a link
            did = resolve(m.group(1).lower())
            if did:
                result.append(
                    {
                        "index": {
                            "byteStart": encoded_upto(m.start()),
                            "byteEnd": encoded_upto(m.end()),
                        },
                        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                    }
                )
    return sorted(result, key=lambda f: f["index"]["byteStart"])
