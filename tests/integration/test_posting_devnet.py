"""Posting on the real local Bluesky network: facets read back byte for byte, the pin, and
a send that died in the middle delivered exactly once."""

from __future__ import annotations

import pytest

from portabilite import Workspace, import_archive
from portabilite.posting import queue_post, send_due

from .test_bluesky_client import make_client

pytestmark = pytest.mark.integration


def posts(client):
    return list(client.list_records("app.bsky.feed.post"))


def test_redirect_post_with_facets_and_pin(devnet, tmp_path, writer):
    me = devnet.create_account("poster")
    friend = devnet.create_account("ami")
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    text = (
        f"Été 🚲 : je déménage ! Lisez https://exemple.fr/déménagement et suivez "
        f"@{friend.handle} 🇫🇷"
    )
    with Workspace.open(tmp_path / "w.sqlite3") as ws, make_client(devnet) as client:
        client.login(me.handle, me.password)
        post_id = queue_post(ws, {"bluesky": text}, pin=True, lang="fr")
        (report,) = send_due(ws, {"bluesky": client})
        assert report["state"] == "sent" and report["url"].startswith("https://bsky.app/profile/")
        (record,) = posts(client)
        value = record.value
        assert value["text"] == text and value["langs"] == ["fr"]
        raw = text.encode("utf-8")
        spans = {
            f["features"][0]["$type"].rsplit("#", 1)[1]: raw[
                f["index"]["byteStart"] : f["index"]["byteEnd"]
            ].decode()
            for f in value["facets"]
        }
        assert spans == {"link": "https://exemple.fr/déménagement", "mention": f"@{friend.handle}"}
        mention = next(f for f in value["facets"] if f["features"][0]["$type"].endswith("#mention"))
        assert mention["features"][0]["did"] == friend.did
        profile = client.get_record("app.bsky.actor.profile", "self")
        assert profile.value["pinnedPost"]["uri"] == record.uri
        assert send_due(ws, {"bluesky": client}) == []  # nothing left: sent once
        assert (
            ws.conn.execute(
                "SELECT pinned FROM post_delivery WHERE post_id = ?", (post_id,)
            ).fetchone()[0]
            == 1
        )


def test_a_send_killed_after_the_post_landed_is_settled_not_repeated(devnet, tmp_path, writer):
    me = devnet.create_account("crash")
    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
    with Workspace.open(tmp_path / "w.sqlite3") as ws, make_client(devnet) as client:
        client.login(me.handle, me.password)
        landed = queue_post(ws, {"bluesky": "Premier message"})
        lost = queue_post(ws, {"bluesky": "Second message"})
        send_due(ws, {"bluesky": client})
        # rewind the journal to what a kill -9 leaves: 'sending' with the key chosen...
        ws.conn.execute("UPDATE post_delivery SET state = 'sending' WHERE post_id = ?", (landed,))
        # ...and one whose request never left: 'sending', its key unused on the PDS
        key = "3zzzzzzzzzzzz"
        ws.conn.execute(
            "UPDATE post_delivery SET state = 'sending', key = ? WHERE post_id = ?", (key, lost)
        )
        client.apply_writes(
            [
                {
                    "action": "delete",
                    "collection": "app.bsky.feed.post",
                    "rkey": ws.conn.execute(
                        "SELECT remote_id FROM post_delivery WHERE post_id = ?", (lost,)
                    )
                    .fetchone()[0]
                    .rsplit("/", 1)[1],
                }
            ]
        )
        report = send_due(ws, {"bluesky": client})
        assert {r["post_id"]: r["state"] for r in report} == {landed: "sent", lost: "sent"}
        texts = sorted(r.value["text"] for r in posts(client))
        assert texts == ["Premier message", "Second message"]  # each exactly once
        assert client.get_record("app.bsky.feed.post", key) is not None


def test_backlink_added_once_to_the_bluesky_profile(devnet):
    from portabilite.reserve import add_backlink_bluesky

    me = devnet.create_account("backlink", description="Journaliste à Fictiveville.")
    with make_client(devnet) as client:
        client.login(me.handle, me.password)
        assert add_backlink_bluesky(client, "VilleFictive", "fr") is True
        assert add_backlink_bluesky(client, "VilleFictive", "fr") is False  # once
        description = client.get_record("app.bsky.actor.profile", "self").value["description"]
    assert description == "Journaliste à Fictiveville.\nAnciennement @VilleFictive sur X"
    view = devnet.wait_indexed(
        lambda: (
            (devnet.appview_profile(me.did) or {}).get("description", "").endswith("sur X")
            and devnet.appview_profile(me.did)
        ),
        what="indexed description",
    )
    assert "@VilleFictive" in view["description"]


def test_post_send_killed_with_sigkill_then_resumed_publishes_each_once(
    devnet, tmp_path, writer, monkeypatch
):
    from .processes import kill_at_random_then_finish, logged_in_env

    me = devnet.create_account("sigkill")
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    env = logged_in_env(devnet, tmp_path, me, monkeypatch)
    # enough posts that a run outlasts the kill window (40 sometimes finished before it)
    texts = [f"Message numéro {i} 🚲" for i in range(200)]
    with Workspace.open(ws_path) as ws:
        for text in texts:
            queue_post(ws, {"bluesky": text})
    kills = kill_at_random_then_finish(
        ["post", "send", "-w", str(ws_path)], env, rounds=3, window=(1.0, 2.5), seed=5
    )
    with make_client(devnet) as client:
        client.login(me.handle, me.password)
        published = [r.value["text"] for r in posts(client)]
    assert sorted(published) == sorted(texts)  # every post, each exactly once
    assert kills >= 1
