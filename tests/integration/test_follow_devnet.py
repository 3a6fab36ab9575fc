"""The follow engine against the real local Bluesky network: batches, kill -9 and resume,
pre-existing follows, undo."""

from __future__ import annotations

from collections import Counter

import pytest

from portabilite import Workspace, import_archive
from portabilite.archive.synthetic import ArchiveWriter
from portabilite.follow import apply_bluesky, build_plan, journal_counts, undo
from portabilite.matching import import_directory, match_workspace

from .processes import kill_at_random_then_finish, logged_in_env
from .test_bluesky_client import CountingTransport, make_client

pytestmark = pytest.mark.integration
BASE = 1_900_000_000_000_000_000


def workspace_with_matches(devnet, tmp_path, n):
    """An archive following n people, and a directory mapping each to a Bluesky DID."""
    writer = ArchiveWriter(str(BASE), "owner_follow", "Owner")
    writer.following = [str(BASE + 1 + i) for i in range(n)]
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    dids = [devnet.fake_did(f"{tmp_path}-{i}") for i in range(n)]
    rows = "\n".join(f"{x},{d}" for x, d in zip(writer.following, dids))
    (tmp_path / "d.csv").write_text("x_id,bluesky\n" + rows + "\n")
    with Workspace.open(ws_path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
    return ws_path, dids


def subjects(client):
    return Counter(r.value["subject"] for r in client.follows())


def test_1000_follows_in_5_write_calls_exactly_once_and_undo(devnet, tmp_path):
    account = devnet.create_account("follower")
    ws_path, dids = workspace_with_matches(devnet, tmp_path, 1000)
    transport = CountingTransport()
    with make_client(devnet, transport) as client:
        client.login(account.handle, account.password)
        client.apply_writes(
            [
                {
                    "action": "create",
                    "collection": "app.bsky.graph.follow",
                    "value": {
                        "$type": "app.bsky.graph.follow",
                        "subject": dids[0],
                        "createdAt": client.now_iso(),
                    },
                }
            ]
        )  # followed before
        mine = devnet.fake_did("not-from-x")  # a follow portabilite has nothing to do with
        client.apply_writes(
            [
                {
                    "action": "create",
                    "collection": "app.bsky.graph.follow",
                    "value": {
                        "$type": "app.bsky.graph.follow",
                        "subject": mine,
                        "createdAt": client.now_iso(),
                    },
                }
            ]
        )
        calls_before = transport.count("com.atproto.repo.applyWrites")
        with Workspace.open(ws_path) as ws:
            plan = build_plan(
                ws,
                networks=["bluesky"],
                current={"bluesky": set(subjects(client))},
                owners={"bluesky": client.did},
            )
            assert len(plan.networks["bluesky"].to_follow) == 999  # dids[0] is followed already
            counts = apply_bluesky(ws, plan, client, daily_cap=5000, sleep=lambda s: None)
            assert counts == {"planned": 999, "done": 999, "failed": 0, "undone": 0, "remaining": 0}
            assert transport.count("com.atproto.repo.applyWrites") - calls_before == 5
            held = subjects(client)
            assert set(held) == set(dids) | {mine} and max(held.values()) == 1  # no duplicates
            # a second run finds the plan done and writes nothing
            again = build_plan(
                ws,
                networks=["bluesky"],
                current={"bluesky": set(held)},
                owners={"bluesky": client.did},
            )
            assert again.networks["bluesky"].to_follow == []
            assert apply_bluesky(ws, again, client, daily_cap=5000)["done"] == 999
            assert transport.count("com.atproto.repo.applyWrites") - calls_before == 5
            # undo removes exactly what portabilite made
            assert undo(ws, "bluesky", client, client.did) == 999
            assert set(subjects(client)) == {dids[0], mine}
            assert journal_counts(ws, "bluesky")["undone"] == 999


def test_kill_9_at_random_points_then_resume_leaves_exactly_the_plan(devnet, tmp_path, monkeypatch):
    """A 1,000-follow run killed at random points, then an undo killed at random points:
    every follow made exactly once, then exactly those removed."""
    account = devnet.create_account("killme")
    ws_path, dids = workspace_with_matches(devnet, tmp_path, 1000)
    env = logged_in_env(devnet, tmp_path, account, monkeypatch)
    kills = kill_at_random_then_finish(
        ["follow", "--network", "bluesky", "-w", str(ws_path)],
        env,
        rounds=4,
        window=(1.5, 6.0),
        seed=11,
    )
    assert kills >= 1
    with make_client(devnet) as client:
        client.login(account.handle, account.password)
        held = subjects(client)
    assert set(held) == set(dids)  # every planned follow...
    assert max(held.values()) == 1  # ...exactly once
    with Workspace.open(ws_path) as ws:
        assert journal_counts(ws, "bluesky")["done"] == 1000
    kills = kill_at_random_then_finish(
        ["unfollow", "--undo", "--network", "bluesky", "-w", str(ws_path)],
        env,
        rounds=3,
        window=(1.0, 3.0),
        seed=12,
    )
    with make_client(devnet) as client:
        client.login(account.handle, account.password)
        assert subjects(client) == {}  # exactly what portabilite made, and all of it
    with Workspace.open(ws_path) as ws:
        assert journal_counts(ws, "bluesky")["undone"] == 1000


def test_blocks_and_mutes_carried_over(devnet, tmp_path):
    me = devnet.create_account("carrier")
    troll = devnet.create_account("troll")
    noisy = devnet.create_account("noisy")
    friend = devnet.create_account("friend")
    writer = ArchiveWriter(str(BASE), "owner_moderation", "Owner")
    ids = {"troll": str(BASE + 1), "noisy": str(BASE + 2), "friend": str(BASE + 3)}
    writer.following = [ids["noisy"], ids["friend"]]
    writer.blocks = [ids["troll"]]
    writer.mutes = [ids["noisy"]]
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    (tmp_path / "d.csv").write_text(
        "x_id,bluesky\n"
        + "".join(
            f"{ids[k]},{a.did}\n"
            for k, a in (("troll", troll), ("noisy", noisy), ("friend", friend))
        )
    )
    with Workspace.open(ws_path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)  # the blocked person is matched too, though not followed
        with make_client(devnet) as client:
            client.login(me.handle, me.password)
            plan = build_plan(
                ws, networks=["bluesky"], owners={"bluesky": client.did}, blocks=True, mutes=True
            )
            assert [e["target"] for e in plan.networks["bluesky"].to_block] == [troll.did]
            assert [e["target"] for e in plan.networks["bluesky"].to_mute] == [noisy.did]
            from portabilite.follow import apply_plan

            result = apply_plan(
                ws, plan, {"bluesky": client}, daily_caps={"bluesky": 100}, sleep=lambda s: None
            )
            assert result["networks"]["bluesky"]["blocks"]["done"] == 1
            assert result["networks"]["bluesky"]["mutes"]["done"] == 1
            blocked = [r.value["subject"] for r in client.list_records("app.bsky.graph.block")]
            assert blocked == [troll.did]
            assert set(subjects(client)) == {noisy.did, friend.did}
            muted = devnet.wait_indexed(
                lambda: client._logged_in().app.bsky.graph.get_mutes().mutes, what="mutes"
            )
            assert [m.did for m in muted] == [noisy.did]
            # again: nothing new is written
            again = apply_plan(
                ws, plan, {"bluesky": client}, daily_caps={"bluesky": 100}, sleep=lambda s: None
            )
            assert [r.value["subject"] for r in client.list_records("app.bsky.graph.block")] == [
                troll.did
            ]
            assert again["networks"]["bluesky"]["blocks"]["done"] == 1


def test_owned_x_lists_become_bluesky_lists_of_matched_follows(devnet, tmp_path):
    me = devnet.create_account("curator")
    a, b = devnet.create_account("member-a"), devnet.create_account("member-b")
    writer = ArchiveWriter(str(BASE), "owner_lists", "Owner")
    ids = [str(BASE + 1), str(BASE + 2), str(BASE + 3)]  # the third has no match
    writer.following = ids
    writer.write_zip(tmp_path / "a.zip")
    ws_path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", ws_path)
    (tmp_path / "d.csv").write_text(f"x_id,bluesky\n{ids[0]},{a.did}\n{ids[1]},{b.did}\n")
    with Workspace.open(ws_path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
        with ws.transaction() as db:  # what `portabilite hydrate --lists` stores
            db.execute(
                "INSERT INTO x_owned_list (list_id, name, description, fetched_at)"
                " VALUES ('777', 'Médias locaux', 'Ma liste X', '2026-11-22T00:00:00Z')"
            )
            db.executemany(
                "INSERT INTO x_owned_list_member (list_id, x_id) VALUES ('777', ?)",
                [(x,) for x in ids],
            )
        with make_client(devnet) as client:
            client.login(me.handle, me.password)
            plan = build_plan(ws, networks=["bluesky"], owners={"bluesky": client.did}, lists=True)
            (item,) = plan.to_json()["networks"]["bluesky"]["lists"]
            assert item["name"] == "Médias locaux" and len(item["members"]) == 2
            from portabilite.follow import apply_plan

            for _ in range(2):  # the second run writes nothing new
                result = apply_plan(
                    ws, plan, {"bluesky": client}, daily_caps={"bluesky": 100}, sleep=lambda s: None
                )
            assert result["networks"]["bluesky"]["lists"]["done"] == 2
            (made,) = list(client.list_records("app.bsky.graph.list"))
            assert made.value["name"] == "Médias locaux"
            assert made.value["purpose"] == "app.bsky.graph.defs#curatelist"
            items = list(client.list_records("app.bsky.graph.listitem"))
            assert sorted(i.value["subject"] for i in items) == sorted([a.did, b.did])
            assert {i.value["list"] for i in items} == {made.uri}
