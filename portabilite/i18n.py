"""Every sentence a person reads, in French and English.

Messages live in one catalogue (``_catalog.MESSAGES``) keyed by a stable id; each entry has the
same ``{placeholders}`` in both languages (a test holds that). The language is, in order:
``set_language()``, the ``PORTABILITE_LANG`` environment variable, then the locale variables
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``): French when they start with ``fr``, English otherwise.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator

from ._catalog import MESSAGES

__all__ = ["LANGUAGES", "get_language", "language", "set_language", "t"]

LANGUAGES = ("en", "fr")

_forced: str | None = None


def _from_environment() -> str:
    wanted = os.environ.get("PORTABILITE_LANG", "").strip().lower()
    if wanted[:2] in LANGUAGES:
        return wanted[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def get_language() -> str:
    """The language messages are rendered in now: ``"en"`` or ``"fr"``."""
    return _forced or _from_environment()


def forced_language() -> str | None:
    """The language ``set_language`` forced, or None (the environment decides)."""
    return _forced


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[None]:
    """``set_language(lang)`` for the duration of a block (one command), then what it was."""
    global _forced
    before = _forced
    set_language(lang)
    try:
        yield
    finally:
        _forced = before


def set_language(lang: str | None) -> None:
    """Force a language for this process (``None`` returns to the environment's choice)."""
    global _forced
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _forced = lang


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Render message ``key`` with ``params`` in ``lang`` (default: the current language)."""
    from ._escape import for_terminal

    entry = MESSAGES[key]
    # the values come from archives and servers too: no control sequence rides into a sentence
    safe = {
        k: for_terminal(v, inline=False) if isinstance(v, str) else v for k, v in params.items()
    }
    return entry[lang or get_language()].format(**safe)
