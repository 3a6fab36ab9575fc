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
whole, naming the row: nothing is half-imported (unless the user asks to skip bad rows: then
each is reported with its line). CSV files are streamed (millions of rows in bounded memory),
with ``,`` or ``;`` separators, UTF-8 with or without BOM, or Windows-1252 when asked.
"""

from __future__ import annotations

import csv
import io
import os
from itertools import islice
from operator import itemgetter
from typing import IO, Any, Iterator, NamedTuple

import orjson

from .._reasons import Reason, because
from .._time import iso_from_any, now_iso
from ..errors import DirectoryError
from ..workspace import Workspace
from ._addresses import normalize_bluesky, normalize_mastodon

__all__ = [
    "DirectoryEntry",
    "iter_directory",
    "read_directory",
    "import_directory",
    "DirectoryError",
    "ENCODINGS",
]

COLUMNS = ("x_id", "x_handle", "bluesky", "mastodon", "source", "date")


class DirectoryEntry(NamedTuple):
    """One mapping: X account (``x_id``, ``x_handle``) is ``account`` on ``network``."""

    x_id: str | None
    x_handle: str | None
    network: str
    account: str
    source: str
    dated: str | None


#: rows inserted per statement batch: bounded memory whatever the file's size
BATCH_ROWS = 20_000
#: encodings a directory file may be read in (``--encoding``); UTF-8 (with or without BOM) is
#: the default, Windows-1252 is what French spreadsheets save as "CSV"
ENCODINGS = ("utf-8", "cp1252")


class _BadRow(Exception):
    def __init__(self, line: int, reason: Reason) -> None:
        super().__init__(reason.key)
        self.line, self.reason = line, reason


Cells = tuple[str, ...]  # one row's cells, in ``COLUMNS`` order, "" where absent


def _json_rows(name: str, data: bytes) -> Iterator[tuple[int, Cells]]:
    """JSON directories are read whole (CSV streams: use it for millions of rows)."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DirectoryError("directory.invalid_json", file=name, reason=because(exc)) from None
    if isinstance(value, dict):
        value = value.get("entries")
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise DirectoryError(
            "directory.invalid_json", file=name, reason=Reason("reason.json_not_a_list")
        )
    for i, row in enumerate(value):
        yield i + 1, tuple(_cell(row.get(key)) for key in COLUMNS)


def _cell(value: Any) -> str:
    return value if type(value) is str else str(value or "")


def _csv_rows(name: str, text: IO[str]) -> Iterator[tuple[int, Cells]]:
    first = text.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","  # French spreadsheets: ;
    header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter), [])]
    if not {"x_id", "x_handle"} & set(header) or not {"bluesky", "mastodon"} & set(header):
        raise DirectoryError("directory.bad_header", file=name, columns=", ".join(COLUMNS))
    # each column's cell picked by position in one C call; an absent column (or a short row)
    # reads the "" appended to every row, at position -1
    width = len(header)
    pick = itemgetter(*(header.index(key) if key in header else -1 for key in COLUMNS))
    reader = csv.reader(text, delimiter=delimiter)
    for cells in reader:
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        cells.append("")
        # the header line was read before the reader started: line numbers are one more
        yield reader.line_num + 1, pick(cells)


Entry = tuple[str | None, str | None, str, str, str, str | None]  # a DirectoryEntry's fields


def _entries(line: int, cells: Cells, name: str, source: str | None) -> list[Entry]:
    """The entries of one row (one per network named), or ``_BadRow``. Plain tuples: a
    directory has millions of rows, and ``iter_directory`` names the fields."""
    x_id, x_handle, bluesky, mastodon, row_source, date = map(str.strip, cells)
    if x_handle[:1] == "@":
        x_handle = x_handle.lstrip("@")
    if x_id and not (x_id.isdigit() and x_id.isascii()):
        raise _BadRow(line, Reason("reason.row_bad_x_id", value=x_id))
    if not x_id and not x_handle:
        raise _BadRow(line, Reason("reason.row_no_x"))
    row_source = row_source or source or name
    dated = iso_from_any(date) if date else None
    entries = []
    if bluesky:
        handle = normalize_bluesky(bluesky)
        if handle is None:
            raise _BadRow(line, Reason("reason.row_bad_bluesky", value=bluesky))
        entries.append((x_id or None, x_handle or None, "bluesky", handle, row_source, dated))
    if mastodon:
        address = normalize_mastodon(mastodon, strict=False)
        if address is None:
            raise _BadRow(line, Reason("reason.row_bad_mastodon", value=mastodon))
        entries.append((x_id or None, x_handle or None, "mastodon", address, row_source, dated))
    if not entries:
        raise _BadRow(line, Reason("reason.row_no_network"))
    return entries


def iter_directory(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    encoding: str = "utf-8",
    bad_rows: list[tuple[int, str]] | None = None,
) -> Iterator[DirectoryEntry]:
    """The entries of a directory file, streamed (a CSV file is never held whole). A bad row
    raises ``DirectoryError`` naming its line, unless ``bad_rows`` is given: then it is
    appended there (line, reason) and skipped."""
    return map(DirectoryEntry._make, _iter_entries(path, source, encoding, bad_rows))


def _iter_entries(
    path: str | os.PathLike[str],
    source: str | None,
    encoding: str,
    bad_rows: list[tuple[int, str]] | None,
) -> Iterator[Entry]:
    path = os.fspath(path)
    name = os.path.basename(path)
    if encoding not in ENCODINGS:
        raise DirectoryError("directory.bad_encoding", file=name, encoding=encoding)
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise DirectoryError("directory.unreadable", file=path, reason=because(exc)) from None
    with raw:
        head = raw.read(4096)
        raw.seek(0)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{")):
            data = raw.read()
            rows: Iterator[tuple[int, Cells]] = _json_rows(
                name, data[3:] if data.startswith(b"\xef\xbb\xbf") else data
            )
        else:
            text = io.TextIOWrapper(
                raw, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline=""
            )
            rows = _csv_rows(name, text)
        try:
            for line, row in rows:
                try:
                    yield from _entries(line, row, name, source)
                except _BadRow as bad:
                    if bad_rows is None:
                        raise DirectoryError(
                            "directory.bad_row", file=name, row=bad.line, reason=bad.reason
                        ) from None
                    bad_rows.append((bad.line, str(bad.reason)))
        except UnicodeDecodeError:
            raise DirectoryError("directory.not_utf8", file=name) from None
        except csv.Error as exc:
            raise DirectoryError("directory.invalid_csv", file=name, reason=because(exc)) from None


def read_directory(
    path: str | os.PathLike[str], source: str | None = None, *, encoding: str = "utf-8"
) -> list[DirectoryEntry]:
    """Parse a directory file whole; raises ``DirectoryError`` naming the first bad row."""
    return list(iter_directory(path, source, encoding=encoding))


def import_directory(
    workspace: Workspace,
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    encoding: str = "utf-8",
    skip_bad_rows: bool = False,
) -> dict[str, Any]:
    """Load a directory file into the workspace, in one transaction, streamed in batches
    (memory stays bounded whatever the file's size). A bad row refuses the whole file,
    naming its line, unless ``skip_bad_rows``: then the good rows are kept and every bad one
    is reported (``bad``: the first lines and reasons; ``bad_count``)."""
    bad: list[tuple[int, str]] | None = [] if skip_bad_rows else None
    read = 0
    # The rows are staged in a temporary table (on disk: a directory can outgrow memory) and
    # merged with one INSERT ... SELECT in the unique index's order: SQLite then walks its
    # B-trees in key order instead of jumping to a random page per row (a directory's ids come
    # in no order; measured 2x faster on 1,000,000 rows, see docs/performance.md).
    stage = "INSERT INTO temp.incoming_entry VALUES (?, ?, ?, ?, ?, ?)"
    with workspace.spilling(), workspace.transaction() as db:
        before = db.execute("SELECT count(*) FROM directory_entry").fetchone()[0]
        db.execute(
            "CREATE TEMP TABLE incoming_entry"
            " (x_id TEXT, x_handle TEXT, network TEXT, account TEXT, source TEXT, dated TEXT)"
        )
        entries = _iter_entries(path, source, encoding, bad)
        while batch := list(islice(entries, BATCH_ROWS)):
            db.executemany(stage, batch)
            read += len(batch)
        db.execute(
            "INSERT INTO directory_entry (x_id, x_handle, network, account, source, dated,"
            " imported_at) SELECT x_id, x_handle, network, account, source, dated, ?"
            " FROM temp.incoming_entry WHERE true ORDER BY COALESCE(x_id, ''),"
            " lower(COALESCE(x_handle, '')), network, lower(account), source"
            " ON CONFLICT DO NOTHING",
            (now_iso(),),
        )
        db.execute("DROP TABLE temp.incoming_entry")
        after = db.execute("SELECT count(*) FROM directory_entry").fetchone()[0]
    counts: dict[str, Any] = {"read": read, "added": after - before, "total": after}
    if bad is not None:
        # the reasons in the reader's language, as text (JSON holds no objects)
        counts["bad"] = [{"line": line, "reason": str(reason)} for line, reason in bad[:20]]
        counts["bad_count"] = len(bad)
    return counts


def replace_source(
    workspace: Workspace, source: str, rows: list[tuple[str, str | None, str, str, str, str]]
) -> dict[str, int]:
    """What a directory server answered, in place of what it answered before (an entry
    deleted there goes here too), in one transaction. ``rows``: ``(x_id, x_handle, network,
    account, dated, x_proof)``."""
    now = now_iso()
    with workspace.transaction() as db:
        before = db.execute(
            "SELECT count(*) FROM directory_entry WHERE source = ?", (source,)
        ).fetchone()[0]
        db.execute("DELETE FROM directory_entry WHERE source = ?", (source,))
        db.executemany(
            "INSERT INTO directory_entry (x_id, x_handle, network, account, source, dated,"
            " imported_at, x_proof) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(x, h, n, a, source, d, now, p) for x, h, n, a, d, p in rows],
        )
        after = db.execute(
            "SELECT count(*) FROM directory_entry WHERE source = ?", (source,)
        ).fetchone()[0]
    return {"before": before, "now": after}
