"""Exactly once whatever the network does: the real SDK and the real local PDS, with a
fault-injecting proxy of our own between them (reached through HTTP_PROXY, so the PDS the
SDK finds in the DID document after login is behind it too)."""

from __future__ import annotations

import pytest

from portabilite import Workspace
from portabilite.follow import apply_bluesky, build_plan, journal_counts, undo
from portabilite.posting import queue_post, send_due

from .faultproxy import FaultProxy
from .test_bluesky_client import make_client
from .test_follow_devnet import subjects, workspace_with_matches

pytestmark = pytest.mark.integration

WRITE = "com.atproto.repo.applyWrites"


@pytest.fixture
def proxy(monkeypatch):
    proxy = FaultProxy()
    for name in ("NO_PROXY", "no_proxy", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    yield proxy
    proxy.close()


def test_follows_and_undo_exactly_once_through_every_fault(devnet, tmp_path, proxy):
    account = devnet.create_account("faulty")
    ws_path, dids = workspace_with_matches(devnet, tmp_path, 1000)
    proxy.script = {
        "com.atproto.server.createSession": ["drop"],
        # batch 1: the write lands late, after its retry; batch 2: applied, answer lost;
        # batch 3: applied, answer cut mid-body; batch 4: a 502 then a 429; batch 5: dropped
        WRITE: [
            "late",
            "drop",
            "ok",
            "lose",
            "ok",
            "cut",
            "ok",
            "502",
            "429",
            "ok",
            "drop",
            "drop",
            "ok",
        ],
        "com.atproto.repo.listRecords": ["cut", "ok", "drop"],
    }
    with make_client(devnet) as client:
        client.login(account.handle, account.password)
        with Workspace.open(ws_path) as ws:
            counts = apply_bluesky(
                ws,
                build_plan(ws, networks=["bluesky"]),
                client,
                daily_cap=5000,
                sleep=lambda s: None,
            )
        for thread in proxy.late:
            thread.join(10)  # the late write has arrived (and been refused: its key exists)
        held = subjects(client)
    assert counts["done"] == 1000 and counts["failed"] == 0
    assert set(held) == set(dids) and max(held.values()) == 1  # each follow exactly once
    assert {"late", "lose", "cut", "502", "429", "drop"} <= set(proxy.faults(WRITE))

    proxy.script = {WRITE: ["lose", "ok", "late", "drop", "ok", "cut", "ok"]}
    with make_client(devnet) as client:
        client.login(account.handle, account.password)
        with Workspace.open(ws_path) as ws:
            assert undo(ws, "bluesky", client, client.did) == 1000
            assert journal_counts(ws, "bluesky")["undone"] == 1000
        for thread in proxy.late:
            thread.join(10)
        assert subjects(client) == {}  # exactly what portabilite made, all of it


def test_a_post_whose_answer_is_lost_is_published_once(devnet, tmp_path, writer, proxy):
    from portabilite import import_archive

    me = devnet.create_account("lostpost")
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    proxy.script = {WRITE: ["lose", "drop", "drop", "drop", "drop", "drop"]}
    with Workspace.open(tmp_path / "w.sqlite3") as ws, make_client(devnet) as client:
        client.login(me.handle, me.password)
        queue_post(ws, {"bluesky": "J'ai déménagé"})
        first = send_due(ws, {"bluesky": client})  # every answer lost: the fate is unknown
        assert [r["state"] for r in first] != ["failed"]
        second = send_due(ws, {"bluesky": client})  # settled from the repository, not re-sent
        states = [r["state"] for r in first + second]
        assert "sent" in states
        posts = [r.value["text"] for r in client.list_records("app.bsky.feed.post")]
    assert posts == ["J'ai déménagé"]
