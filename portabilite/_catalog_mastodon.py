"""Messages of the mastodon client, merged into the catalogue (same rules: en + fr, same placeholders)."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
