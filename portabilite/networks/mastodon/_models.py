"""The Mastodon client's results: small frozen dataclasses (accounts, relationships, lists,
statuses, the app registration...), the readers of raw values they use, and the constants shared
by the client's modules (``NETWORK``, ``SCOPES``, ``OOB_REDIRECT``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Union

from ...secrets import Secret
from .._ratelimit import parse_reset

NETWORK = "mastodon"
#: What portabilite asks for when it registers itself on an instance (space-joined on the wire).
#: ``write:accounts`` is needed to pin the redirect post and to add the "formerly on X" profile
#: field (Mastodon checks it for both); nothing else in it is used.
SCOPES: tuple[str, ...] = (
    "read",
    "write:follows",
    "write:blocks",
    "write:mutes",
    "write:lists",
    "write:statuses",
    "write:accounts",
)
#: Out-of-band redirect: the instance shows the code, the person pastes it.
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"


@dataclass(frozen=True)
class MastodonAccount:
    """An account as the instance knows it. ``id`` is the LOCAL id on that instance."""

    id: str
    acct: str  # user@host, normalized
    username: str
    display_name: str = ""
    url: str | None = None  # profile page
    uri: str | None = None  # ActivityPub actor id
    locked: bool = False
    bot: bool = False
    suspended: bool = False
    moved_to: str | None = None  # user@host of the account it moved to
    fields: tuple[tuple[str, str], ...] = ()  # profile fields (name, value as HTML)
    note: str = ""  # the profile's description, as HTML


@dataclass(frozen=True)
class Relationship:
    """How the logged-in account stands with account ``id``."""

    id: str
    following: bool = False
    requested: bool = False  # a follow request waits for approval (locked account)
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    domain_blocking: bool = False


@dataclass(frozen=True)
class InstanceInfo:
    domain: str  # the domain in handles (LOCAL_DOMAIN), e.g. "mastodon.social"
    title: str
    version: str
    max_characters: int  # of a status
    max_profile_fields: int | None = None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class MastodonList:
    id: str
    title: str
    replies_policy: str = "list"
    exclusive: bool = False


@dataclass(frozen=True)
class PostedStatus:
    id: str
    url: str | None
    uri: str | None
    visibility: str
    language: str | None
    created_at: datetime | None
    pinned: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ScheduledPost:
    id: str
    scheduled_at: datetime | None
    text: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class RateLimitInfo:
    """What the last response said about the per-token request window."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None  # when the window reopens (X-RateLimit-Reset, ISO 8601)

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], now: float) -> RateLimitInfo | None:
        lowered = {k.lower(): str(v) for k, v in headers.items()}
        names = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
        if not any(n in lowered for n in names):
            return None
        reset_at = None
        raw = lowered.get("x-ratelimit-reset")
        if raw is not None:
            moment = parse_reset(raw, 0.0)  # an instant: epoch seconds; a small number: a delay
            if moment is not None:
                if moment < 1_000_000_000:
                    moment += now
                reset_at = datetime.fromtimestamp(moment, timezone.utc)
        return cls(
            _int(lowered.get("x-ratelimit-limit")),
            _int(lowered.get("x-ratelimit-remaining")),
            reset_at,
        )


@dataclass(frozen=True)
class AppRegistration:
    """portabilite registered as an app on one instance (``POST /api/v1/apps``)."""

    instance_url: str
    client_id: str
    client_secret: Secret
    scopes: tuple[str, ...] = SCOPES
    redirect_uri: str = OOB_REDIRECT

    def to_record(self) -> dict[str, Any]:
        """For ``CredentialStore`` (``client_secret`` is one of its secret fields)."""
        return {
            "instance_url": self.instance_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret.reveal(),
            "scopes": " ".join(self.scopes),
            "redirect_uri": self.redirect_uri,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AppRegistration:
        return cls(
            str(record["instance_url"]),
            str(record["client_id"]),
            Secret(str(record["client_secret"])),
            tuple(str(record.get("scopes") or " ".join(SCOPES)).split()),
            str(record.get("redirect_uri") or OOB_REDIRECT),
        )


def _int(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def _opt_str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


AccountRef = Union[str, MastodonAccount]
