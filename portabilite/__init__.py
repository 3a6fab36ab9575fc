"""portabilite: leave X without losing your network or your name.

The library behind the ``portabilite`` command. The public names are listed in ``__all__``;
modules whose names start with ``_`` are private. The whole flow is one object::

    from portabilite import Migration

    with Migration("me.sqlite3") as move:
        move.import_archive("twitter-archive.zip")
        move.match(online=False)
        print(move.plan().to_json())

(see ``docs/library.md``); the steps are also functions (``import_archive``, ``open_archive``,
``Workspace``...). Every error is a ``PortabiliteError``, and each kind is exported here.
"""

from typing import TYPE_CHECKING, Any

from . import errors as _errors  # light (the catalogue only): every error is public
from ._version import __version__

if TYPE_CHECKING:
    from .archive import XArchive, open_archive
    from .errors import (
        AccountMismatchError,
        AccountUnavailableError,
        ArchiveError,
        ArchiveParseError,
        AuthenticationError,
        BlockedHostError,
        CorruptArchiveError,
        CredentialsError,
        DirectoryError,
        MatchError,
        NetworkError,
        NoArchiveImportedError,
        NotAnArchiveError,
        NotLoggedInError,
        OlderArchiveError,
        PortabiliteError,
        RateLimitedError,
        RefusedError,
        ReportError,
        SessionExpiredError,
        UnreachableError,
        UnsafeArchiveError,
        WorkspaceError,
        WorkspaceVersionError,
    )
    from .importer import ImportResult
    from .migration import FollowReport, Migration, ReserveReport, Status, import_archive, status
    from .posting import PostError
    from .workspace import Workspace, default_workspace_path


#: Where each public name lives. They are imported on first use, so that ``import portabilite``
#: (and ``portabilite --help``) stays cheap: reading an archive needs neither the matcher nor
#: the network clients.
_HOMES = {
    "Migration": "migration",
    "Status": "migration",
    "FollowReport": "migration",
    "ReserveReport": "migration",
    "status": "migration",
    "open_archive": "archive",
    "XArchive": "archive",
    "Workspace": "workspace",
    "default_workspace_path": "workspace",
    "import_archive": "migration",
    "ImportResult": "importer",
    "PostError": "posting",
    **{name: "errors" for name in _errors.__all__},
}

__all__ = [
    "__version__",
    "Migration",
    "Status",
    "FollowReport",
    "ReserveReport",
    "status",
    "open_archive",
    "XArchive",
    "Workspace",
    "default_workspace_path",
    "import_archive",
    "ImportResult",
    "PostError",
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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'portabilite' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # once found, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
