"""Zips and folders: how users hand archives over, and what must be refused."""

from __future__ import annotations

import zipfile

import pytest

from portabilite import open_archive
from portabilite.archive import _container
from portabilite.errors import (
    CorruptArchiveError,
    NotAnArchiveError,
    PortabiliteError,
    UnsafeArchiveError,
)


def read_all(path):
    with open_archive(path) as archive:
        account = archive.account()
        following = list(archive.iter_ids("following"))
        return archive.layout, account, following


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"wrapper": "twitter-2026-10-01-abc"},
        {"backslashes": True},
        {"upper": True},
        {"wrapper": "Mon Archive", "backslashes": True, "upper": True},
    ],
)
def test_rezipped_archives_are_found(tmp_path, writer, options):
    path = tmp_path / "a.zip"
    writer.write_zip(path, **options)
    layout, account, following = read_all(path)
    assert layout == "data"
    assert account.id == writer.account_id
    assert following == writer.following


def test_folder_and_its_data_subfolder(tmp_path, writer):
    writer.write_folder(tmp_path / "arch")
    assert read_all(tmp_path / "arch")[2] == writer.following
    assert read_all(tmp_path / "arch" / "data")[2] == writer.following


def test_not_an_archive(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotAnArchiveError, match="neither a .zip file nor a folder"):
        open_archive(tmp_path / "notes.txt")
    with pytest.raises(NotAnArchiveError, match="no such file"):
        open_archive(tmp_path / "missing.zip")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("photos/cat.jpg", b"\xff\xd8")
    with pytest.raises(NotAnArchiveError, match="is not an X archive"):
        open_archive(other)
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotAnArchiveError):
        open_archive(tmp_path / "empty")


def test_truncated_zip(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptArchiveError, match="damaged or incomplete zip"):
        open_archive(path)


def test_corrupt_member_is_named(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("data/following.js")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 10
    for i in range(start, start + 20):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(PortabiliteError) as err:
        read_all(path)
    assert "data/following.js" in str(err.value)
    assert isinstance(err.value, (CorruptArchiveError,)) or "following.js" in str(err.value)


@pytest.mark.parametrize(
    "name", ["../evil.js", "/etc/passwd", "data/../../x.js", "C:\\evil.js", "..\\..\\evil.js"]
)
def test_member_names_escaping_the_archive_are_refused(tmp_path, writer, name):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(zipfile.ZipInfo(name), b"x")
    with pytest.raises(UnsafeArchiveError, match="points outside the archive"):
        open_archive(path)
    assert not (tmp_path.parent / "evil.js").exists()


def test_zip_bomb_is_refused_by_ratio(tmp_path, writer):
    path = tmp_path / "bomb.zip"
    writer.write_zip(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("data/follower-part1.js", "w") as fp:  # ~1000x ratio
            fp.write(b"window.YTD.follower.part1 = [" + b" " * (50 << 20) + b"]")
    with open_archive(path) as archive:
        with pytest.raises(UnsafeArchiveError, match="zip bomb"):
            list(archive.iter_ids("follower"))


def test_member_size_bound(tmp_path, writer, monkeypatch):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    with open_archive(path) as archive:
        monkeypatch.setattr(_container, "MAX_MEMBER_BYTES", 100)
        with pytest.raises(UnsafeArchiveError, match="inflates beyond 100 bytes"):
            list(archive.iter_ids("follower"))


def test_fingerprint_is_content_based(tmp_path, writer):
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    writer.write_zip(a)
    writer.write_zip(b)
    with open_archive(a) as x, open_archive(b) as y:
        assert x.fingerprint() == y.fingerprint()
    writer.following.append("1500000000000000099")
    writer.write_zip(b)
    with open_archive(a) as x, open_archive(b) as y:
        assert x.fingerprint() != y.fingerprint()
