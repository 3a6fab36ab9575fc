"""Applying a plan: every remote write journaled in the workspace before and after the call.

The journal (``follow_op``) makes a run resumable at any point, even after ``kill -9``:

* an op is ``planned``; just before the remote call it becomes ``sending`` (with, on Bluesky,
  the record key chosen for it) and that is committed; after the network answers it becomes
  ``done`` (or ``failed``, with the server's reason). Nothing is ``done`` unless the network
  said so.
* a run that finds ``sending`` ops asks the network what happened (Bluesky: are those record
  keys in the repository? Mastodon: does the relationship say following?) before anything else,
  so a follow is never made twice and never lost.
* Bluesky writes go 200 per ``applyWrites`` call with our own record keys; a batch the PDS
  refuses as a whole is split in halves until the one bad record is found and marked failed.
* Budgets (workspace ledger) and a daily cap well under the servers' keep the account from
  looking like spam; when they are spent the run stops and says when to come back.
"""

from __future__ import annotations

import random
import time
from typing import Any, Callable

from .._time import now_iso
from ..errors import (
    AccountUnavailableError,
    NotLoggedInError,
    RateLimitedError,
    RefusedError,
    UnreachableError,
)
from ..networks._ratelimit import bluesky_write_budget
from ..networks._tid import TidClock
from ..networks.bluesky import spend_tag
from ..workspace import Workspace, WorkspaceLedger
from ._plan import Plan

__all__ = [
    "apply_plan",
    "apply_bluesky",
    "apply_bluesky_mutes",
    "apply_mastodon",
    "apply_mastodon_lists",
    "undo",
    "journal_counts",
]

FOLLOW = "app.bsky.graph.follow"
#: journal kind -> Bluesky record collection (mutes are private actions, not records)
COLLECTIONS = {
    "follow": FOLLOW,
    "block": "app.bsky.graph.block",
    "list": "app.bsky.graph.list",
    "listitem": "app.bsky.graph.listitem",
}
#: journal kind -> the plan's list of entries
PLAN_LISTS = {"follow": "to_follow", "block": "to_block", "mute": "to_mute"}


def _entries(plan: Plan, network: str, kind: str) -> list[dict[str, Any]]:
    """The plan's entries for a journal kind; lists and their items are flattened: an item's
    target is "<X list id> <member>"."""
    part = plan.networks[network]
    if kind == "list":
        return [
            {"target": item["list_id"], "x_id": item["list_id"], "match_id": None}
            for item in part.to_lists
        ]
    if kind == "listitem":
        return [
            {
                "target": f"{item['list_id']} {member['target']}",
                "x_id": member["x_id"],
                "match_id": member["match_id"],
            }
            for item in part.to_lists
            for member in item["members"]
        ]
    return getattr(part, PLAN_LISTS[kind])


def _sync(ws: Workspace, plan: Plan, network: str, owner: str, kind: str = "follow") -> None:
    """Journal the plan's entries as ``planned`` (once: re-planning never duplicates)."""
    now = now_iso()
    entries = _entries(plan, network, kind)
    with ws.transaction() as db:
        db.executemany(
            "INSERT INTO follow_op (network, owner, kind, target, x_id, match_id, state,"
            " planned_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?) ON CONFLICT DO NOTHING",
            [(network, owner, kind, e["target"], e["x_id"], e["match_id"], now) for e in entries],
        )


def _ops(
    ws: Workspace, network: str, owner: str, state: str, kind: str = "follow"
) -> list[dict[str, Any]]:
    cols = ("id", "target", "x_id", "subject", "rkey", "uri", "batch")
    rows = ws.conn.execute(
        f"SELECT {', '.join(cols)} FROM follow_op WHERE network = ? AND owner = ? AND state = ?"
        " AND kind = ? ORDER BY id",
        (network, owner, state, kind),
    ).fetchall()
    return [dict(zip(cols, row)) for row in rows]


def _set(ws: Workspace, updates: list[tuple[Any, ...]], sql: str) -> None:
    with ws.transaction() as db:
        db.executemany(sql, updates)


# -- Bluesky ---------------------------------------------------------------------------------


def _records(client: Any, kind: str) -> list[Any]:
    return list(client.list_records(COLLECTIONS[kind])) if kind != "follow" else client.follows()


def _bluesky_reconcile(
    ws: Workspace, client: Any, owner: str, kind: str = "follow"
) -> dict[str, str]:
    """Settle ``sending`` ops from what the repository holds; returns rkey -> subject."""
    records = {r.rkey: r for r in _records(client, kind)}
    # in flight when a run stopped, or sent once and never seen: their fate is unknown, and
    # they keep their record key for good (a late write can only land under that key, and
    # the PDS refuses a second create on it: re-sending can never duplicate)
    unsure = _ops(ws, "bluesky", owner, "sending", kind) + [
        o for o in _ops(ws, "bluesky", owner, "planned", kind) if o["rkey"]
    ]
    now = now_iso()
    landed = [(records[o["rkey"]].uri, now, o["id"]) for o in unsure if o["rkey"] in records]
    lost = [o for o in unsure if o["rkey"] not in records]
    _set(ws, landed, "UPDATE follow_op SET state = 'done', uri = ?, done_at = ? WHERE id = ?")
    # a call whose records are not there never landed (a call is atomic): its points come
    # back, or a few kills between spending and sending would stall the run for an hour
    _refund(
        client,
        [{"action": "create", "collection": COLLECTIONS[kind], "rkey": o["rkey"]} for o in lost],
    )
    _set(
        ws,
        [(o["id"],) for o in lost],
        "UPDATE follow_op SET state = 'planned', batch = NULL WHERE id = ?",
    )
    return {rkey: r.value.get("subject") for rkey, r in records.items()}


def _refund(client: Any, writes: list[dict[str, Any]]) -> None:
    """Give back the budget spent on calls known never to have taken effect (by the tag of
    their first write; the other writes' tags match nothing, harmlessly)."""
    if client.budget is not None:
        client.budget.cancel([tag for tag in map(spend_tag, writes) if tag])


def _bluesky_resolve(ws: Workspace, client: Any, owner: str, kind: str = "follow") -> None:
    """Targets given by handle (an offline match) get their DID, or fail as not found."""
    if kind == "list":
        return  # a list is made, not looked up
    pending = [o for o in _ops(ws, "bluesky", owner, "planned", kind) if not o["subject"]]
    actor = (
        (lambda o: o["target"].split(" ", 1)[1]) if kind == "listitem" else (lambda o: o["target"])
    )
    dids = [(actor(o), o["id"]) for o in pending if actor(o).startswith("did:")]
    _set(ws, dids, "UPDATE follow_op SET subject = ? WHERE id = ?")
    handles = [o for o in pending if not actor(o).startswith("did:")]
    if not handles:
        return
    found = {p.handle.lower(): p.did for p in client.get_profiles([actor(o) for o in handles])}
    _set(
        ws,
        [(found[actor(o).lower()], o["id"]) for o in handles if actor(o).lower() in found],
        "UPDATE follow_op SET subject = ? WHERE id = ?",
    )
    _set(
        ws,
        [("not found on Bluesky", o["id"]) for o in handles if actor(o).lower() not in found],
        "UPDATE follow_op SET state = 'failed', error = ? WHERE id = ?",
    )


def _bluesky_send(
    ws: Workspace,
    client: Any,
    ops: list[dict[str, Any]],
    clock: TidClock,
    batch_id: int,
    kind: str = "follow",
) -> None:
    """One applyWrites call for ``ops`` (journaled before and after); a batch refused as a
    whole is split until the bad record is found."""
    now = now_iso()
    for op in ops:
        op["rkey"] = op["rkey"] or clock.next()  # minted once, kept for good
    _set(
        ws,
        [(op["rkey"], batch_id, now, op["id"]) for op in ops],
        "UPDATE follow_op SET state = 'sending', rkey = ?, batch = ?, sent_at = ? WHERE id = ?",
    )
    created = client.now_iso()
    collection = COLLECTIONS[kind]
    writes = [
        {
            "action": "create",
            "collection": collection,
            "rkey": op["rkey"],
            "value": _record(ws, client, kind, op, created),
        }
        for op in ops
    ]
    try:
        results = client.apply_writes(writes)
    except RefusedError as exc:
        # A retry of a batch whose first answer was lost is refused because its records are
        # there already (the PDS answers 500 for a record key that exists): look first.
        present = {r.rkey: r for r in _records(client, kind)}
        landed = [op for op in ops if op["rkey"] in present]
        if landed:
            done = now_iso()
            _set(
                ws,
                [(present[op["rkey"]].uri, done, op["id"]) for op in landed],
                "UPDATE follow_op SET state = 'done', uri = ?, done_at = ? WHERE id = ?",
            )
            rest = [op for op in ops if op["rkey"] not in present]
            if rest:
                _bluesky_send(ws, client, rest, clock, batch_id, kind)
            return
        # applyWrites is atomic: nothing landed. Find the bad record by halves (each keeps
        # its record key: the first attempt may still land late).
        _set(
            ws,
            [(op["id"],) for op in ops],
            "UPDATE follow_op SET state = 'planned', batch = NULL WHERE id = ?",
        )
        if len(ops) == 1:
            _set(
                ws,
                [(exc.message("en"), ops[0]["id"])],
                "UPDATE follow_op SET state = 'failed', error = ? WHERE id = ?",
            )
            return
        half = len(ops) // 2
        _bluesky_send(ws, client, ops[:half], clock, batch_id, kind)
        _bluesky_send(ws, client, ops[half:], clock, batch_id, kind)
        return
    except (RateLimitedError, NotLoggedInError) as exc:
        _set(
            ws,
            [(op["id"],) for op in ops],  # refused before anything was written
            "UPDATE follow_op SET state = 'planned', batch = NULL WHERE id = ?",
        )
        raise exc
    done = now_iso()
    _set(
        ws,
        [(r.get("uri"), done, op["id"]) for op, r in zip(ops, results)],
        "UPDATE follow_op SET state = 'done', uri = ?, done_at = ? WHERE id = ?",
    )


def _record(
    ws: Workspace, client: Any, kind: str, op: dict[str, Any], created: str
) -> dict[str, Any]:
    """The record to create for a journal op."""
    collection = COLLECTIONS[kind]
    if kind == "list":
        name, description = ws.conn.execute(
            "SELECT name, description FROM x_owned_list WHERE list_id = ?", (op["target"],)
        ).fetchone()
        return {
            "$type": collection,
            "purpose": "app.bsky.graph.defs#curatelist",
            "name": name[:64] or "X",
            "description": (description or "")[:300],
            "createdAt": created,
        }
    if kind == "listitem":
        list_id = op["target"].split(" ", 1)[0]
        row = ws.conn.execute(
            "SELECT rkey FROM follow_op WHERE network = 'bluesky' AND owner = ? AND kind = 'list'"
            " AND target = ? AND state = 'done'",
            (client.did, list_id),
        ).fetchone()
        return {
            "$type": collection,
            "subject": op["subject"],
            "list": f"at://{client.did}/{COLLECTIONS['list']}/{row[0]}",
            "createdAt": created,
        }
    return {"$type": collection, "subject": op["subject"], "createdAt": created}


def apply_bluesky(
    ws: Workspace,
    plan: Plan,
    client: Any,
    *,
    daily_cap: int,
    kind: str = "follow",
    margin: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Follows (or blocks: ``kind="block"``) as records, 200 per applyWrites call, within the
    write budget less ``margin`` (the share of each window kept in reserve)."""
    owner = client.did
    if not owner:
        raise NotLoggedInError("network.not_logged_in", network="bluesky")
    if client.budget is None:
        client.budget = bluesky_write_budget(owner, WorkspaceLedger(ws), margin=margin)
    _sync(ws, plan, "bluesky", owner, kind)
    existing = _bluesky_reconcile(ws, client, owner, kind)
    # a planned record for someone already followed (or blocked) before: nothing to write
    already = set(existing.values()) if kind in ("follow", "block") else set()
    _bluesky_resolve(ws, client, owner, kind)
    now = now_iso()
    _set(
        ws,
        [
            (now, o["id"])
            for o in _ops(ws, "bluesky", owner, "planned", kind)
            if o["subject"] in already
        ],
        "UPDATE follow_op SET state = 'done', done_at = ?, error = 'already there' WHERE id = ?",
    )
    clock = TidClock()
    todo = _ops(ws, "bluesky", owner, "planned", kind)
    if kind == "follow":
        todo = todo[: max(daily_cap - _count_today(ws, "bluesky", owner), 0)]
    if kind == "listitem":  # only into lists that exist
        made = {
            row[0]
            for row in ws.conn.execute(
                "SELECT target FROM follow_op WHERE network = 'bluesky' AND owner = ? AND"
                " kind = 'list' AND state = 'done'",
                (owner,),
            )
        }
        todo = [o for o in todo if o["target"].split(" ", 1)[0] in made]
    batch_id = int(ws.conn.execute("SELECT COALESCE(max(batch), 0) FROM follow_op").fetchone()[0])
    done = 0
    for start in range(0, len(todo), 200):
        batch = todo[start : start + 200]
        batch_id += 1
        try:
            _bluesky_send(ws, client, batch, clock, batch_id, kind)
        except UnreachableError:
            _bluesky_reconcile(ws, client, owner, kind)  # applied before the answer was lost?
            raise
        done += len(batch)
        if progress is not None:
            progress(done, len(todo))
        if start + 200 < len(todo):
            sleep(random.uniform(2.0, 5.0))  # pace bulk writes
    return journal_counts(ws, "bluesky", owner, kind)


def apply_bluesky_mutes(ws: Workspace, plan: Plan, client: Any) -> dict[str, int]:
    """Mutes are private actions on Bluesky (no record): one call each, journaled; muting
    twice is harmless, so an op found ``sending`` is simply sent again."""
    owner = client.did
    _sync(ws, plan, "bluesky", owner, "mute")
    _bluesky_resolve(ws, client, owner, "mute")
    for op in _ops(ws, "bluesky", owner, "sending", "mute") + _ops(
        ws, "bluesky", owner, "planned", "mute"
    ):
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'sending', sent_at = ? WHERE id = ?",
        )
        client.mute(op["subject"])
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'done', done_at = ? WHERE id = ?",
        )
    return journal_counts(ws, "bluesky", owner, "mute")


def _count_today(ws: Workspace, network: str, owner: str) -> int:
    """Follows portabilite made today (UTC) on this account."""
    return ws.conn.execute(
        "SELECT count(*) FROM follow_op WHERE network = ? AND owner = ? AND state = 'done'"
        " AND kind = 'follow' AND error IS NULL AND substr(done_at, 1, 10) = ?",
        (network, owner, now_iso()[:10]),
    ).fetchone()[0]


# -- Mastodon --------------------------------------------------------------------------------


def _resolve_local(ws: Workspace, client: Any, op: dict[str, Any], address: str) -> bool:
    """The account's local id on the user's instance, journaled; False (and the op failed)
    when the instance cannot find it."""
    if op["subject"]:
        return True
    account = client.resolve_account(address)
    if account is None:
        _set(
            ws,
            [("not found from your instance", op["id"])],
            "UPDATE follow_op SET state = 'failed', error = ? WHERE id = ?",
        )
        return False
    op["subject"] = account.id
    _set(ws, [(account.id, op["id"])], "UPDATE follow_op SET subject = ? WHERE id = ?")
    return True


def _took_effect(kind: str, relationship: Any) -> bool:
    if kind == "block":
        return bool(relationship.blocking)
    if kind == "mute":
        return bool(relationship.muting)
    return bool(relationship.following or relationship.requested)


def apply_mastodon(
    ws: Workspace,
    plan: Plan,
    client: Any,
    owner: str,
    *,
    daily_cap: int,
    kind: str = "follow",
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Follows (or blocks, mutes) one at a time, paced, journaled before and after."""
    from ..networks.mastodon import mastodon_budgets

    if client.follow_budget is None:
        client.follow_budget, client.request_budget = mastodon_budgets(owner, WorkspaceLedger(ws))
    _sync(ws, plan, "mastodon", owner, kind)
    # settle what a killed run left in flight: the relationship tells
    sending = _ops(ws, "mastodon", owner, "sending", kind)
    if sending:
        now = now_iso()
        states = {r.id: r for r in client.relationships([o["subject"] for o in sending])}
        landed = {
            o["id"]
            for o in sending
            if o["subject"] in states and _took_effect(kind, states[o["subject"]])
        }
        _set(
            ws,
            [(now, i) for i in landed],
            "UPDATE follow_op SET state = 'done', done_at = ? WHERE id = ?",
        )
        _set(
            ws,
            [(o["id"],) for o in sending if o["id"] not in landed],
            "UPDATE follow_op SET state = 'planned' WHERE id = ?",
        )
    todo = _ops(ws, "mastodon", owner, "planned", kind)
    room = (
        max(daily_cap - _count_today(ws, "mastodon", owner), 0) if kind == "follow" else len(todo)
    )
    done = 0
    for op in todo[:room]:
        if not _resolve_local(ws, client, op, op["target"]):
            continue
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'sending', sent_at = ? WHERE id = ?",
        )
        try:
            getattr(client, kind)(op["subject"])  # follow, block or mute
        except (AccountUnavailableError, RefusedError) as exc:
            _set(
                ws,
                [(exc.message("en"), op["id"])],
                "UPDATE follow_op SET state = 'failed', error = ? WHERE id = ?",
            )
            continue
        except RateLimitedError:
            _set(ws, [(op["id"],)], "UPDATE follow_op SET state = 'planned' WHERE id = ?")
            raise
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'done', done_at = ? WHERE id = ?",
        )
        done += 1
        if progress is not None:
            progress(done, min(len(todo), room))
        sleep(random.uniform(5.0, 15.0))  # never hammer an instance
    return journal_counts(ws, "mastodon", owner, kind)


def apply_mastodon_lists(ws: Workspace, plan: Plan, client: Any, owner: str) -> dict[str, int]:
    """The X lists the user owns, as Mastodon lists of the matched accounts (which the user
    follows: Mastodon lists only accounts one follows). Journaled like follows."""
    _sync(ws, plan, "mastodon", owner, "list")
    _sync(ws, plan, "mastodon", owner, "listitem")
    names = dict(ws.conn.execute("SELECT list_id, name FROM x_owned_list").fetchall())
    sending = _ops(ws, "mastodon", owner, "sending", "list")
    if sending:  # a list made just before a crash is found by its title
        existing = {item.title: item.id for item in client.lists()}
        for op in sending:
            title = names.get(op["target"], "X")
            if title in existing:
                _set(
                    ws,
                    [(existing[title], now_iso(), op["id"])],
                    "UPDATE follow_op SET state = 'done', subject = ?, done_at = ? WHERE id = ?",
                )
            else:
                _set(ws, [(op["id"],)], "UPDATE follow_op SET state = 'planned' WHERE id = ?")
    for op in _ops(ws, "mastodon", owner, "planned", "list"):
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'sending', sent_at = ? WHERE id = ?",
        )
        made = client.create_list(names.get(op["target"], "X")[:64] or "X")
        _set(
            ws,
            [(made.id, now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'done', subject = ?, done_at = ? WHERE id = ?",
        )
    lists = dict(
        ws.conn.execute(
            "SELECT target, subject FROM follow_op WHERE network = 'mastodon' AND owner = ?"
            " AND kind = 'list' AND state = 'done'",
            (owner,),
        ).fetchall()
    )
    for op in _ops(ws, "mastodon", owner, "sending", "listitem"):
        list_id = lists.get(op["target"].split(" ", 1)[0])
        inside = {a.id for a in client.iter_list_accounts(list_id)} if list_id else set()
        state = "done" if op["subject"] in inside else "planned"
        _set(ws, [(state, op["id"])], "UPDATE follow_op SET state = ? WHERE id = ?")
    for op in _ops(ws, "mastodon", owner, "planned", "listitem"):
        x_list, address = op["target"].split(" ", 1)
        list_id = lists.get(x_list)
        if list_id is None:
            continue
        if not _resolve_local(ws, client, op, address):
            continue
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'sending', sent_at = ? WHERE id = ?",
        )
        try:
            client.add_to_list(list_id, [op["subject"]])
        except (AccountUnavailableError, RefusedError) as exc:
            _set(
                ws,
                [(exc.message("en"), op["id"])],
                "UPDATE follow_op SET state = 'failed', error = ? WHERE id = ?",
            )
            continue
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'done', done_at = ? WHERE id = ?",
        )
    return journal_counts(ws, "mastodon", owner, "listitem")


# -- together --------------------------------------------------------------------------------


def failures(
    ws: Workspace, network: str, owner: str | None = None, kind: str = "follow"
) -> list[tuple[str, int]]:
    """Why follows failed, most common first: ``[(reason, count)]``."""
    where, params = "network = ? AND kind = ? AND state = 'failed'", [network, kind]
    if owner:
        where += " AND owner = ?"
        params.append(owner)
    return [
        (str(reason or "?"), int(n))
        for reason, n in ws.conn.execute(
            f"SELECT error, count(*) FROM follow_op WHERE {where} GROUP BY error"
            " ORDER BY count(*) DESC, error",
            params,
        )
    ]


def retry_failed(ws: Workspace, networks: list[str], kind: str = "follow") -> int:
    """Put the failed follows back in the plan (each keeps its record key); returns how many."""
    marks = ",".join("?" * len(networks))
    with ws.transaction() as db:
        return int(
            db.execute(
                f"UPDATE follow_op SET state = 'planned', error = NULL, batch = NULL WHERE"
                f" state = 'failed' AND kind = ? AND network IN ({marks})",
                [kind, *networks],
            ).rowcount
        )


def journal_counts(
    ws: Workspace, network: str, owner: str | None = None, kind: str = "follow"
) -> dict[str, int]:
    """planned (still to do), done, failed, remaining, for one network (and owner)."""
    where, params = "network = ? AND kind = ?", [network, kind]
    if owner:
        where += " AND owner = ?"
        params.append(owner)
    counts = {"planned": 0, "done": 0, "failed": 0, "undone": 0}
    for state, n in ws.conn.execute(
        f"SELECT state, count(*) FROM follow_op WHERE {where} GROUP BY state", params
    ):
        if state in ("planned", "sending"):
            counts["planned"] += n
        elif state in counts:
            counts[state] += n
    counts["remaining"] = counts["planned"]
    counts["planned"] = counts["planned"] + counts["done"] + counts["failed"]
    return counts


def _seconds_to_next_utc_day(now: float) -> float:
    return 86_400 - (now % 86_400) + random.uniform(60, 600)


def apply_plan(
    ws: Workspace,
    plan: Plan,
    clients: dict[str, Any],
    *,
    daily_caps: dict[str, int],
    wait: bool = False,
    margin: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Apply the plan on every network the user is logged in to.

    ``wait``: instead of stopping when a limit is reached (a budget, the daily cap, a long 429),
    sleep until it reopens and go on, until the plan is done."""
    result: dict[str, Any] = {"networks": {}}
    for network in plan.networks:
        client = clients.get(network)
        if client is None:
            raise NotLoggedInError("network.not_logged_in", network=network)
        report = (lambda done, total, n=network: progress(n, done, total)) if progress else None
        counts: dict[str, Any]
        extra: dict[str, Any]
        while True:
            try:
                if network == "bluesky":
                    owner = client.did
                    counts = apply_bluesky(
                        ws,
                        plan,
                        client,
                        daily_cap=daily_caps[network],
                        margin=margin,
                        sleep=sleep,
                        progress=report,
                    )
                    extra = {
                        kind: (
                            apply_bluesky_mutes(ws, plan, client)
                            if kind == "mute"
                            else apply_bluesky(
                                ws, plan, client, daily_cap=0, kind=kind, sleep=sleep
                            )
                        )
                        for kind in plan.kinds
                        if kind != "follow"
                    }
                else:
                    me = client.me()
                    owner = me.acct if "@" in me.acct else f"{me.acct}@{client.local_domain}"
                    counts = apply_mastodon(
                        ws,
                        plan,
                        client,
                        owner,
                        daily_cap=daily_caps[network],
                        sleep=sleep,
                        progress=report,
                    )
                    extra = {
                        kind: apply_mastodon(
                            ws, plan, client, owner, daily_cap=0, kind=kind, sleep=sleep
                        )
                        for kind in plan.kinds
                        if kind in ("block", "mute")
                    }
                    if "list" in plan.kinds:
                        extra["listitem"] = apply_mastodon_lists(ws, plan, client, owner)
            except RateLimitedError as exc:
                if not wait or exc.retry_at is None:
                    raise
                sleep(max(exc.retry_at.timestamp() - clock(), 0) + random.uniform(1, 30))
                continue
            if (
                wait
                and counts["remaining"]
                and _count_today(ws, network, owner) >= daily_caps[network]
            ):
                sleep(_seconds_to_next_utc_day(clock()))  # the daily cap: tomorrow
                continue
            break
        counts = {
            **counts,
            **{
                {"listitem": "lists"}.get(kind, f"{kind}s"): part
                for kind, part in extra.items()
                if kind != "list"
            },
        }
        result["networks"][network] = counts
    return result


def _bluesky_delete(client: Any, deletes: list[dict[str, Any]]) -> None:
    """One applyWrites call of deletes. The retry of a call whose first answer was lost is
    refused once the records are gone (the PDS answers 500 for a record it does not hold):
    the repository then tells what is left to delete, and only that is sent again."""
    for _ in range(3):
        try:
            client.apply_writes(deletes)
            return
        except RefusedError:
            present = {r.rkey for r in _records(client, "follow")}
            deletes = [d for d in deletes if d["rkey"] in present]
            if not deletes:
                return
    client.apply_writes(deletes)


def undo(ws: Workspace, network: str, client: Any, owner: str) -> int:
    """Remove exactly the follows portabilite created (from the journal), nothing else."""
    if network == "bluesky":
        ops = [o for o in _ops(ws, "bluesky", owner, "done") if o["rkey"]]
        resumed = _ops(ws, "bluesky", owner, "undoing")  # a killed undo goes on
        ops += resumed
        if client.budget is None:  # deletes spend the write budget too
            client.budget = bluesky_write_budget(owner, WorkspaceLedger(ws))
        removed = 0
        present = {r.rkey for r in client.follows()}  # read once, not before every batch
        # a killed undo's deletes whose records are still there never took effect
        _refund(
            client,
            [
                {"action": "delete", "collection": FOLLOW, "rkey": o["rkey"]}
                for o in resumed
                if o["rkey"] in present
            ],
        )
        for start in range(0, len(ops), 200):
            batch = ops[start : start + 200]
            _set(
                ws,
                [(o["id"],) for o in batch],
                "UPDATE follow_op SET state = 'undoing' WHERE id = ?",
            )
            deletes = [
                {"action": "delete", "collection": FOLLOW, "rkey": o["rkey"]}
                for o in batch
                if o["rkey"] in present
            ]
            if deletes:
                _bluesky_delete(client, deletes)
            _set(
                ws,
                [(now_iso(), o["id"]) for o in batch],
                "UPDATE follow_op SET state = 'undone', done_at = ? WHERE id = ?",
            )
            removed += len(deletes)
        return removed
    ops = [o for o in _ops(ws, "mastodon", owner, "done") if o["subject"]]
    for op in ops:
        client.unfollow(op["subject"])
        _set(
            ws,
            [(now_iso(), op["id"])],
            "UPDATE follow_op SET state = 'undone', done_at = ? WHERE id = ?",
        )
    return len(ops)
