"""What an X archive tells us, as plain values. Every X id is a ``str`` (they exceed 2**53)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..i18n import t


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    display_name: str | None
    created_at: str | None  # ISO 8601, UTC


@dataclass(frozen=True)
class Profile:
    bio: str | None
    website: str | None
    location: str | None


@dataclass(frozen=True)
class ScreenNameChange:
    changed_at: str | None
    changed_from: str | None
    changed_to: str | None


@dataclass(frozen=True)
class XList:
    kind: str  # "created" | "member" | "subscribed"
    url: str
    owner: str | None  # the owner's screen name, read from the URL
    slug: str | None


@dataclass
class HandleHint:
    """What the archive says about an X account known only by its id."""

    x_id: str
    screen_name: str
    display_name: str | None
    last_seen: str | None  # ISO 8601 of the newest tweet naming it
    source: str  # "<file>#<tweet id>"
    names: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    # every screen name seen for this id: lower-case -> (as written, first seen, last seen)


@dataclass(frozen=True)
class Warning:
    """Something the user should know about the archive; rendered in either language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return t(self.code, lang, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message(), **self.params}


def to_dict(value: Any) -> dict[str, Any]:
    return asdict(value)
