from __future__ import annotations

import os
from pathlib import Path

import pytest

from portabilite.archive.synthetic import ArchiveWriter
from portabilite.i18n import set_language

# The real local Bluesky network (tests/devnet): the `devnet` fixture.
pytest_plugins = ["tests.devnet.fixture"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch, tmp_path_factory):
    """Tests read English unless they ask for French; no test leaks its language."""
    monkeypatch.setenv("PORTABILITE_LANG", "en")
    monkeypatch.delenv("PORTABILITE_WORKSPACE", raising=False)
    # the user data folder (the default workspace, the reminder calendar): never the real one
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the project. Absent: skipped locally, a failure under CI=true."""
    if not SHARED.is_dir():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but {SHARED} is missing: the conformance tests cannot run")
        pytest.skip(f"{SHARED} not present")
    return SHARED


def fictional_writer(n_following: int = 5, n_followers: int = 7) -> ArchiveWriter:
    """A small archive of invented accounts; ids in a range of our own."""
    base = 1_500_000_000_000_000_000
    writer = ArchiveWriter(
        str(base),
        "exemple_owner",
        "Propriétaire Exemple",
        bio="Bio d'exemple",
        website="https://t.co/x",
        location="Nulle-part",
    )
    writer.following = [str(base + 10 + i) for i in range(n_following)]
    writer.followers = [str(base + 100 + i) for i in range(n_followers)]
    writer.blocks = [str(base + 900)]
    writer.mutes = [str(base + 901)]
    writer.lists_created = ["https://twitter.com/exemple_owner/lists/amis"]
    writer.add_tweet(
        str(base + 5000),
        "2024-01-02T10:00:00Z",
        "Salut @ami0 !",
        mentions=[(str(base + 10), "ami0", "Ami Zéro")],
    )
    writer.add_tweet(
        str(base + 5001),
        "2024-02-02T10:00:00Z",
        "@ami1 oui",
        mentions=[(str(base + 11), "ami1", "Ami Un")],
        reply_to=(str(base + 11), "ami1"),
    )
    return writer


@pytest.fixture
def writer() -> ArchiveWriter:
    return fictional_writer()


@pytest.fixture
def ws_path(tmp_path) -> Path:
    return tmp_path / "ws.sqlite3"
