"""Text from archives and servers is hostile until escaped: this is where it is made safe for
the place it goes to.

``for_terminal``: control characters (an escape sequence can clear the screen, move the cursor,
rewrite what the person reads or set the window title) and bidirectional overrides (which can
make ``evil.example`` read as something else) are shown as visible ``\\xNN`` / ``\\u{NNNN}``
codes; everything else, emoji and accents included, is kept. ``inline`` (a name, a handle: one
line) shows newlines and tabs as codes too; otherwise they are kept (a sentence, a post).
``for_rich``: the same, with Rich's ``[markup]`` made literal. ``for_csv``: a cell a spreadsheet
would take for a formula (``= + - @``, tab, CR first) is prefixed with ``'``. ``for_ics``: RFC
5545 TEXT, no line break left raw.
"""

from __future__ import annotations

import unicodedata

__all__ = ["for_terminal", "for_rich", "for_csv", "for_ics"]

_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _visible(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{{{code:04x}}}"


def for_terminal(text: object, *, inline: bool = True) -> str:
    out = []
    for c in str(text):
        if (unicodedata.category(c) == "Cc" and (inline or c not in "\n\t")) or ord(c) in _BIDI:
            out.append(_visible(c))
        else:
            out.append(c)
    return "".join(out)


def for_rich(text: object) -> str:
    from rich.markup import escape

    return escape(for_terminal(text))


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def for_csv(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def for_ics(text: object) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )
