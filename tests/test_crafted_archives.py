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
    value = load_js(b'window.YTD.x.part0 = [{"a": "x\\ud83d y \\ud83d\\ude00 \\udc00"}]',
                    "data/x.js")
    assert value == [{"a": "x\ufffd y \U0001f600 \ufffd"}]


def test_an_archive_with_half_an_emoji_in_a_name_imports(tmp_path):
    writer = ArchiveWriter("1000000000000000001", "owner_x", "Owner")
    writer.following = ["2000000000000000001"]
    writer.add_tweet("3000000000000000001", "2024-05-01T10:00:00Z", "@lea",
                     mentions=[("2000000000000000001", "lea", "LHALFa")])
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


@pytest.mark.parametrize("edit", [
    lambda m: m["dataTypes"]["following"].update(files=5),  # not a list
    lambda m: m["dataTypes"]["following"].update(files="data/following.js"),
    lambda m: m["dataTypes"]["following"]["files"][0].update(count="9" * 5000),
    lambda m: m["dataTypes"]["following"]["files"].append(
        {"fileName": "data/following-part" + "9" * 5000 + ".js", "count": "1"}),
    lambda m: m["archiveInfo"].update(generationDate=float("nan")),
])
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
