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
    └── WorkspaceError               the local workspace refuses the operation
        ├── AccountMismatchError     the archive belongs to another account
        ├── OlderArchiveError        an older archive than the one already imported
        ├── NoArchiveImportedError   nothing imported yet
        └── WorkspaceVersionError    the workspace was written by a newer portabilite
"""
from __future__ import annotations

from .i18n import t

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
]


class PortabiliteError(Exception):
    """Base of every error portabilite raises on purpose."""

    exit_code = 1

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

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
        where = self.file if self.line is None else t("where.file_line", lang, file=self.file,
                                                      line=self.line)
        return t(self.key, lang, where=where, **self.params)


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
