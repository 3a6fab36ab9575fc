"""Every sentence portabilite shows a person, by key. The English texts are declared in the
modules of this package; the other languages are gettext catalogues in ``portabilite/locale``
(``docs/translating.md`` says how to update them)."""

from __future__ import annotations

from . import general, mastodon, posting, x  # noqa: F401  (each declares its messages)
from ._registry import MESSAGES, Message

__all__ = ["MESSAGES", "Message"]
