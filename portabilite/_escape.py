"""Text from archives and servers is hostile until escaped: this is where it is made safe for
the place it goes to.

``for_terminal``: control characters (an escape sequence can clear the screen, move the cursor,
rewrite what the person reads or set the window title) and bidirectional overrides (which can
make ``evil.example`` read as something else) are shown as visible ``\\xNN`` / ``\\u{NNNN}``
codes; everything else, emoji and accents included, is kept.
"""
from __future__ import annotations

import unicodedata

__all__ = ["for_terminal"]

_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _visible(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{{{code:04x}}}"


def for_terminal(text: object) -> str:
    out = []
    for c in str(text):
        if unicodedata.category(c) == "Cc" or ord(c) in _BIDI:
            out.append(_visible(c))
        else:
            out.append(c)
    return "".join(out)
