"""The post queue on a real Mastodon 4.6.4's answers: posting and pinning now, and handing a
post far ahead to the server's own scheduler."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portabilite import Workspace, import_archive
from portabilite.networks.mastodon import MastodonClient
from portabilite.posting import list_posts, queue_post, send_due

from .test_mastodon_client import REAL_NOW, REAL_TOKEN, REAL_URL, recordings, replay  # noqa: F401

pytestmark = pytest.mark.conformance


@pytest.fixture
def ws(tmp_path, writer):
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    with Workspace.open(tmp_path / "w.sqlite3") as workspace:
        yield workspace


def client():
    return MastodonClient(REAL_URL, REAL_TOKEN, sleep=lambda s: None, clock=lambda: REAL_NOW)


def test_post_and_pin_now(replay, ws):
    post_id = queue_post(ws, {"mastodon": "Je déménage !"}, pin=True)
    with replay("test_status_pin_unpin") as cassette, client() as c:
        (report,) = send_due(ws, {"mastodon": c})
    assert report["state"] == "sent" and report["url"].startswith("http://localhost:3000/")
    assert cassette.play_count == 2  # the post, then the pin
    (post,) = list_posts(ws)
    assert post["id"] == post_id and post["deliveries"]["mastodon"]["state"] == "sent"
    assert ws.conn.execute("SELECT pinned, key FROM post_delivery").fetchone()[0] == 1


def test_far_ahead_goes_to_the_servers_scheduler(replay, ws):
    when = datetime(4000, 1, 1, 14, 33, 14, tzinfo=timezone.utc)
    queue_post(ws, {"mastodon": "please ensure adequate headroom"}, due_at=when)
    with replay("test_scheduled_status") as cassette, client() as c:
        (report,) = send_due(ws, {"mastodon": c}, now=datetime(2026, 8, 1, tzinfo=timezone.utc))
    assert report["state"] == "scheduled" and cassette.play_count == 1
    assert ws.conn.execute("SELECT remote_id FROM post_delivery").fetchone()[0] == "1"
    with replay("test_scheduled_status") as cassette, client() as c:
        assert send_due(ws, {"mastodon": c}) == []  # handed over once: nothing more to send
    assert cassette.play_count == 0


def test_cancel_withdraws_a_post_from_the_servers_scheduler(replay, ws):
    from portabilite.posting import cancel_post

    when = datetime(4000, 1, 1, 14, 33, 14, tzinfo=timezone.utc)
    post_id = queue_post(ws, {"mastodon": "please ensure adequate headroom"}, due_at=when)
    with replay("test_scheduled_status") as cassette, client() as c:
        send_due(ws, {"mastodon": c}, now=datetime(2026, 8, 1, tzinfo=timezone.utc))
        assert cancel_post(ws, post_id, c) == 1
        played = sorted(cassette.requests[i].method for i, n in cassette.play_counts.items() if n)
    assert played == ["DELETE", "POST"]  # scheduled, then withdrawn (the server answered)
    (post,) = list_posts(ws)
    assert post["deliveries"]["mastodon"]["state"] == "cancelled"
