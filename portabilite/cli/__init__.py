"""The ``portabilite`` command: a thin skin over the library (see ``portabilite.cli._app``)."""

from ._app import cli, main

__all__ = ["cli", "main"]
