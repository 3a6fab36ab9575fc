"""Files that hold a person's graph, sessions or plans: readable by them only (0600), written
whole or not at all (a temporary file in the same folder, synced, then renamed over the name).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_private", "make_private", "PRIVATE"]

PRIVATE = 0o600


def write_private(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically, as a file only its owner can read."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent or ".")
    try:
        os.fchmod(fd, PRIVATE)  # mkstemp's own mode, said out loud
        with os.fdopen(fd, "wb") as fp:
            fp.write(data.encode("utf-8") if isinstance(data, str) else data)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def make_private(*paths: str | os.PathLike[str]) -> None:
    """Restrict existing files to their owner (files made by an older version, or by SQLite)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, PRIVATE)
