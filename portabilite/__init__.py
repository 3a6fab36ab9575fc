"""portabilite: leave X without losing your network or your name.

The library behind the ``portabilite`` command. The public names are listed in ``__all__``;
modules whose names start with ``_`` are private.

    from portabilite import import_archive, open_archive, Workspace
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
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

#: Where each public name lives. They are imported on first use, so that ``import portabilite``
#: (and ``portabilite --help``) stays cheap: reading an archive needs neither the matcher nor
#: the network clients.
_HOMES = {
    "open_archive": "archive",
    "XArchive": "archive",
    "Workspace": "workspace",
    "default_workspace_path": "workspace",
    "import_archive": "importer",
    "ImportResult": "importer",
    "status": "importer",
    **{
        name: "errors"
        for name in (
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
        )
    },
}


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
