"""Command-line skin: each command parses options, calls the library (``portabilite.Migration``
or one function), and prints. The commands live by group in ``_archive``, ``_login``,
``_matching``, ``_follow``, ``_post`` and ``_reserve``; the root group in ``_root``.
"""

from __future__ import annotations

from . import (  # noqa: F401
    _archive,
    _follow,
    _hints,
    _login,
    _matching,
    _post,
    _report,
    _reserve,
    _service,
    _web,
)
from ._root import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="portabilite")
