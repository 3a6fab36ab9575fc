"""Redaction: the registry of secrets seen so far, and ``redact()``, which masks them (and
anything shaped like a token) in a text. Imports nothing of portabilite, so that both
``errors`` and ``secrets`` can use it.
"""

from __future__ import annotations

import re
import threading

__all__ = ["MASK", "register_secret", "redact"]

MASK = "•••"

_known: set[str] = set()
_lock = threading.Lock()

_PATTERNS = [
    # JSON Web Tokens (Bluesky access/refresh JWTs, OAuth tokens)
    (re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), MASK),
    # Authorization header values
    (re.compile(r"\b(Bearer|Basic|DPoP|OAuth)\s+[^\s,;\"']{6,}", re.I), r"\1 " + MASK),
    # query-string / form / header-ish parameters
    (
        re.compile(
            r"\b(access_token|refresh_token|client_secret|password|app_password|"
            r"oauth_token_secret|oauth_token|oauth_signature|code_verifier)"
            r"(=|:\s*)[^&\s\"',;]+",
            re.I,
        ),
        r"\1\2" + MASK,
    ),
    # JSON fields
    (
        re.compile(
            r'"(accessJwt|refreshJwt|password|access_token|refresh_token|client_secret|'
            r'session)"\s*:\s*"[^"]*"'
        ),
        r'"\1": "' + MASK + '"',
    ),
    # Bluesky app passwords: xxxx-xxxx-xxxx-xxxx
    (re.compile(r"\b[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\b"), MASK),
]


def register_secret(value: str | None) -> None:
    """From now on ``redact()`` hides ``value`` wherever it appears."""
    if value and len(value) >= 6:
        with _lock:
            _known.add(value)


#: a secret echoed in part (a server quoting a cut token) or with its case changed is masked
#: from this many characters of its beginning on
_ECHO = 8


def _mask_echoes(text: str, secret: str) -> str:
    """Mask every place where the secret's first ``_ECHO`` characters (or more) appear, in any
    case: the match runs as far as the text goes on following the secret."""
    lowered, wanted = text.lower(), secret.lower()
    head = wanted[:_ECHO]
    out, start = [], 0
    at = lowered.find(head)
    while at != -1:
        end = at + _ECHO
        while end < len(text) and end - at < len(wanted) and lowered[end] == wanted[end - at]:
            end += 1
        out.append(text[start:at] + MASK)
        start = end
        at = lowered.find(head, end)
    out.append(text[start:])
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with every registered secret and token-shaped string masked."""
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
        if len(value) >= _ECHO:
            text = _mask_echoes(text, value)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
