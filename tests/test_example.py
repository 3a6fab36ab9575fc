"""The bundled example: generated, deterministic, and what the README runs."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys

from portabilite import import_archive

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "fictional-archive.zip"


def test_committed_example_is_what_the_generator_writes(tmp_path, monkeypatch):
    module = runpy.run_path(str(ROOT / "examples" / "make_example_archive.py"))
    out = tmp_path / "fresh.zip"
    module["build"]().write_zip(out, tweets_per_part=20)
    assert out.read_bytes() == EXAMPLE.read_bytes(), "run: python examples/make_example_archive.py"


def test_example_imports_with_named_followings(tmp_path):
    result = import_archive(EXAMPLE, tmp_path / "w.sqlite3")
    counts = result.counts
    assert counts["following"] == 12 and counts["following_named"] == 10
    assert result.archive["warnings"] == []


def test_library_usage_example_runs(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "library_usage.py"),
            str(EXAMPLE),
            str(tmp_path / "w.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "@VilleFictive follows 12 accounts" in done.stdout
    assert "10 followings named" in done.stdout


def test_readme_first_command_runs(tmp_path):
    """The README's first command: its portabilite steps run as written (the install steps are
    what CI's fresh-machine run exercises)."""
    readme = (ROOT / "README.md").read_text()
    first = next(line for line in readme.splitlines() if line.startswith("python3 -m venv"))
    steps = [s.strip() for s in first.split("&&") if s.strip().startswith(".venv/bin/portabilite")]
    assert any(" import examples/fictional-archive.zip" in s for s in steps)
    assert steps[-1].endswith("follow --dry-run")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    for step in steps:
        argv = [sys.executable, "-m", "portabilite"] + step.split()[1:]
        env = {
            **os.environ,
            "PORTABILITE_CONFIG_DIR": str(tmp_path / "cfg"),
            "PORTABILITE_KEYRING": "0",
        }
        done = subprocess.run(
            argv, cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env
        )
        assert done.returncode == 0, (step, done.stderr)
    # on the bundled example, offline, both networks have accounts to follow
    assert "Bluesky: 3 to follow" in done.stdout and "Mastodon: 4 to follow" in done.stdout
    assert "nothing was written" in done.stdout
