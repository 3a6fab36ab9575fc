"""Why something failed, in words: the exceptions of the standard library and the SDKs turned
into catalogue messages, rendered in the reader's language when the sentence is written.

``str(exc)`` of an ``OSError``, a ``zipfile.BadZipFile``, a ``sqlite3.Error`` or an httpx error is
English ("File is not a zip file", "unable to open database file"); an error message of ours
that carries one as ``reason=because(exc)`` reads whole in French too.
"""

from __future__ import annotations

import errno
from typing import Any

import orjson

__all__ = ["Reason", "because", "shown", "stored"]


class Reason:
    """A message that is a part of another one: rendered when that one is."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params

    def render(self, lang: str | None = None) -> str:
        from .i18n import t

        return t(self.key, lang, **self.params)

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Reason({self.key!r}, **{self.params!r})"


_ERRNOS = {
    errno.ENOENT: "reason.no_such_file",
    errno.EACCES: "reason.permission_denied",
    errno.EPERM: "reason.permission_denied",
    errno.ENOSPC: "reason.disk_full",
    errno.EISDIR: "reason.is_a_folder",
    errno.ENOTDIR: "reason.not_a_folder",
    errno.EROFS: "reason.read_only",
    errno.EIO: "reason.input_output",
    errno.EADDRINUSE: "reason.address_in_use",
    errno.EADDRNOTAVAIL: "reason.address_not_available",
}

_SQLITE = (
    ("unable to open database file", "reason.cannot_open_database"),
    ("file is not a database", "reason.not_a_database"),
    ("database disk image is malformed", "reason.damaged_database"),
    ("disk i/o error", "reason.input_output"),
    ("locked", "reason.database_busy"),
    ("busy", "reason.database_busy"),
    ("readonly", "reason.read_only"),
    ("database or disk is full", "reason.disk_full"),
)

_ZIP = (
    ("not a zip file", "reason.not_a_zip"),
    ("bad crc", "reason.bad_checksum"),
    ("truncated", "reason.truncated"),
    ("compression method", "reason.unknown_compression"),
    ("encrypted", "reason.encrypted"),
    ("password", "reason.encrypted"),
)


def because(exc: BaseException) -> Reason | str:
    """What went wrong in ``exc``, in words when it is a failure portabilite knows; otherwise
    its own text (an SDK's or a server's), or its type when it has none."""
    import sqlite3
    import zipfile
    import zlib

    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in _ERRNOS:
        return Reason(_ERRNOS[exc.errno])
    if isinstance(exc, sqlite3.Error):
        for needle, key in _SQLITE:
            if needle in text:
                return Reason(key)
    if isinstance(exc, (zipfile.BadZipFile, NotImplementedError, RuntimeError)):
        for needle, key in _ZIP:
            if needle in text:
                return Reason(key)
    if isinstance(exc, zlib.error):
        return Reason("reason.damaged_data")
    if isinstance(exc, EOFError):
        return Reason("reason.truncated")
    if isinstance(exc, ValueError) and hasattr(exc, "lineno") and hasattr(exc, "colno"):
        return Reason("reason.bad_json", line=exc.lineno, column=exc.colno)  # json, orjson
    if isinstance(exc, UnicodeDecodeError):
        return Reason("reason.bad_encoding", encoding=exc.encoding)
    import httpx  # only once something failed: never on the way to a command's help

    if isinstance(exc, httpx.TimeoutException):
        return Reason("reason.timeout")
    if isinstance(exc, httpx.ConnectError):
        return Reason("reason.cannot_connect")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return Reason("reason.connection_broken")
    return str(exc) or type(exc).__name__


def stored(error: Any) -> str:
    """A failure as the workspace keeps it: the key of its message and its parameters, in
    JSON, so that whoever reads it later reads it in their own language (``shown``). An
    error that is not one of ours is kept as its text."""
    key = getattr(error, "key", None)
    params = getattr(error, "params", None)
    if not isinstance(key, str) or not isinstance(params, dict):
        return str(error)
    return orjson.dumps({"key": key, "params": {k: _plain(v) for k, v in params.items()}}).decode()


def shown(text: str | None, lang: str | None = None) -> str:
    """A failure the workspace kept (``stored``), in words of ``lang``; an older plain text
    (English, from before) as it is."""
    from ._redact import redact
    from .i18n import t

    if not text or not text.startswith('{"key":'):
        return text or ""
    try:
        record = orjson.loads(text)
        params = {k: _revived(v) for k, v in record["params"].items()}
        return redact(t(record["key"], lang, **params))
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, ValueError):
        return text  # a record this version cannot read: shown as kept, never a crash


def _plain(value: object) -> object:
    if isinstance(value, Reason):
        return {"$reason": value.key, "params": {k: _plain(v) for k, v in value.params.items()}}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _revived(value: object) -> object:
    if isinstance(value, dict) and "$reason" in value:
        inner = value.get("params") or {}
        return Reason(str(value["$reason"]), **{k: _revived(v) for k, v in inner.items()})
    return value
