"""portabilite: leave X without losing your network or your name.

The library behind the ``portabilite`` command. The public names are listed in ``__all__``;
modules whose names start with ``_`` are private.

    from portabilite import import_archive, open_archive, Workspace
"""

from ._version import __version__
from .archive import XArchive, open_archive
from .errors import (
    AccountMismatchError,
    ArchiveError,
    ArchiveParseError,
    CorruptArchiveError,
    NoArchiveImportedError,
    NotAnArchiveError,
    OlderArchiveError,
    PortabiliteError,
    UnsafeArchiveError,
    WorkspaceError,
    WorkspaceVersionError,
)
from .importer import ImportResult, import_archive, status
from .workspace import Workspace, default_workspace_path

__all__ = [
    "__version__",
    # reading archives
    "open_archive",
    "XArchive",
    # the workspace
    "Workspace",
    "default_workspace_path",
    "import_archive",
    "ImportResult",
    "status",
    # errors
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
