"""The follow engine's Mastodon path with the real client, on real Mastodon 4.6.4 answers:
a resumed run follows an account it had already resolved, and records it only because the
server said so."""

from __future__ import annotations

import pytest

from portabilite import Workspace, import_archive
from portabilite.follow import apply_mastodon, build_plan, journal_counts
from portabilite.matching import import_directory, match_workspace
from portabilite.networks.mastodon import MastodonClient

from .conftest import fictional_writer
from .test_mastodon_client import REAL_NOW, REAL_TOKEN, REAL_URL, recordings, replay  # noqa: F401

pytestmark = pytest.mark.conformance

FOLLOWED_ID = "117020457624302809"  # the account the recording follows


def test_resumed_follow_on_a_real_instance(replay, tmp_path):
    writer = fictional_writer(n_following=1)
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    (tmp_path / "d.csv").write_text(
        f"x_id,mastodon\n{writer.following[0]},@admin@localhost.example\n"
    )
    with Workspace.open(path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
        plan = build_plan(ws, networks=["mastodon"])
        owner = "mastodonpy_test@localhost"
        with ws.transaction() as db:  # an earlier run resolved the account, then stopped
            db.execute(
                "INSERT INTO follow_op (network, owner, target, x_id, state, subject,"
                " planned_at) VALUES ('mastodon', ?, 'admin@localhost.example', ?,"
                " 'planned', ?, 'x')",
                (owner, writer.following[0], FOLLOWED_ID),
            )
        client = MastodonClient(REAL_URL, REAL_TOKEN, sleep=lambda s: None, clock=lambda: REAL_NOW)
        with replay("test_account_follow_unfollow") as cassette:
            counts = apply_mastodon(ws, plan, client, owner, daily_cap=10, sleep=lambda s: None)
        client.close()
        assert cassette.play_count == 1  # the follow, and nothing else
        assert counts == {"planned": 1, "done": 1, "failed": 0, "undone": 0, "remaining": 0}
        assert journal_counts(ws, "mastodon")["done"] == 1
