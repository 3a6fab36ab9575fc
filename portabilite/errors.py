"""The one exception tree: everything portabilite raises on purpose is a ``PortabiliteError``.

Each error carries a message id from the bilingual catalogue and its parameters; ``str(error)``
renders it in the current language, ``error.message(lang)`` in a chosen one. The CLI prints that
one line and exits with ``error.exit_code`` (1: the input or the situation is wrong).

    PortabiliteError
    ├── ArchiveError                 the X archive cannot be used
    │   ├── NotAnArchiveError        not a zip or folder, or not an X export
    │   ├── CorruptArchiveError      truncated or damaged zip, unreadable member
    │   ├── UnsafeArchiveError       zip bomb, or member names escaping the archive
    │   └── ArchiveParseError        a data file is not valid (names the file and line)
    ├── WorkspaceError               the local workspace refuses the operation
    │   ├── AccountMismatchError     the archive belongs to another account
    │   ├── OlderArchiveError        an older archive than the one already imported
    │   ├── NoArchiveImportedError   nothing imported yet
    │   └── WorkspaceVersionError    the workspace was written by a newer portabilite
    ├── CredentialsError             the secret store cannot be read or written
    ├── DirectoryError               a directory file of known mappings cannot be used
    ├── MatchError                   a match id or decision the workspace does not know
    ├── ReportError                  the report cannot be printed (no Chromium for --pdf)
    └── NetworkError                 talking to Bluesky, Mastodon or X went wrong
        ├── NotLoggedInError         no account for that network: run portabilite login
        ├── AuthenticationError      the network refused the password, code or token
        ├── SessionExpiredError      the saved session is gone: log in again
        ├── RateLimitedError         a limit is reached; ``retry_at`` says when it reopens
        ├── UnreachableError         the host did not answer (after retries)
        ├── AccountUnavailableError  the account does not exist, or is suspended/deactivated
        ├── RefusedError             the server said no, and why
        └── BlockedHostError         a host we will not contact (private address, IP literal)

Messages never contain a secret: ``message()`` redacts every registered secret and anything
shaped like a token (see ``portabilite._redact``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._redact import redact
from .i18n import service_name, t

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "PortabiliteError",
    "ArchiveError",
    "NotAnArchiveError",
    "CorruptArchiveError",
    "UnsafeArchiveError",
    "ArchiveParseError",
    "WorkspaceError",
    "AccountMismatchError",
    "OlderArchiveError",
    "NoArchiveImportedError",
    "WorkspaceVersionError",
    "CredentialsError",
    "DirectoryError",
    "MatchError",
    "ReportError",
    "NetworkError",
    "NotLoggedInError",
    "AuthenticationError",
    "SessionExpiredError",
    "RateLimitedError",
    "UnreachableError",
    "AccountUnavailableError",
    "RefusedError",
    "BlockedHostError",
]


class PortabiliteError(Exception):
    """Base of every error portabilite raises on purpose."""

    exit_code = 1

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        return redact(t(self.key, lang, **self.params))

    def __str__(self) -> str:
        return self.message()


class ArchiveError(PortabiliteError):
    """The X archive cannot be used."""


class NotAnArchiveError(ArchiveError):
    """The path is not a zip or a folder, or holds no X data export."""


class CorruptArchiveError(ArchiveError):
    """The zip or one of its members is truncated or damaged."""


class UnsafeArchiveError(ArchiveError):
    """A member would inflate beyond the sane bound, or its name escapes the archive."""


class ArchiveParseError(ArchiveError):
    """A data file inside the archive is not what X writes; names the file (and line)."""

    def __init__(self, key: str, *, file: str, line: int | None = None, **params: object):
        self.file = file
        self.line = line
        super().__init__(key, **params)

    def message(self, lang: str | None = None) -> str:
        where = (
            self.file
            if self.line is None
            else t("where.file_line", lang, file=self.file, line=self.line)
        )
        return redact(t(self.key, lang, where=where, **self.params))


class WorkspaceError(PortabiliteError):
    """The workspace refuses the operation."""


class AccountMismatchError(WorkspaceError):
    """The archive belongs to another account than the workspace's."""


class OlderArchiveError(WorkspaceError):
    """The archive is older than the newest one already imported."""


class NoArchiveImportedError(WorkspaceError):
    """The workspace holds no archive yet."""


class WorkspaceVersionError(WorkspaceError):
    """The workspace's schema is newer than this version of portabilite knows."""


class CredentialsError(PortabiliteError):
    """The keyring or the credentials file cannot be used."""


class DirectoryError(PortabiliteError):
    """A directory file cannot be used (names the file and row)."""


class MatchError(PortabiliteError):
    """A match the workspace does not know, or a decision it cannot take."""


class ReportError(PortabiliteError):
    """The report cannot be printed: no Chromium for ``--pdf``, or Chromium failed."""


class NetworkError(PortabiliteError):
    """Talking to a network went wrong. ``network`` is "bluesky", "mastodon" or "x"."""

    def __init__(self, key: str, *, network: str, **params: object) -> None:
        self.network = network
        service = service_name(network)
        super().__init__(key, network=network, service=service, **params)


class NotLoggedInError(NetworkError):
    """No account is saved for that network."""


class AuthenticationError(NetworkError):
    """The network refused the identifier, password, code or token."""


class SessionExpiredError(NetworkError):
    """The saved session can no longer be refreshed."""


class RateLimitedError(NetworkError):
    """A rate limit or write budget is reached. ``retry_at`` (aware datetime or None)."""

    def __init__(
        self, key: str, *, network: str, retry_at: datetime | None = None, **params: object
    ):
        self.retry_at = retry_at
        from ._time import format_local

        # the user's own clock and zone: "2026-12-02 15:00 CET"
        when = format_local(retry_at) if retry_at is not None else "?"
        super().__init__(key, network=network, when=when, **params)


class UnreachableError(NetworkError):
    """The host did not answer, or kept failing, after the retries."""


class AccountUnavailableError(NetworkError):
    """The account does not exist, or is suspended, deactivated or taken down."""


class RefusedError(NetworkError):
    """The server refused the request (a 4xx that means no); ``reason`` is its word."""


class BlockedHostError(NetworkError):
    """A host portabilite will not contact unless the user configured it explicitly."""
