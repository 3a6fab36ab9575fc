"""Crafted archives get a clean refusal or a clean import: never a traceback."""

from __future__ import annotations

import zipfile

import pytest

from portabilite import Workspace, import_archive
from portabilite.archive._js import load_js
from portabilite.archive.synthetic import ArchiveWriter
from portabilite.errors import ArchiveParseError


def test_a_number_of_thousands_of_digits_is_a_clean_refusal():
    with pytest.raises(ArchiveParseError) as err:
        load_js(b'window.YTD.x.part0 = [{"a": ' + b"9" * 5000 + b"}]", "data/x.js")
    assert "data/x.js" in str(err.value)


def test_lone_surrogates_become_replacement_characters():
    value = load_js(
        b'window.YTD.x.part0 = [{"a": "x\\ud83d y \\ud83d\\ude00 \\udc00"}]', "data/x.js"
    )
    assert value == [{"a": "x\ufffd y \U0001f600 \ufffd"}]


def test_an_archive_with_half_an_emoji_in_a_name_imports(tmp_path):
    writer = ArchiveWriter("1000000000000000001", "owner_x", "Owner")
    writer.following = ["2000000000000000001"]
    writer.add_tweet(
        "3000000000000000001",
        "2024-05-01T10:00:00Z",
        "@lea",
        mentions=[("2000000000000000001", "lea", "LHALFa")],
    )
    writer.write_zip(tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        members = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as z:
        for name, data in members.items():
            z.writestr(name, data.replace(b"LHALFa", b"L\\ud800a"))
    result = import_archive(tmp_path / "b.zip", tmp_path / "w.sqlite3")
    assert result.to_json()["counts"]["handle_hints"] == 1
    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        (name,) = ws.conn.execute("SELECT display_name FROM handle_hint").fetchone()
    assert name == "L\ufffda"


def _rewrite(src, dst, change):
    """Copy the zip ``src`` to ``dst`` with ``change(name, bytes) -> bytes`` applied, and
    extra members ``change`` may return under ``(name, None)`` -> a dict of new members."""
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members = change(members)
    with zipfile.ZipFile(dst, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def _manifest(members, edit):
    import json

    raw = members["data/manifest.js"].decode()
    head, body = raw.split("=", 1)
    value = json.loads(body.strip().rstrip(";"))
    edit(value)
    members["data/manifest.js"] = (head + "= " + json.dumps(value)).encode()
    return members


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m["dataTypes"]["following"].update(files=5),  # not a list
        lambda m: m["dataTypes"]["following"].update(files="data/following.js"),
        lambda m: m["dataTypes"]["following"]["files"][0].update(count="9" * 5000),
        lambda m: m["dataTypes"]["following"]["files"].append(
            {"fileName": "data/following-part" + "9" * 5000 + ".js", "count": "1"}
        ),
        lambda m: m["archiveInfo"].update(generationDate=float("nan")),
    ],
)
def test_an_edited_manifest_is_read_tolerantly_or_refused_cleanly(tmp_path, edit):
    from portabilite.errors import PortabiliteError

    writer = ArchiveWriter("1000000000000000001", "owner_x", "Owner")
    writer.following = ["2000000000000000001"]
    writer.write_zip(tmp_path / "a.zip")
    _rewrite(tmp_path / "a.zip", tmp_path / "b.zip", lambda ms: _manifest(ms, edit))
    try:
        result = import_archive(tmp_path / "b.zip", tmp_path / "w.sqlite3")
    except PortabiliteError:
        return  # a clean refusal is fine too
    assert result.to_json()["counts"]["following"] == 1


def test_dates_that_are_not_dates():
    from portabilite._time import parse_any

    for value in (float("nan"), float("inf"), "²⁰²⁴", "2024-0²-01T10:00:00Z", "9" * 5000):
        assert parse_any(value) is None


def test_a_part_whose_number_has_thousands_of_digits(tmp_path):
    from portabilite.errors import PortabiliteError

    writer = ArchiveWriter("1000000000000000001", "owner_x", "Owner")
    writer.following = ["2000000000000000001"]
    writer.write_zip(tmp_path / "a.zip")

    def add(members):
        members["data/following-part" + "9" * 5000 + ".js"] = members["data/following.js"]
        return members

    _rewrite(tmp_path / "a.zip", tmp_path / "b.zip", add)
    try:
        import_archive(tmp_path / "b.zip", tmp_path / "w.sqlite3")
    except PortabiliteError:
        pass  # refused cleanly, or read: never a traceback


# -- bounded in time and memory ----------------------------------------------------------------
# A hang guard, not a speed target: each of these took minutes (quadratic backtracking) or
# gigabytes before; linear work finishes them in well under a second.


class _Deadline:
    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        import signal

        def expired(*_):
            raise AssertionError(f"still running after {self.seconds} s: not linear")

        self.previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        import signal

        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


@pytest.mark.parametrize(
    "payload",
    [
        b"[{a: 1, b: " + b"x" * 2_000_000 + b"}]",  # a long run of letters
        b"[{a: '" + b"\\'" * 1_000_000 + b"}]",  # escaped quotes, never closed
        b"[{a: 1}" + b"/*" * 1_000_000 + b"]",  # comments, never closed
        b'[{a: "' + b'\\"' * 1_000_000 + b"\\",  # a string never closed, ending in a backslash
        b"[" + b",   " * 1_000_000 + b"x]",  # commas and blanks, not trailing
        b"[{" + b"a" * 1_000_000 + b"  " * 1_000_000 + b"}]",  # a key-like word, no colon
    ],
)
def test_the_tolerant_reader_is_linear(payload):
    with _Deadline(20), pytest.raises(ArchiveParseError):
        load_js(b"window.YTD.x.part0 = " + payload, "data/x.js")


def test_an_owner_edited_file_is_still_read_and_streamed(monkeypatch):
    """Prettier's output (unquoted keys, trailing commas) streams chunk by chunk like X's."""
    import io

    from portabilite.archive import _js

    monkeypatch.setattr(_js, "CHUNK_BYTES", 200)
    monkeypatch.setattr(_js, "READ_BYTES", 64)
    body = "".join(
        f'  {{\n    following: {{ accountId: "{10**18 + i}", }},\n  }},\n' for i in range(100)
    )
    data = f"window.YTD.following.part0 = [\n{body}];\n".encode()
    opened = []

    def stream():
        opened.append(1)
        return io.BufferedReader(io.BytesIO(data))

    chunks = list(_js.iter_chunks(stream, "data/following.js"))
    assert [item["following"]["accountId"] for chunk in chunks for item in chunk] == [
        str(10**18 + i) for i in range(100)
    ]
    assert len(opened) == 1 and len(chunks) > 10  # streamed: never read whole


def test_a_member_with_no_element_boundary_is_not_buffered_whole(monkeypatch):
    import io
    import tracemalloc

    from portabilite.archive import _js

    monkeypatch.setattr(_js, "MAX_ELEMENT_BYTES", 1 << 20)
    monkeypatch.setattr(_js, "WHOLE_FILE_BYTES", 2 << 20)
    data = b'window.YTD.tweets.part0 = [ {\n  "a" : "' + b"x" * (40 << 20) + b'"\n} ]'
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveParseError, match="too large"):
            list(_js.iter_chunks(lambda: io.BufferedReader(io.BytesIO(data)), "data/t.js"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20  # the 40 MiB member is never held whole


def _parts_zip(path, parts, size):
    from portabilite.archive.synthetic import ArchiveWriter

    writer = ArchiveWriter("1000000000000000001", "owner_x", "Owner")
    writer.following = ["2000000000000000001"]
    writer.write_zip(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        for n in range(1, parts + 1):
            zf.writestr(
                f"data/tweets-part{n}.js",
                f"window.YTD.tweets.part{n} = [".encode() + b" " * size + b"]",
            )


def test_many_small_padded_parts_are_a_bomb_together(tmp_path):
    from portabilite.errors import UnsafeArchiveError

    # each part is under the per-member ratio check; together they inflate ~1000x
    _parts_zip(tmp_path / "a.zip", 500, (1 << 20) - 100)
    with _Deadline(30), pytest.raises(UnsafeArchiveError, match="zip bomb"):
        import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    assert not (tmp_path / "w.sqlite3").exists()


def test_thousands_of_parts_are_refused(tmp_path):
    from portabilite.errors import UnsafeArchiveError

    _parts_zip(tmp_path / "a.zip", 1001, 1)
    with pytest.raises(UnsafeArchiveError, match="tweets.js into 1,002 files"):
        import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")


def test_the_archive_wide_size_bound(tmp_path, monkeypatch):
    from portabilite.archive import _container
    from portabilite.errors import UnsafeArchiveError

    _parts_zip(tmp_path / "a.zip", 3, 1000)
    monkeypatch.setattr(_container, "MAX_ARCHIVE_BYTES", 2500)
    with pytest.raises(UnsafeArchiveError, match="GiB"):
        import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")


# -- a folder archive: only the files listed, never through a link swapped in ----------------


@pytest.fixture
def folder(tmp_path):
    from portabilite.archive.synthetic import ArchiveWriter

    writer = ArchiveWriter("1000000000000000001", "owner_x", "Owner")
    writer.following = ["2000000000000000001"]
    writer.write_zip(tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        z.extractall(tmp_path / "archive")
    (tmp_path / "secret.js").write_bytes(
        b'window.YTD.following.part0 = [ {\n  "following" : {\n    "accountId" : "666"\n  }\n} ]'
    )
    return tmp_path


@pytest.mark.parametrize("swap", ["file_link", "dir_link", "other_file", "fifo"])
def test_a_link_swapped_in_after_listing_is_refused(folder, swap):
    import os

    from portabilite import open_archive
    from portabilite.errors import UnsafeArchiveError

    archive_dir = folder / "archive"
    with _Deadline(10), open_archive(archive_dir) as archive:
        target = archive_dir / "data" / "following.js"
        if swap == "file_link":
            target.unlink()
            target.symlink_to(folder / "secret.js")
        elif swap == "dir_link":
            (archive_dir / "data").rename(folder / "moved")
            (folder / "evil").mkdir()
            (folder / "evil" / "following.js").write_bytes((folder / "secret.js").read_bytes())
            (archive_dir / "data").symlink_to(folder / "evil")
        elif swap == "other_file":
            target.unlink()
            target.write_bytes((folder / "secret.js").read_bytes())
        else:
            target.unlink()
            os.mkfifo(target)  # opening a pipe for reading would wait for a writer for ever
        with pytest.raises(UnsafeArchiveError, match="replaced"):
            list(archive.iter_ids("following"))


def test_an_invalid_edited_file_is_refused_in_memory_proportional_to_it():
    """The worst case per byte: a key to quote every four bytes. orjson's own document takes
    about 16 bytes a value, whatever we do; the rewrite adds under two copies (the regex
    substitution it replaces kept a Python string per piece: 34 times the file)."""
    import tracemalloc

    data = b"window.YTD.x.part0 = [{" + b"a:1," * 1_000_000 + b"}x"
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveParseError, match="line 1"):
            load_js(data, "data/x.js")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 25 * len(data)
