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
  is validated by orjson itself: a chunk that does not parse is never guessed at. Anything the
  fast path cannot prove falls back to ``load_js`` on the whole file, skipping the items it
  already gave (they are the same items).
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


_RELAX = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # a double-quoted string: kept as is
    r"|'((?:[^'\\]|\\.)*)'"  # a single-quoted string: re-quoted
    r"|//[^\n]*|/\*.*?\*/"  # comments: dropped
    r"|,(?=\s*[\]}])"  # trailing comma: dropped
    r"|([A-Za-z_$][\w$]*)(?=\s*:)",  # unquoted key: quoted
    re.S,
)


def _relax_sub(m: re.Match[str]) -> str:
    text = m.group(0)
    if text[0] == '"':
        return text
    if m.group(1) is not None:
        inner = m.group(1).replace("\\'", "'").replace('"', '\\"')
        return f'"{inner}"'
    if m.group(2) is not None:
        return f'"{m.group(2)}"'
    return ""


def relax(text: str) -> str:
    """Turn the JavaScript-object-literal dialect people's editors leave into JSON."""
    return _RELAX.sub(_relax_sub, text)


_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _no_lone_surrogates(text: str) -> str:
    """Escaped lone surrogates (half an emoji, cut by an editor or a broken exporter) become
    U+FFFD: Python's JSON reader takes them, but no UTF-8 file or database can hold them."""
    return _LONE_SURROGATE.sub(r"\\ufffd", text) if "\\u" in text else text


def load_js(data: bytes, file: str) -> Any:
    """The JSON value assigned in an X archive ``.js`` file."""
    start = _payload_start(data, file)
    body = _body(data, start)
    if not body:
        raise ArchiveParseError("archive.empty_data", file=file, line=1)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, start + exc.start) + 1
        raise ArchiveParseError("archive.not_utf8", file=file, line=line) from None
    text = _no_lone_surrogates(text)
    try:
        return json.loads(text)
    except RecursionError:
        raise ArchiveParseError("archive.too_deep", file=file, line=None) from None
    except json.JSONDecodeError as exc:
        first_error: ValueError = exc
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        first_error = exc
    try:
        return json.loads(relax(text))
    except (ValueError, RecursionError):
        pass
    lineno = getattr(first_error, "lineno", None)
    line = data.count(b"\n", 0, start) + lineno if lineno else None
    raise ArchiveParseError("archive.invalid_json", file=file, line=line,
                            reason=getattr(first_error, "msg", None) or str(first_error)[:120])


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
        data = fp.read()
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
                search_from = max(search_from, len(buf) - len(indent) - 8)
                fill()
                m = boundary.search(buf, search_from)
            if m is None:
                break  # the rest is the last chunk
            cut = m.start() + brace + 1
            try:
                items = orjson.loads(b"[" + bytes(buf[:cut]) + b"]")
            except orjson.JSONDecodeError:
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
    try:
        items = orjson.loads(b"[" + rest)
    except orjson.JSONDecodeError:
        raise _NotStreamable from None
    yield items
