"""The local workspace: one SQLite file that every step of a migration shares."""

from ._ledger import WorkspaceLedger
from ._schema import SCHEMA_VERSION
from ._store import WORKSPACE_ENV, Workspace, data_folder, default_workspace_path

__all__ = [
    "Workspace",
    "WorkspaceLedger",
    "default_workspace_path",
    "data_folder",
    "WORKSPACE_ENV",
    "SCHEMA_VERSION",
]
