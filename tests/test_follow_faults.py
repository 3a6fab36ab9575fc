"""Fault injection for the follow engine with the real BlueskyClient over respx: a 429 storm,
a 502 in the middle of a run, and an answer lost after the PDS applied the batch."""

from __future__ import annotations

import time

import httpx
import pytest
import respx

from portabilite import Workspace
from portabilite.errors import UnreachableError
from portabilite.follow import apply_bluesky, build_plan, journal_counts
from portabilite.networks import HostGuard, RetryPolicy
from portabilite.networks.bluesky import BlueskyClient

from .test_bluesky_client import PDS, PROFILE, session_string
from .test_follow import bluesky_world

APPVIEW = "https://appview.example"


class Repo:
    """A PDS repository behind respx: applyWrites and listRecords, with scripted faults."""

    def __init__(self):
        self.records = {}
        self.script = []  # per applyWrites call: "ok", "429", "502", "lose"

    def apply(self, request):
        import json

        body = json.loads(request.content)
        fault = self.script.pop(0) if self.script else "ok"
        if fault == "429":
            return httpx.Response(
                429,
                headers={"ratelimit-reset": str(int(time.time()) + 20)},
                json={"error": "RateLimitExceeded"},
            )
        if fault == "502":
            return httpx.Response(502)
        if any(w["rkey"] in self.records for w in body["writes"]):  # as the real PDS does
            return httpx.Response(
                500, json={"error": "InternalServerError", "message": "Internal Server Error"}
            )
        for write in body["writes"]:
            self.records[write["rkey"]] = write["value"]["subject"]
        if fault == "lose":
            raise httpx.ReadTimeout("the answer never came back")
        return httpx.Response(
            200,
            json={
                "results": [
                    {
                        "$type": "com.atproto.repo.applyWrites#createResult",
                        "uri": f"at://{PROFILE['did']}/app.bsky.graph.follow/{w['rkey']}",
                        "cid": "bafy",
                    }
                    for w in body["writes"]
                ]
            },
        )

    def list(self, request):
        items = sorted(self.records.items())
        return httpx.Response(
            200,
            json={
                "records": [
                    {
                        "uri": f"at://{PROFILE['did']}/app.bsky.graph.follow/{k}",
                        "cid": "bafy",
                        "value": {
                            "$type": "app.bsky.graph.follow",
                            "subject": v,
                            "createdAt": "2026-11-22T00:00:00.000Z",
                        },
                    }
                    for k, v in items
                ]
            },
        )


def _serve(repo):
    """``repo`` answering applyWrites and listRecords, for as long as the test runs."""
    with respx.mock:
        respx.post(f"{PDS}/xrpc/com.atproto.repo.applyWrites").mock(side_effect=repo.apply)
        respx.get(f"{PDS}/xrpc/com.atproto.repo.listRecords").mock(side_effect=repo.list)
        yield repo


@pytest.fixture
def pds():
    yield from _serve(Repo())


def client(waits):
    c = BlueskyClient(
        appview=APPVIEW,
        pds=PDS,
        guard=HostGuard([APPVIEW, PDS], resolver=None),
        sleep=waits.append,
        policy=RetryPolicy(attempts=4, base_delay=1, max_delay=4),
    )
    c.resume(session_string())
    return c


def test_429_storm_and_502_mid_run_are_waited_out(pds, tmp_path):
    path, dids = bluesky_world(tmp_path, 450)
    pds.script = ["ok", "429", "429", "502", "ok"]
    waits = []
    with Workspace.open(path) as ws, client(waits) as c:
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
    assert counts["done"] == 450 and sorted(pds.records.values()) == sorted(dids)
    assert sum(1 for w in waits if w >= 19) == 2  # the two 429s: the server's reset, obeyed


def test_lost_answer_after_the_pds_applied_is_reconciled(pds, tmp_path):
    """The first batch lands but its answer is lost; the client's retry is refused (500, as a
    real PDS answers for record keys that exist): the engine finds the records by their keys."""
    path, dids = bluesky_world(tmp_path, 300)
    pds.script = ["lose"]
    waits = []
    with Workspace.open(path) as ws, client(waits) as c:
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
        failed = journal_counts(ws, "bluesky")["failed"]
    assert counts["done"] == 300 and failed == 0
    assert sorted(pds.records.values()) == sorted(dids)  # each exactly once


def test_every_answer_lost_stops_and_the_next_run_settles(pds, tmp_path):
    path, dids = bluesky_world(tmp_path, 300)
    pds.apply_orig = pds.apply

    def always_lose(request):
        response = pds.apply_orig(request)
        raise (
            httpx.ReadTimeout("lost") if response.status_code == 200 else httpx.ConnectError("down")
        )

    respx.post(f"{PDS}/xrpc/com.atproto.repo.applyWrites").mock(side_effect=always_lose)
    waits = []
    with Workspace.open(path) as ws, client(waits) as c:
        with pytest.raises(UnreachableError):
            apply_bluesky(
                ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
            )
        assert journal_counts(ws, "bluesky")["done"] == 200  # reconciled from the repository
        respx.post(f"{PDS}/xrpc/com.atproto.repo.applyWrites").mock(side_effect=pds.apply)
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
    assert counts["done"] == 300 and sorted(pds.records.values()) == sorted(dids)


class LateRepo(Repo):
    """A PDS whose first write lands late: its answer is lost, the next connection drops
    without an answer (``httpx.RemoteProtocolError``), and the late write lands just before
    the request after that is handled."""

    def __init__(self):
        super().__init__()
        self.pending = None

    def apply(self, request):
        import json

        fault = self.script[0] if self.script else "ok"
        if fault == "late":
            self.script.pop(0)
            self.pending = json.loads(request.content)["writes"]
            raise httpx.ReadTimeout("the answer never came back")
        if fault == "drop":
            self.script.pop(0)
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        if self.pending is not None:  # the late write lands now
            for write in self.pending:
                self.records[write["rkey"]] = write["value"]["subject"]
            self.pending = None
        return super().apply(request)


@pytest.fixture
def late_pds():
    yield from _serve(LateRepo())


def test_a_dropped_connection_is_retried_and_a_late_write_never_duplicates(late_pds, tmp_path):
    path, dids = bluesky_world(tmp_path, 100)
    late_pds.script = ["late", "drop"]
    waits = []
    with Workspace.open(path) as ws, client(waits) as c:
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
        failed = journal_counts(ws, "bluesky")["failed"]
    assert counts["done"] == 100 and failed == 0
    assert len(late_pds.records) == 100  # each follow exactly once
    assert sorted(late_pds.records.values()) == sorted(dids)


def test_a_resumed_run_keeps_the_record_keys_of_follows_whose_fate_is_unknown(late_pds, tmp_path):
    """Run 1: the write's answer is lost and every retry drops: the run stops, nothing seen
    in the repository. The late write lands afterwards. Run 2 must not mint new keys."""
    path, dids = bluesky_world(tmp_path, 50)
    late_pds.script = ["late", "drop", "drop", "drop"]
    waits = []
    with Workspace.open(path) as ws, client(waits) as c:
        with pytest.raises(UnreachableError):
            apply_bluesky(
                ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
            )
        keys = {row[0] for row in ws.conn.execute("SELECT rkey FROM follow_op")}
        assert journal_counts(ws, "bluesky")["done"] == 0 and None not in keys
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
        assert {row[0] for row in ws.conn.execute("SELECT rkey FROM follow_op")} == keys
    assert counts["done"] == 50 and len(late_pds.records) == 50
    assert sorted(late_pds.records.values()) == sorted(dids)


class Killed(BaseException):
    """The process dies here (like SIGKILL: no except clause of ours runs)."""


def test_kills_between_spending_and_sending_give_the_points_back(pds, tmp_path):
    """Each run is killed after the budget spend is committed and before the request leaves.
    Ten such kills of 600 points each are twice the hourly budget: without refunds the next
    run would wait an hour. Found never to have landed, their points come back."""
    from portabilite.networks._ratelimit import bluesky_write_budget
    from portabilite.workspace import WorkspaceLedger

    path, dids = bluesky_world(tmp_path, 200)
    real_apply = pds.apply
    kills = {"left": 10}

    def apply(request):
        if kills["left"]:
            kills["left"] -= 1
            raise Killed
        return real_apply(request)

    respx.post(f"{PDS}/xrpc/com.atproto.repo.applyWrites").mock(side_effect=apply)
    for _ in range(10):
        with Workspace.open(path) as ws, client([]) as c:
            with pytest.raises(Killed):
                apply_bluesky(
                    ws,
                    build_plan(ws, networks=["bluesky"]),
                    c,
                    daily_cap=1000,
                    sleep=lambda s: None,
                )
    with Workspace.open(path) as ws, client([]) as c:
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
        budget = bluesky_write_budget(c.did, WorkspaceLedger(ws))
        assert budget.available() == 4_500 - 600  # only the batch that landed is spent
    assert counts["done"] == 200 and sorted(pds.records.values()) == sorted(dids)


def test_a_killed_undo_gives_back_the_deletes_that_never_left(pds, tmp_path):
    from portabilite.follow import undo
    from portabilite.networks._ratelimit import bluesky_write_budget
    from portabilite.workspace import WorkspaceLedger

    path, dids = bluesky_world(tmp_path, 200)
    with Workspace.open(path) as ws, client([]) as c:
        apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), c, daily_cap=1000, sleep=lambda s: None
        )
    real_apply = pds.apply

    def apply(request):
        import json

        body = json.loads(request.content)
        if body["writes"][0]["$type"].endswith("#delete"):
            if kills["left"]:
                kills["left"] -= 1
                raise Killed
            for write in body["writes"]:
                pds.records.pop(write["rkey"], None)
            return httpx.Response(200, json={"results": []})
        return real_apply(request)

    kills = {"left": 3}
    respx.post(f"{PDS}/xrpc/com.atproto.repo.applyWrites").mock(side_effect=apply)
    for _ in range(3):
        with Workspace.open(path) as ws, client([]) as c, pytest.raises(Killed):
            undo(ws, "bluesky", c, c.did)
    with Workspace.open(path) as ws, client([]) as c:
        assert undo(ws, "bluesky", c, c.did) == 200
        budget = bluesky_write_budget(c.did, WorkspaceLedger(ws))
        assert budget.available() == 4_500 - 600 - 200  # the follows, then one real delete
    assert pds.records == {}
