"""Directories of known mappings: who moved where, shared by a community or an organisation.

A directory file is CSV (a header row) or JSON (a list of objects, or ``{"entries": [...]}``)
with these columns:

==============  ===========================================================================
``x_id``        the numeric X id (the strongest key: handles change, ids do not)
``x_handle``    the X screen name, with or without ``@`` (at least one of the two)
``bluesky``     a Bluesky handle, DID, or ``bsky.app/profile/...`` link (optional)
``mastodon``    a Mastodon address ``@user@host`` / ``user@host``, or profile URL (optional)
``source``      who says so (optional; defaults to the file name)
``date``        when the mapping was made (optional, any ISO date)
==============  ===========================================================================

At least one of ``bluesky`` and ``mastodon`` per row. A file with an invalid row is refused
whole, naming the row: nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Any

import orjson

from .._time import iso_from_any, now_iso
from ..errors import DirectoryError
from ..workspace import Workspace
from ._addresses import normalize_bluesky, normalize_mastodon

__all__ = ["DirectoryEntry", "read_directory", "import_directory", "DirectoryError"]

COLUMNS = ("x_id", "x_handle", "bluesky", "mastodon", "source", "date")


@dataclass(frozen=True)
class DirectoryEntry:
    x_id: str | None
    x_handle: str | None
    network: str
    account: str
    source: str
    dated: str | None


def _rows(path: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    name = os.path.basename(path)
    text = data.decode("utf-8-sig", errors="strict")
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            value = orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            raise DirectoryError("directory.invalid_json", file=name, reason=str(exc)) from None
        if isinstance(value, dict):
            value = value.get("entries")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise DirectoryError(
                "directory.invalid_json", file=name, reason="expected a list of objects"
            )
        return [(i + 1, row) for i, row in enumerate(value)]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not {"x_id", "x_handle"} & set(header) or not {"bluesky", "mastodon"} & set(header):
        raise DirectoryError("directory.bad_header", file=name, columns=", ".join(COLUMNS))
    reader.fieldnames = header
    return [(i + 2, row) for i, row in enumerate(reader)]


def read_directory(path: str | os.PathLike[str], source: str | None = None) -> list[DirectoryEntry]:
    """Parse a directory file; raises ``DirectoryError`` naming the first bad row."""
    path = os.fspath(path)
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fp:
            data = fp.read()
    except OSError as exc:
        raise DirectoryError(
            "directory.unreadable", file=path, reason=exc.strerror or str(exc)
        ) from None
    try:
        rows = _rows(path, data)
    except UnicodeDecodeError:
        raise DirectoryError("directory.not_utf8", file=name) from None
    entries: list[DirectoryEntry] = []
    for line, row in rows:

        def get(key: str, row: dict[str, Any] = row) -> str:
            return str(row.get(key) or "").strip()

        x_id = get("x_id") or None
        x_handle = get("x_handle").lstrip("@") or None
        if x_id is not None and not (x_id.isdigit() and x_id.isascii()):
            raise DirectoryError(
                "directory.bad_row",
                file=name,
                row=line,
                reason=f"x_id {x_id!r} is not a numeric X id",
            )
        if x_id is None and x_handle is None:
            raise DirectoryError(
                "directory.bad_row", file=name, row=line, reason="neither x_id nor x_handle"
            )
        row_source = get("source") or source or name
        dated = iso_from_any(get("date")) if get("date") else None
        targets = []
        if get("bluesky"):
            handle = normalize_bluesky(get("bluesky"))
            if handle is None:
                raise DirectoryError(
                    "directory.bad_row",
                    file=name,
                    row=line,
                    reason=f"{get('bluesky')!r} is not a Bluesky handle or DID",
                )
            targets.append(("bluesky", handle))
        if get("mastodon"):
            address = normalize_mastodon(get("mastodon"), strict=False)
            if address is None:
                raise DirectoryError(
                    "directory.bad_row",
                    file=name,
                    row=line,
                    reason=f"{get('mastodon')!r} is not a Mastodon address",
                )
            targets.append(("mastodon", address))
        if not targets:
            raise DirectoryError(
                "directory.bad_row", file=name, row=line, reason="neither bluesky nor mastodon"
            )
        entries.extend(
            DirectoryEntry(x_id, x_handle, network, account, row_source, dated)
            for network, account in targets
        )
    return entries


def import_directory(
    workspace: Workspace, path: str | os.PathLike[str], source: str | None = None
) -> dict[str, int]:
    """Load a directory file into the workspace (one transaction). Returns counts."""
    entries = read_directory(path, source)
    now = now_iso()
    with workspace.transaction() as db:
        before = db.execute("SELECT count(*) FROM directory_entry").fetchone()[0]
        db.executemany(
            "INSERT INTO directory_entry (x_id, x_handle, network, account, source, dated,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(e.x_id, e.x_handle, e.network, e.account, e.source, e.dated, now) for e in entries],
        )
        after = db.execute("SELECT count(*) FROM directory_entry").fetchone()[0]
    return {"read": len(entries), "added": after - before, "total": after}
