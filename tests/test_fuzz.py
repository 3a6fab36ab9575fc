"""Whatever bytes a member holds, the import ends in success or a PortabiliteError: never
another exception, never a half-written workspace."""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portabilite import import_archive
from portabilite.errors import PortabiliteError

from .conftest import fictional_writer

_WRITER = fictional_writer()
_FILES = {
    name: "".join(pieces).encode() for name, pieces in _WRITER.files(tweets_per_part=1).items()
}
NAMES = sorted(_FILES)


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(NAMES))
    original = _FILES[name]
    how = draw(st.sampled_from(["random", "flip", "cut", "splice"]))
    if how == "random":
        data = draw(st.binary(max_size=2000))
    elif how == "flip":
        data = bytearray(original)
        for pos in draw(st.lists(st.integers(0, len(original) - 1), min_size=1, max_size=8)):
            data[pos] = draw(st.integers(0, 255))
        data = bytes(data)
    elif how == "cut":
        data = original[: draw(st.integers(0, len(original)))]
    else:
        pos = draw(st.integers(0, len(original)))
        data = original[:pos] + draw(st.binary(min_size=1, max_size=50)) + original[pos:]
    return name, data


def _import(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in files.items():
                zf.writestr(name, data)
        ws = Path(tmp) / "ws.sqlite3"
        try:
            import_archive(path, ws)
        except PortabiliteError as exc:
            str(exc)  # renders in both languages without error
            exc.message("fr")
            assert not ws.exists(), "a failed first import must not leave a workspace"
            return
        conn = sqlite3.connect(ws)
        assert conn.execute("SELECT count(*) FROM archive_import").fetchone()[0] == 1
        conn.close()


@settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated())
def test_any_bytes_in_any_member(change):
    name, data = change
    _import({**_FILES, name: data})


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(NAMES + ["data/x.js", "account.js"]), st.binary(max_size=300), max_size=4
    )
)
def test_arbitrary_archives(files):
    _import(files)
