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
