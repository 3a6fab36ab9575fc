"""Where the archive's bytes come from: a .zip read in place (never extracted) or a folder.

Both containers list their files under normalised names (forward slashes, lower case, relative to
the container) and open them as capped, streaming binary files. Names are only ever used as keys:
nothing is written to disk, and a zip whose member names escape the archive is refused.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, BinaryIO, Callable

from .._reasons import because
from ..errors import CorruptArchiveError, NotAnArchiveError, UnsafeArchiveError

#: A single member may not inflate beyond this many bytes (X's own part limit is far lower in
#: practice; this bound is about refusing nonsense, not real archives).
MAX_MEMBER_BYTES = 16 << 30
#: Above this size, a member whose inflated/compressed ratio exceeds MAX_RATIO is a zip bomb.
RATIO_CHECK_FROM = 1 << 20
#: JSON with random 19-digit ids compresses 5-20x; 200x is far beyond any real archive.
MAX_RATIO = 200
#: All the data files read from one archive, together: the heaviest real accounts (millions of
#: tweets and followers) stay far below; media files are never read.
MAX_ARCHIVE_BYTES = 64 << 30

ProgressFn = Callable[[int], None]
#: what zipfile and zlib raise for a damaged member (opening it or reading it)
_MEMBER_FAILURES = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class Member:
    key: str  # normalised: forward slashes, lower case
    name: str  # as stored, for messages
    size: int  # inflated size in bytes


def _normalise(name: str) -> str:
    name = name.replace("\\", "/")  # archives re-zipped on Windows use backslashes
    while name.startswith("./"):
        name = name[2:]
    return name


def _is_unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/")
        or (len(name) > 1 and name[1] == ":")  # C:\...
        or any(p == ".." for p in parts)
    )


class Container:
    """A set of named files; subclasses know where the bytes are."""

    path: str
    members: dict[str, Member]
    #: key -> (inflated, compressed) of each member opened so far, for the archive-wide bounds
    _opened: dict[str, tuple[int, int]]

    def _account(self, member: Member, compressed: int) -> None:
        """Count a member about to be read towards the archive-wide bounds. Many small members
        each under the per-member ratio check are still a bomb together: the ratio and the
        size are checked over everything read from this archive."""
        self._opened[member.key] = (member.size, compressed)
        inflated = sum(size for size, _ in self._opened.values())
        packed = sum(size for _, size in self._opened.values())
        if inflated > MAX_ARCHIVE_BYTES:
            raise UnsafeArchiveError("archive.archive_too_large", limit=MAX_ARCHIVE_BYTES >> 30)
        if inflated > RATIO_CHECK_FROM and inflated > MAX_RATIO * max(packed, 1):
            raise UnsafeArchiveError("archive.archive_ratio", ratio=MAX_RATIO)

    def open(self, key: str, on_bytes: ProgressFn | None = None) -> BinaryIO:
        raise NotImplementedError

    def read(self, key: str) -> bytes:
        with self.open(key) as fp:
            return fp.read()

    def fingerprint(self) -> str:
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - trivial
        pass

    def __enter__(self) -> "Container":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _GuardedStream(io.RawIOBase):
    """A member stream that turns low-level failures into CorruptArchiveError, counts bytes
    for progress, and stops at a hard size bound."""

    def __init__(self, raw: IO[bytes], member: Member, limit: int, on_bytes: ProgressFn | None):
        self._raw = raw
        self._member = member
        self._left = limit
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._raw.read(size)
        except _MEMBER_FAILURES as exc:
            raise CorruptArchiveError(
                "archive.member_corrupt",
                file=self._member.name,
                reason=because(exc),
            ) from None
        self._left -= len(data)
        if self._left < 0:
            raise UnsafeArchiveError(
                "archive.member_too_large", file=self._member.name, limit_bytes=MAX_MEMBER_BYTES
            )
        if self._on_bytes is not None and data:
            self._on_bytes(len(data))
        return data

    def readinto(self, b):  # pragma: no cover - read() is what we use
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class ZipContainer(Container):
    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            with open(path, "rb") as fp:
                magic = fp.read(4)
            if magic.startswith(b"PK"):
                raise CorruptArchiveError(
                    "archive.zip_corrupt", file=path, reason=because(exc)
                ) from None
            raise NotAnArchiveError("archive.not_zip_or_folder", path=path) from None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._opened = {}
        self.members = {}
        for info in self._zip.infolist():
            name = _normalise(info.filename)
            if _is_unsafe(name):
                self._zip.close()
                raise UnsafeArchiveError("archive.unsafe_name", file=info.filename)
            if info.is_dir() or name.endswith("/"):
                continue
            key = name.lower()
            if key in self.members:
                continue
            self._infos[key] = info
            self.members[key] = Member(key=key, name=name, size=info.file_size)

    def open(self, key: str, on_bytes: ProgressFn | None = None) -> BinaryIO:
        info = self._infos[key]
        member = self.members[key]
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnsafeArchiveError(
                "archive.member_too_large", file=member.name, limit_bytes=MAX_MEMBER_BYTES
            )
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise UnsafeArchiveError("archive.member_ratio", file=member.name, ratio=MAX_RATIO)
        self._account(member, info.compress_size)
        try:
            raw = self._zip.open(info)
        except _MEMBER_FAILURES as exc:
            raise CorruptArchiveError(
                "archive.member_corrupt", file=member.name, reason=because(exc)
            ) from None
        # zipfile stops at the declared size and checks the CRC at the end; the guard is a
        # second, independent bound.
        stream = _GuardedStream(raw, member, info.file_size, on_bytes)
        return io.BufferedReader(stream, buffer_size=1 << 20)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for key in sorted(self._infos):
            info = self._infos[key]
            digest.update(f"{key}\0{info.CRC:08x}\0{info.file_size}\n".encode())
        return "zip:" + digest.hexdigest()

    def close(self) -> None:
        self._zip.close()


class FolderContainer(Container):
    def __init__(self, path: str) -> None:
        self.path = path
        self.members = {}
        self._paths: dict[str, str] = {}
        self._stats: dict[str, tuple[int, int]] = {}
        self._inodes: dict[str, tuple[int, int, int, int]] = {}
        self._opened = {}
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames.sort()
            for filename in sorted(filenames):
                full = os.path.join(dirpath, filename)
                try:
                    st = os.lstat(full)
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):  # symlinks and devices are never followed
                    continue
                name = os.path.relpath(full, path).replace(os.sep, "/")
                key = name.lower()
                if key in self.members:
                    continue
                self._paths[key] = full
                self._stats[key] = (st.st_size, st.st_mtime_ns)
                self._inodes[key] = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
                self.members[key] = Member(key=key, name=name, size=st.st_size)

    def open(self, key: str, on_bytes: ProgressFn | None = None) -> BinaryIO:
        member = self.members[key]
        try:
            # Never through a link, never blocking on a pipe, and only the very file listed: a
            # link or another file swapped in since (at any level of the path) is refused.
            fd = os.open(self._paths[key], os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_BINARY)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnsafeArchiveError("archive.member_swapped", file=member.name) from None
            raise CorruptArchiveError(
                "archive.member_corrupt", file=member.name, reason=because(exc)
            ) from None
        st = os.fstat(fd)
        if (
            not stat.S_ISREG(st.st_mode)
            or (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != self._inodes[key]
        ):
            os.close(fd)
            raise UnsafeArchiveError("archive.member_swapped", file=member.name)
        self._account(member, st.st_size)
        raw = os.fdopen(fd, "rb", buffering=0)
        stream = _GuardedStream(raw, member, MAX_MEMBER_BYTES, on_bytes)
        return io.BufferedReader(stream, buffer_size=1 << 20)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for key in sorted(self._stats):
            size, mtime = self._stats[key]
            digest.update(f"{key}\0{size}\0{mtime}\n".encode())
        return "dir:" + digest.hexdigest()


def open_container(path: str | os.PathLike[str]) -> Container:
    """Open ``path`` as a zip or a folder; anything else is a NotAnArchiveError."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return FolderContainer(path)
    if not os.path.exists(path):
        raise NotAnArchiveError("archive.path_missing", path=path)
    if not os.path.isfile(path):
        raise NotAnArchiveError("archive.not_zip_or_folder", path=path)
    try:
        return ZipContainer(path)
    except PermissionError:
        raise NotAnArchiveError("archive.unreadable", path=path) from None
