"""docs/library.md runs as written, every block of it, against the real local Bluesky network:
a login from the environment, follows made and undone, the redirect post sent once."""

from __future__ import annotations

import pytest

from portabilite.archive.synthetic import ArchiveWriter

from ..conftest import ROOT
from ..docblocks import run
from .processes import logged_in_env
from .test_bluesky_client import make_client
from .test_follow_devnet import subjects

pytestmark = pytest.mark.integration
BASE = 1_910_000_000_000_000_000


def test_the_library_guide_runs_whole_on_the_local_network(devnet, tmp_path, monkeypatch):
    account = devnet.create_account("libuser")
    logged_in_env(devnet, tmp_path, account, monkeypatch)
    writer = ArchiveWriter(str(BASE), "owner_library", "Owner")
    writer.following = [str(BASE + 1 + i) for i in range(30)]
    writer.write_zip(tmp_path / "a.zip")
    dids = [devnet.fake_did(f"library-{i}") for i in range(30)]
    rows = "".join(f"{x},{d}\n" for x, d in zip(writer.following, dids))
    (tmp_path / "d.csv").write_text("x_id,bluesky\n" + rows)
    namespace = run(
        ROOT / "docs" / "library.md",
        {"", "online"},
        {
            "ARCHIVE": str(tmp_path / "a.zip"),
            "DIRECTORY": str(tmp_path / "d.csv"),
            "WORKSPACE": str(tmp_path / "me.sqlite3"),
            "CALENDAR": str(tmp_path / "x.ics"),
        },
    )
    assert namespace["report"].networks["bluesky"]["done"] == 30
    assert namespace["removed"] == {"bluesky": 30}
    states = {item["network"]: item["state"] for item in namespace["sent"]}
    assert states["bluesky"] == "sent"  # (X, without a login: left for the person to post)
    assert (tmp_path / "x.ics").read_text().startswith("BEGIN:VCALENDAR")
    with make_client(devnet) as client:
        client.login(account.handle, account.password)
        assert subjects(client) == {}  # followed, then exactly undone
        posts = list(client.list_records("app.bsky.feed.post"))
    assert len(posts) == 1  # the redirect post, once
