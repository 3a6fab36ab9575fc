"""docs/library.md runs as written: the offline part, on the bundled example."""

from __future__ import annotations

from .conftest import ROOT
from .docblocks import blocks, run

PAGE = ROOT / "docs" / "library.md"


def test_the_library_guide_runs_offline_on_the_bundled_example(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))  # no saved login
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.chdir(ROOT)
    namespace = run(
        PAGE,
        {""},
        {"WORKSPACE": str(tmp_path / "me.sqlite3"), "CALENDAR": str(tmp_path / "x.ics")},
    )
    out = capsys.readouterr().out
    assert "12 accounts followed on X" in out
    assert namespace["plan"].networks["bluesky"].to_follow  # the example plans follows
    assert namespace["state"].follows["bluesky"]["done"] == 0  # offline: nothing written
    kinds = {kind for kind, _ in blocks(PAGE)}
    assert kinds == {"setup", "", "online"}  # every block is run by one test or the other
