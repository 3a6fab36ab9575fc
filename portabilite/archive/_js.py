"""Reading X's data files: ``window.YTD.<name>.part<N> = <JSON>`` (and the manifest's and
Grailbird's ``var x = <JSON>``).

Two readers share one contract (the same values, or an ``ArchiveParseError`` naming the file and
line):

* ``load_js`` reads a whole file: orjson first, then the standard library (which accepts the lone
  UTF-16 surrogates old archives contain), then a tolerant pass for owner-edited files (unquoted
  keys, single quotes, trailing commas, comments: what Prettier and hand edits leave).
* ``iter_items`` streams a top-level array in chunks of a few MiB so that a 1,000,000-entry
  follower.js never sits in memory as Python objects at once. It cuts only where X's
  pretty-printers put a top-level element boundary (a line holding the array's own closing
  brace indentation followed by a comma; JSON strings cannot hold a raw newline), and each chunk
  is validated by a full reading (orjson, then the tolerant one, so a Prettier-edited file
  streams too): a chunk that does not parse is never guessed at. Anything the fast path cannot
  prove falls back to ``load_js`` on the whole file, skipping the items it already gave (they
  are the same items).

Both are bounded: the tolerant pass is one linear scan; the stream holds at most a chunk plus
``MAX_ELEMENT_BYTES`` while it looks for a boundary; a file read whole is at most
``WHOLE_FILE_BYTES`` (X never writes one that needs it).
"""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO, Callable, Iterator

import orjson

from ..errors import ArchiveParseError

_BOM = b"\xef\xbb\xbf"
_WS = b" \t\r\n"
CHUNK_BYTES = 4 << 20
READ_BYTES = 1 << 20
_HEAD_BYTES = 64 << 10
_MAX_RETRIES = 8
#: X's own files never hold one element (a tweet, a follow) of more than a few KiB; a run this
#: long without the boundary X writes between elements is not X's layout.
MAX_ELEMENT_BYTES = 16 << 20
#: A file that cannot be streamed (minified, or not in X's layout) is read whole, up to this
#: size: X never writes such files, and owner-edited ones are small (account, profile, manifest).
#: Reading takes up to about 20 times the file's size (orjson's document: 16 bytes a value).
WHOLE_FILE_BYTES = 16 << 20


class _NotStreamable(Exception):
    """The fast path cannot vouch for this file; read it whole."""


def _payload_start(data: bytes | bytearray, file: str) -> int:
    """Index of the first byte of the JSON value (after a BOM and a ``... =`` prefix)."""
    i = 3 if data[:3] == _BOM else 0
    while i < len(data) and data[i] in _WS:
        i += 1
    if i < len(data) and data[i] in b"[{":
        return i
    eq = data.find(b"=", i, i + _HEAD_BYTES)
    if eq < 0:
        raise ArchiveParseError("archive.not_js_data", file=file, line=1)
    i = eq + 1
    while i < len(data) and data[i] in _WS:
        i += 1
    return i


def _body(data: bytes, start: int) -> bytes:
    body = data[start:].rstrip(_WS)
    while body.endswith(b";"):
        body = body[:-1].rstrip(_WS)
    return body


#: One pass over the bytes, linear whatever they hold: every alternative either fails on its
#: first byte or runs to its natural end, or to the end of the text when that end is missing (an
#: unterminated string or comment is consumed once, never rescanned from each later position),
#: and a key is only tried where a word starts.
_RELAX = re.compile(
    rb'"(?:[^"\\]|\\.)*(?:"|\\?\Z)'  # a double-quoted string: kept as is
    rb"|'((?:[^'\\]|\\.)*)(?:'|\\?\Z)"  # a single-quoted string: re-quoted
    rb"|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/|\Z)"  # comments: dropped
    rb"|,(?=\s*[\]}])"  # a trailing comma: dropped
    rb"|(?<![\w$])([A-Za-z_$][\w$]*)(?=\s*:)",  # an unquoted key: quoted
    re.S,
)
_SINGLE_INNER = re.compile(rb"\\.|\"", re.S)


def _requote(m: re.Match[bytes]) -> bytes:
    text = m.group(0)
    if text == b"\\'":
        return b"'"
    return b'\\"' if text == b'"' else text


def relax(data: bytes) -> bytes | bytearray:
    """Turn the JavaScript-object-literal dialect people's editors leave into JSON (bytes in,
    bytes out: all of that syntax is ASCII, so UTF-8 text passes through untouched)."""
    out = bytearray()
    last = 0
    for m in _RELAX.finditer(data):
        first = data[m.start()]
        if first == 0x22:  # '"': nothing to change
            continue
        if m.group(2) is not None:
            out += data[last : m.start()]
            out += b'"' + m.group(2) + b'"'
        elif first == 0x27:  # "'"
            out += data[last : m.start()]
            out += b'"' + _SINGLE_INNER.sub(_requote, m.group(1)) + b'"'
        else:  # a comment or a trailing comma
            out += data[last : m.start()]
        last = m.end()
    if not last:
        return data
    out += data[last:]
    return out


_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _no_lone_surrogates(data: bytes) -> bytes:
    """Escaped lone surrogates (half an emoji, cut by an editor or a broken exporter) become
    U+FFFD: Python's JSON reader takes them, but no UTF-8 file or database can hold them."""
    return _LONE_SURROGATE.sub(rb"\\ufffd", data) if b"\\u" in data else data


class _Invalid(Exception):
    """No reading of these bytes gives a value; ``lineno`` and ``reason`` come from the strict
    reading, which is the one whose message a person can act on."""

    def __init__(self, lineno: int | None, reason: str, kind: str = "archive.invalid_json"):
        super().__init__(reason)
        self.lineno, self.reason, self.kind = lineno, reason, kind


def _loads(body: bytes) -> Any:
    """The value of a JSON text, read as strictly as it allows: orjson; then the standard
    library (lone surrogates, integers beyond 64 bits); then the tolerant dialect."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    body = _no_lone_surrogates(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Invalid(body.count(b"\n", 0, exc.start) + 1, "", "archive.not_utf8") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise _Invalid(None, "", "archive.too_deep") from None
    except json.JSONDecodeError as exc:
        first: _Invalid = _Invalid(exc.lineno, exc.msg)
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        first = _Invalid(None, str(exc)[:120])
    del text
    relaxed = relax(body)
    if relaxed is body:
        raise first
    try:  # orjson only: it builds nothing when it fails (the standard library builds
        return orjson.loads(relaxed)  # every object up to the error, hundreds of MB)
    except orjson.JSONDecodeError:
        raise first from None


def load_js(data: bytes, file: str) -> Any:
    """The JSON value assigned in an X archive ``.js`` file."""
    start = _payload_start(data, file)
    body = _body(data, start)
    if not body:
        raise ArchiveParseError("archive.empty_data", file=file, line=1)
    try:
        return _loads(body)
    except _Invalid as exc:
        line = data.count(b"\n", 0, start) + exc.lineno if exc.lineno else None
        if exc.kind == "archive.invalid_json":
            raise ArchiveParseError(exc.kind, file=file, line=line, reason=exc.reason) from None
        raise ArchiveParseError(exc.kind, file=file, line=line) from None


def iter_chunks(open_stream: Callable[[], BinaryIO], file: str) -> Iterator[list[Any]]:
    """The elements of the array an X ``.js`` data file assigns, streamed a list at a time.

    ``open_stream`` is called once for the fast path and once more only if the file has to be
    read whole (owner-edited, minified, or damaged: then ``load_js`` names the line).
    """
    given = 0
    try:
        with open_stream() as fp:
            for chunk in _stream(fp, file):
                given += len(chunk)
                yield chunk
        return
    except _NotStreamable:
        pass
    with open_stream() as fp:
        data = fp.read(WHOLE_FILE_BYTES + 1)
    if len(data) > WHOLE_FILE_BYTES:
        raise ArchiveParseError(
            "archive.not_streamable", file=file, line=None, limit=WHOLE_FILE_BYTES >> 20
        )
    value = load_js(data, file)
    if not isinstance(value, list):
        raise ArchiveParseError("archive.not_array", file=file, line=None)
    yield value[given:]


def iter_items(open_stream: Callable[[], BinaryIO], file: str) -> Iterator[Any]:
    """Each element of the array an X ``.js`` data file assigns (see ``iter_chunks``)."""
    for chunk in iter_chunks(open_stream, file):
        yield from chunk


def _stream(fp: BinaryIO, file: str) -> Iterator[list[Any]]:
    buf = bytearray()
    eof = False

    def fill() -> bool:
        nonlocal eof
        block = fp.read(READ_BYTES)
        if not block:
            eof = True
            return False
        buf.extend(block)
        return True

    while not eof and len(buf) < 4096:
        fill()
    start = _payload_start(buf, file)
    if start >= len(buf) or buf[start] != 0x5B:  # '['
        raise _NotStreamable
    # The whitespace between '[' and the first element tells the top-level indentation.
    p = start + 1
    while True:
        while p < len(buf) and buf[p] in _WS:
            p += 1
        if p < len(buf) or eof:
            break
        fill()
    if p >= len(buf) or buf[p] != 0x7B:  # '{': only arrays of objects are streamed
        raise _NotStreamable
    gap = bytes(buf[start + 1 : p])
    indent = gap.rsplit(b"\n", 1)[1] if b"\n" in gap else b""
    boundary = re.compile(b"\n" + re.escape(indent) + rb"\}[ \t]*,")
    brace = 1 + len(indent)  # offset of '}' from the start of a boundary match
    del buf[:p]

    while True:
        while not eof and len(buf) < CHUNK_BYTES + READ_BYTES:
            fill()
        if eof:
            break
        search_from = CHUNK_BYTES
        for _ in range(_MAX_RETRIES):
            m = boundary.search(buf, search_from)
            while m is None and not eof:
                if len(buf) > CHUNK_BYTES + MAX_ELEMENT_BYTES:
                    raise _NotStreamable  # no element boundary where X puts one
                search_from = max(search_from, len(buf) - len(indent) - 8)
                fill()
                m = boundary.search(buf, search_from)
            if m is None:
                break  # the rest is the last chunk
            cut = m.start() + brace + 1
            items = _chunk_value(b"[" + bytes(buf[:cut]) + b"]")
            if items is None:
                search_from = m.end()
                continue
            del buf[: m.end()]
            yield items
            break
        else:
            raise _NotStreamable
        if eof:
            break

    rest = bytes(buf).rstrip(_WS)
    while rest.endswith(b";"):
        rest = rest[:-1].rstrip(_WS)
    if not rest.endswith(b"]"):
        raise _NotStreamable
    items = _chunk_value(b"[" + rest)
    if not isinstance(items, list):
        raise _NotStreamable
    yield items


def _chunk_value(body: bytes) -> Any:
    """The elements between two boundaries, or None when no reading gives a value."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return _loads(body)
    except _Invalid:
        return None
