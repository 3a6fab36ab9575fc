"""Every sentence a person reads, in French and English, the gettext way.

The English texts are declared by key in ``portabilite._catalog``; the French is the gettext
catalogue ``portabilite/locale/fr/LC_MESSAGES/portabilite.po``, compiled to ``.mo`` when the
package is built (``docs/translating.md``). Each key is the message's gettext context, and a
message that counts something has plural forms (``ngettext``). The language is, in order:
``set_language()`` (the ``--lang`` option), the ``PORTABILITE_LANG`` environment variable, then the
locale variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): French when they start with ``fr``,
English otherwise.

Numbers given to a message are written the language's way (``1,000,000`` / ``1 000 000``).
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
from pathlib import Path
from typing import Iterator

from ._catalog import MESSAGES

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "format_duration",
    "format_money",
    "format_number",
    "format_size",
    "service_name",
    "get_language",
    "language",
    "set_language",
    "t",
    "template",
    "translations",
]

LANGUAGES = ("en", "fr")
DOMAIN = "portabilite"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# numbers that name something rather than count it are written as they are
_NOT_COUNTS = frozenset(
    {"id", "x_id", "status", "version", "archive_id", "workspace_id", "year", "port", "code"}
    # order numbers: "ligne 12345", "[1001/1200]" (French groups amounts, not ranks)
    | {"line", "row", "column", "index", "n", "last"}
)

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


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English is the source: no catalogue)."""
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    except FileNotFoundError:
        # an install whose catalogues were never compiled: say so once, in one line, and go
        # on in English rather than not at all (tests/test_i18n.py holds that they are built)
        import sys

        sys.stderr.write(
            f"portabilite: the {lang} messages are not installed ({LOCALE_DIR}): English "
            "is used. Reinstall portabilite to have them.\n"
        )
        return gettext.NullTranslations()


def template(key: str, lang: str | None = None, n: int = 1) -> str:
    """The text of message ``key`` in ``lang``, unformatted (its form for count ``n``)."""
    entry = MESSAGES[key]
    catalogue = translations(lang or get_language())
    if entry.plural is None:
        return catalogue.pgettext(key, entry.text)
    return catalogue.npgettext(key, entry.text, entry.plural, n)


def format_number(value: int | float, lang: str | None = None, digits: int | None = None) -> str:
    """``value`` written the language's way: ``1,234,567.5`` in English, ``1 234 567,5`` in
    French (CLDR's separators, through Babel)."""
    from babel.numbers import format_decimal

    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=lang or get_language())


def format_money(
    amount: object, currency: str = "USD", lang: str | None = None, *, exact: bool = False
) -> str:
    """An amount of money the language's way: ``$0.12`` / ``0,12 $US`` (``exact`` keeps every
    digit given, for a price per unit such as ``$0.005``)."""
    from decimal import Decimal

    from babel.numbers import format_currency

    return format_currency(
        Decimal(str(amount)),
        currency,
        locale=lang or get_language(),
        decimal_quantization=not exact,
    )


def format_size(size: int, lang: str | None = None) -> str:
    """A number of bytes in the language's units: ``12.5 MB`` / ``12,5 Mo``."""
    french = (lang or get_language()) == "fr"
    units = ("octets", "ko", "Mo", "Go", "To") if french else ("bytes", "kB", "MB", "GB", "TB")
    value, unit = float(size), 0
    while value >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    number = format_number(round(value, 1) if unit else int(value), lang)
    space = "\u00a0" if french else " "  # French keeps the number and its unit together
    return f"{number}{space}{units[unit]}"


SERVICES = {"bluesky": "Bluesky", "mastodon": "Mastodon", "x": "X"}


def service_name(network: str) -> str:
    """A network as people name it (``bluesky`` is the code, Bluesky the name)."""
    return SERVICES.get(network, network)


def format_duration(minutes: int | float, lang: str | None = None) -> str:
    """A length of time in words: ``under a minute``, ``25 minutes``, ``1 h 20 min``,
    ``3 days`` (in days once it is more than one: the daily caps set the pace then)."""
    import math

    if minutes < 1:
        return t("duration.under_a_minute", lang)
    whole = math.ceil(minutes)
    if whole < 60:
        return t("duration.minutes", lang, count=whole)
    if whole < 24 * 60:
        return t("duration.hours_minutes", lang, hours=whole // 60, minutes=whole % 60)
    return t("duration.days", lang, count=math.ceil(whole / (24 * 60)))


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Render message ``key`` with ``params`` in ``lang`` (default: the current language)."""
    from ._escape import for_terminal
    from ._reasons import Reason

    lang = lang or get_language()
    entry = MESSAGES[key]
    n = params.get(entry.n, 1) if entry.n else 1
    text = template(key, lang, n if isinstance(n, int) else 1)
    safe: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, Reason):
            safe[name] = value.render(lang)  # a part of the sentence, in its language
        elif isinstance(value, str):
            # the values come from archives and servers too: no control sequence rides in
            safe[name] = for_terminal(value, inline=False)
        elif isinstance(value, int) and name.endswith("_bytes"):
            safe[name] = format_size(value, lang)
        elif isinstance(value, int) and not isinstance(value, bool) and name not in _NOT_COUNTS:
            safe[name] = format_number(value, lang)
        else:
            safe[name] = value
    return text.format(**safe)
