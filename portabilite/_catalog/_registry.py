"""The message registry: each sentence a person reads, by a stable key, with its English text.

``message(key, text)`` and ``plural(key, singular, plural, n=...)`` are the calls ``pybabel
extract`` looks for (keywords ``message:1c,2`` and ``plural:1c,2,3`` in ``babel.cfg``): the key
becomes the gettext context, so two keys with the same English stay two translations.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["MESSAGES", "Message", "message", "plural"]


class Message(NamedTuple):
    """The English source of one message."""

    text: str
    """The text, or its singular form."""
    plural: str | None = None
    """The plural form, for a message that counts something."""
    n: str | None = None
    """The placeholder whose number chooses the form (``ngettext``'s ``n``)."""


MESSAGES: dict[str, Message] = {}


def message(key: str, text: str) -> None:
    """Declare message ``key``."""
    _declare(key, Message(text))


def plural(key: str, singular: str, plural: str, *, n: str) -> None:
    """Declare message ``key`` whose form follows the number in placeholder ``n``."""
    if "{" + n + "}" not in singular + plural and "{" + n + ":" not in singular + plural:
        raise ValueError(f"{key}: the count {n!r} is not a placeholder of its texts")
    _declare(key, Message(singular, plural, n))


def _declare(key: str, entry: Message) -> None:
    if key in MESSAGES:
        raise ValueError(f"message {key!r} is declared twice")
    MESSAGES[key] = entry
