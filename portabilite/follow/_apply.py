"""Applying a plan: every remote write journaled in the workspace before and after the call.

The journal (``follow_op``, owned by ``_journal.Journal``) makes a run resumable at any point,
even after ``kill -9``:

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

Each network has one *applier* in ``APPLIERS`` (what ``apply_plan`` runs for it); adding a
network is adding an applier, not another branch.
"""

from __future__ import annotations

import random
import time
from typing import Any, Callable, Protocol

from .._reasons import Reason, stored
from .._waiting import wait as announced_wait
from ..errors import (
    AccountUnavailableError,
    NotLoggedInError,
    RateLimitedError,
    RefusedError,
    UnreachableError,
)
from ..matching import owned_lists
from ..networks import BlueskyWriter, MastodonWriter, TidClock, bluesky_write_budget
from ..networks.bluesky import spend_tag
from ..workspace import Workspace, WorkspaceLedger
from ._journal import Journal, Op, failures, journal_counts, retry_failed
from ._plan import Plan

__all__ = [
    "apply_plan",
    "apply_bluesky",
    "apply_bluesky_mutes",
    "apply_mastodon",
    "apply_mastodon_lists",
    "undo",
    "journal_counts",
    "failures",
    "retry_failed",
    "APPLIERS",
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
    return list(getattr(part, PLAN_LISTS[kind]))


def _journal(ws: Workspace, plan: Plan, network: str, owner: str, kind: str) -> Journal:
    """The journal of ``kind`` on this account, with the plan's entries recorded in it."""
    journal = Journal(ws, network, owner, kind)
    journal.plan(_entries(plan, network, kind))
    return journal


# -- Bluesky ---------------------------------------------------------------------------------


def _records(client: BlueskyWriter, kind: str) -> list[Any]:
    return list(client.list_records(COLLECTIONS[kind])) if kind != "follow" else client.follows()


def _bluesky_reconcile(journal: Journal, client: BlueskyWriter) -> dict[str, str]:
    """Settle ``sending`` ops from what the repository holds; returns rkey -> subject."""
    records = {r.rkey: r for r in _records(client, journal.kind)}
    # in flight when a run stopped, or sent once and never seen: their fate is unknown, and
    # they keep their record key for good (a late write can only land under that key, and
    # the PDS refuses a second create on it: re-sending can never duplicate)
    unsure = journal.ops("sending") + [o for o in journal.ops("planned") if o.rkey]
    journal.done([(o, records[o.rkey].uri) for o in unsure if o.rkey in records])
    lost = [o for o in unsure if o.rkey not in records]
    # a call whose records are not there never landed (a call is atomic): its points come
    # back, or a few kills between spending and sending would stall the run for an hour
    _refund(client, "create", COLLECTIONS[journal.kind], lost)
    journal.not_sent(lost)
    return {rkey: r.value.get("subject") for rkey, r in records.items()}


def _refund(client: BlueskyWriter, action: str, collection: str, ops: list[Op]) -> None:
    """Give back the budget spent on calls known never to have taken effect (by the tag of
    their first write; the other writes' tags match nothing, harmlessly)."""
    if client.budget is not None and ops:
        writes = [{"action": action, "collection": collection, "rkey": o.rkey} for o in ops]
        client.budget.cancel([tag for tag in map(spend_tag, writes) if tag])


def _bluesky_resolve(journal: Journal, client: BlueskyWriter) -> None:
    """Targets given by handle (an offline match) get their DID, or fail as not found."""
    if journal.kind == "list":
        return  # a list is made, not looked up
    pending = [o for o in journal.ops("planned") if not o.subject]
    actor = (lambda o: o.member) if journal.kind == "listitem" else (lambda o: o.target)
    journal.resolved((o, actor(o)) for o in pending if actor(o).startswith("did:"))
    handles = [o for o in pending if not actor(o).startswith("did:")]
    if not handles:
        return
    found = {p.handle.lower(): p.did for p in client.get_profiles([actor(o) for o in handles])}
    journal.resolved((o, found[actor(o).lower()]) for o in handles if actor(o).lower() in found)
    journal.failed(
        [o for o in handles if actor(o).lower() not in found],
        stored(Reason("unavailable.not_found_bluesky")),
    )


def _bluesky_send(
    journal: Journal, client: BlueskyWriter, ops: list[Op], clock: TidClock, batch_id: int
) -> None:
    """One applyWrites call for ``ops`` (journaled before and after); a batch refused as a
    whole is split until the bad record is found."""
    for op in ops:
        op.rkey = op.rkey or clock.next()  # minted once, kept for good
    journal.sending(ops, batch_id)
    created = client.now_iso()
    collection = COLLECTIONS[journal.kind]
    writes = [
        {
            "action": "create",
            "collection": collection,
            "rkey": op.rkey,
            "value": _record(journal, client, op, created),
        }
        for op in ops
    ]
    try:
        results = client.apply_writes(writes)
    except RefusedError as exc:
        # A retry of a batch whose first answer was lost is refused because its records are
        # there already (the PDS answers 500 for a record key that exists): look first.
        present = {r.rkey: r for r in _records(client, journal.kind)}
        landed = [op for op in ops if op.rkey in present]
        if landed:
            journal.done([(op, present[op.rkey].uri) for op in landed])
            rest = [op for op in ops if op.rkey not in present]
            if rest:
                _bluesky_send(journal, client, rest, clock, batch_id)
            return
        # applyWrites is atomic: nothing landed. Find the bad record by halves (each keeps
        # its record key: the first attempt may still land late).
        journal.not_sent(ops)
        if len(ops) == 1:
            journal.failed(ops, stored(exc))
            return
        half = len(ops) // 2
        _bluesky_send(journal, client, ops[:half], clock, batch_id)
        _bluesky_send(journal, client, ops[half:], clock, batch_id)
        return
    except (RateLimitedError, NotLoggedInError):
        journal.not_sent(ops)  # refused before anything was written
        raise
    journal.done([(op, r.get("uri")) for op, r in zip(ops, results)])


def _record(journal: Journal, client: BlueskyWriter, op: Op, created: str) -> dict[str, Any]:
    """The record to create for a journal op."""
    collection = COLLECTIONS[journal.kind]
    if journal.kind == "list":
        owned = {item.list_id: item for item in owned_lists(journal.ws)}[op.target]
        return {
            "$type": collection,
            "purpose": "app.bsky.graph.defs#curatelist",
            "name": owned.name[:64] or "X",
            "description": owned.description[:300],
            "createdAt": created,
        }
    if journal.kind == "listitem":
        made = Journal(journal.ws, "bluesky", journal.owner, "list").made()[op.list_id]
        return {
            "$type": collection,
            "subject": op.subject,
            "list": f"at://{client.did}/{COLLECTIONS['list']}/{made.rkey}",
            "createdAt": created,
        }
    return {"$type": collection, "subject": op.subject, "createdAt": created}


def apply_bluesky(
    ws: Workspace,
    plan: Plan,
    client: BlueskyWriter,
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
    journal = _journal(ws, plan, "bluesky", owner, kind)
    existing = _bluesky_reconcile(journal, client)
    # a planned record for someone already followed (or blocked) before: nothing to write
    already = set(existing.values()) if kind in ("follow", "block") else set()
    _bluesky_resolve(journal, client)
    journal.done([o for o in journal.ops("planned") if o.subject in already], note="already there")
    clock = TidClock()
    todo = journal.ops("planned")
    if kind == "follow":
        todo = todo[: max(daily_cap - journal.done_today(), 0)]
    if kind == "listitem":  # only into lists that exist
        made = Journal(ws, "bluesky", owner, "list").made()
        todo = [o for o in todo if o.list_id in made]
    batch_id = journal.next_batch() - 1
    done = 0
    for start in range(0, len(todo), 200):
        batch = todo[start : start + 200]
        batch_id += 1
        try:
            _bluesky_send(journal, client, batch, clock, batch_id)
        except UnreachableError:
            _bluesky_reconcile(journal, client)  # applied before the answer was lost?
            raise
        done += len(batch)
        if progress is not None:
            progress(done, len(todo))
        if start + 200 < len(todo):
            announced_wait("bluesky", random.uniform(2.0, 5.0), "pace", sleep)  # pace bulk writes
    return journal_counts(ws, "bluesky", owner, kind)


def apply_bluesky_mutes(ws: Workspace, plan: Plan, client: BlueskyWriter) -> dict[str, int]:
    """Mutes are private actions on Bluesky (no record): one call each, journaled; muting
    twice is harmless, so an op found ``sending`` is simply sent again."""
    owner = client.did
    if not owner:
        raise NotLoggedInError("network.not_logged_in", network="bluesky")
    journal = _journal(ws, plan, "bluesky", owner, "mute")
    _bluesky_resolve(journal, client)
    for op in journal.ops("sending") + journal.ops("planned"):
        if op.subject is None:  # resolved above, or failed as not found
            continue
        journal.sending([op])
        client.mute(op.subject)
        journal.done([op])
    return journal_counts(ws, "bluesky", owner, "mute")


# -- Mastodon --------------------------------------------------------------------------------


def _resolve_local(journal: Journal, client: MastodonWriter, op: Op, address: str) -> bool:
    """The account's local id on the user's instance, journaled; False (and the op failed)
    when the instance cannot find it."""
    if op.subject:
        return True
    account = client.resolve_account(address)
    if account is None:
        journal.failed([op], stored(Reason("unavailable.not_found_instance")))
        return False
    journal.resolved([(op, account.id)])
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
    client: MastodonWriter,
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
    journal = _journal(ws, plan, "mastodon", owner, kind)
    # settle what a killed run left in flight: the relationship tells
    sending = journal.ops("sending")
    if sending:
        states = {r.id: r for r in client.relationships([o.subject for o in sending])}
        landed = [
            o for o in sending if o.subject in states and _took_effect(kind, states[o.subject])
        ]
        journal.done(landed)
        journal.not_sent([o for o in sending if o not in landed])
    todo = journal.ops("planned")
    room = max(daily_cap - journal.done_today(), 0) if kind == "follow" else len(todo)
    done = 0
    for op in todo[:room]:
        if not _resolve_local(journal, client, op, op.target):
            continue
        journal.sending([op])
        try:
            getattr(client, kind)(op.subject)  # follow, block or mute
        except (AccountUnavailableError, RefusedError) as exc:
            journal.failed([op], stored(exc))
            continue
        except RateLimitedError:
            journal.not_sent([op])
            raise
        journal.done([op])
        done += 1
        if progress is not None:
            progress(done, min(len(todo), room))
        announced_wait(
            "mastodon", random.uniform(5.0, 15.0), "pace", sleep
        )  # never hammer an instance
    return journal_counts(ws, "mastodon", owner, kind)


def apply_mastodon_lists(
    ws: Workspace, plan: Plan, client: MastodonWriter, owner: str
) -> dict[str, int]:
    """The X lists the user owns, as Mastodon lists of the matched accounts (which the user
    follows: Mastodon lists only accounts one follows). Journaled like follows."""
    lists = _journal(ws, plan, "mastodon", owner, "list")
    items = _journal(ws, plan, "mastodon", owner, "listitem")
    names = {item.list_id: item.name for item in owned_lists(ws)}
    sending = lists.ops("sending")
    if sending:  # a list made just before a crash is found by its title
        existing = {item.title: item.id for item in client.lists()}
        for op in sending:
            title = names.get(op.target, "X")
            if title in existing:
                lists.made_as(op, existing[title])
            else:
                lists.not_sent([op])
    for op in lists.ops("planned"):
        lists.sending([op])
        made = client.create_list(names.get(op.target, "X")[:64] or "X")
        lists.made_as(op, made.id)
    remote = {target: op.subject for target, op in lists.made().items()}
    for op in items.ops("sending"):
        list_id = remote.get(op.list_id)
        inside = {a.id for a in client.iter_list_accounts(list_id)} if list_id else set()
        if op.subject in inside:
            items.done([op])
        else:
            items.not_sent([op])
    for op in items.ops("planned"):
        list_id = remote.get(op.list_id)
        if list_id is None:
            continue
        if not _resolve_local(items, client, op, op.member):
            continue
        items.sending([op])
        try:
            client.add_to_list(list_id, [op.subject])
        except (AccountUnavailableError, RefusedError) as exc:
            items.failed([op], stored(exc))
            continue
        items.done([op])
    return journal_counts(ws, "mastodon", owner, "listitem")


# -- together --------------------------------------------------------------------------------


def _seconds_to_next_utc_day(now: float) -> float:
    return 86_400 - (now % 86_400) + random.uniform(60, 600)


class Applier(Protocol):
    """What ``apply_plan`` runs for one network: the account's owner key, the follows' counts,
    and the counts of the other kinds in the plan (blocks, mutes, lists)."""

    def __call__(
        self,
        ws: Workspace,
        plan: Plan,
        client: Any,
        *,
        daily_cap: int,
        margin: float,
        sleep: Callable[[float], None],
        progress: Callable[[int, int], None] | None,
    ) -> tuple[str, dict[str, int], dict[str, dict[str, int]]]: ...


def _bluesky_applier(
    ws: Workspace,
    plan: Plan,
    client: Any,
    *,
    daily_cap: int,
    margin: float,
    sleep: Callable[[float], None],
    progress: Callable[[int, int], None] | None,
) -> tuple[str, dict[str, int], dict[str, dict[str, int]]]:
    counts = apply_bluesky(
        ws, plan, client, daily_cap=daily_cap, margin=margin, sleep=sleep, progress=progress
    )
    extra = {
        kind: (
            apply_bluesky_mutes(ws, plan, client)
            if kind == "mute"
            else apply_bluesky(ws, plan, client, daily_cap=0, kind=kind, sleep=sleep)
        )
        for kind in plan.kinds
        if kind != "follow"
    }
    return client.did, counts, extra


def mastodon_owner(client: MastodonWriter) -> str:
    """The journal's key for a Mastodon account: ``user@instance``."""
    me = client.me()
    return me.acct if "@" in me.acct else f"{me.acct}@{client.local_domain}"


def _mastodon_applier(
    ws: Workspace,
    plan: Plan,
    client: Any,
    *,
    daily_cap: int,
    margin: float,
    sleep: Callable[[float], None],
    progress: Callable[[int, int], None] | None,
) -> tuple[str, dict[str, int], dict[str, dict[str, int]]]:
    owner = mastodon_owner(client)
    counts = apply_mastodon(
        ws, plan, client, owner, daily_cap=daily_cap, sleep=sleep, progress=progress
    )
    extra = {
        kind: apply_mastodon(ws, plan, client, owner, daily_cap=0, kind=kind, sleep=sleep)
        for kind in plan.kinds
        if kind in ("block", "mute")
    }
    if "list" in plan.kinds:
        extra["listitem"] = apply_mastodon_lists(ws, plan, client, owner)
    return owner, counts, extra


#: network -> its applier
APPLIERS: dict[str, Applier] = {"bluesky": _bluesky_applier, "mastodon": _mastodon_applier}


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
        while True:
            try:
                owner, counts, extra = APPLIERS[network](
                    ws,
                    plan,
                    client,
                    daily_cap=daily_caps[network],
                    margin=margin,
                    sleep=sleep,
                    progress=report,
                )
            except RateLimitedError as exc:
                if not wait or exc.retry_at is None:
                    raise
                delay = max(exc.retry_at.timestamp() - clock(), 0) + random.uniform(1, 30)
                announced_wait(network, delay, "rate_limit", sleep, clock)
                continue
            if (
                wait
                and counts["remaining"]
                and Journal(ws, network, owner).done_today() >= daily_caps[network]
            ):
                # the daily cap: tomorrow
                announced_wait(
                    network, _seconds_to_next_utc_day(clock()), "daily_cap", sleep, clock
                )
                continue
            break
        named = {
            {"listitem": "lists"}.get(kind, f"{kind}s"): part
            for kind, part in extra.items()
            if kind != "list"
        }
        result["networks"][network] = {**counts, **named}
    return result


def _bluesky_delete(client: BlueskyWriter, deletes: list[dict[str, Any]]) -> None:
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


def undoable(journal: Journal, network: str) -> list[Op]:
    """The follows ``undo`` removes: those portabilite made (a follow that was there before
    it has no record of ours), and those a killed undo left half-removed."""
    if network == "bluesky":
        return [o for o in journal.ops("done") if o.rkey] + journal.ops("undoing")
    return [o for o in journal.ops("done") if o.subject]


def undo(ws: Workspace, network: str, client: Any, owner: str) -> int:
    """Remove exactly the follows portabilite created (from the journal), nothing else."""
    journal = Journal(ws, network, owner)
    if network == "bluesky":
        resumed = journal.ops("undoing")  # a killed undo goes on
        ops = undoable(journal, network)
        if client.budget is None:  # deletes spend the write budget too
            client.budget = bluesky_write_budget(owner, WorkspaceLedger(ws))
        removed = 0
        present = {r.rkey for r in client.follows()}  # read once, not before every batch
        # a killed undo's deletes whose records are still there never took effect
        _refund(client, "delete", FOLLOW, [o for o in resumed if o.rkey in present])
        for start in range(0, len(ops), 200):
            batch = ops[start : start + 200]
            journal.undoing(batch)
            deletes = [
                {"action": "delete", "collection": FOLLOW, "rkey": o.rkey}
                for o in batch
                if o.rkey in present
            ]
            if deletes:
                _bluesky_delete(client, deletes)
            journal.undone(batch)
            removed += len(deletes)
        return removed
    ops = undoable(journal, network)
    for op in ops:
        client.unfollow(op.subject)
        journal.undone([op])
    return len(ops)
