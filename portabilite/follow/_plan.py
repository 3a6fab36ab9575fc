"""The plan: who to follow on each network, what is skipped and why, and how long it takes.

One account per person and network: the best candidate (confirmed before probable, then the
highest score). Skipped, each with its reason:

``already_followed``  the user follows it already (the network says so, or the journal does)
``rejected``          the matcher or the user rejected it
``awaiting_review``   probable: follow it after ``portabilite review`` (or ``--include-probable``)
``not_confirmed``     probable, and ``--only confirmed`` was asked
``blocked_on_x``      the user blocks this person on X
``mastodon_cap``      Mastodon refuses more than 7,500 follows per account
``duplicate``         another account of the same person on the same network is planned
``limit``             beyond ``--limit``
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..matching import Match, list_matches, owned_lists
from ..workspace import Workspace
from ._journal import done_targets

__all__ = [
    "Plan",
    "NetworkPlan",
    "build_plan",
    "MASTODON_FOLLOW_CAP",
    "DEFAULT_DAILY_CAPS",
    "FOLLOWS_PER_HOUR",
    "write_mastodon_csv",
    "CSV_HEADER",
    "CSV_ROWS_PER_FILE",
]

#: Mastodon refuses to follow more than 7,500 accounts (unless one has as many followers)
MASTODON_FOLLOW_CAP = 7_500
#: portabilite's own daily caps, well under the servers' (Bluesky flags bulk following as spam;
#: Mastodon allows 400 follows a day): override with --daily-cap
DEFAULT_DAILY_CAPS = {"bluesky": 1_000, "mastodon": 360}
#: pace within a day: Bluesky 1,500 creates an hour fit its 5,000-point hourly budget with a
#: 10% reserve; Mastodon one follow every 10 s or so (360 an hour at most)
FOLLOWS_PER_HOUR = {"bluesky": 1_500, "mastodon": 360}
NETWORKS = ("bluesky", "mastodon")


def follow_time(network: str, n: int, daily_cap: int) -> tuple[int, int, float]:
    """How long ``n`` follows take at least: the days the cap spreads them over, then the
    last day's share at the network's pace; as (days, hours, minutes)."""
    if not n:
        return 0, 0, 0
    days = math.ceil(n / daily_cap)
    last_day = n - (days - 1) * daily_cap
    per_hour = FOLLOWS_PER_HOUR[network]
    hours = (days - 1) * 24 + math.ceil(last_day / per_hour)
    return days, hours, round((days - 1) * 24 * 60 + last_day * 60 / per_hour, 1)


@dataclass
class NetworkPlan:
    network: str
    to_follow: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    to_block: list[dict[str, Any]] = field(default_factory=list)  # with --blocks
    to_mute: list[dict[str, Any]] = field(default_factory=list)  # with --mutes
    to_lists: list[dict[str, Any]] = field(default_factory=list)  # with --lists
    already_following: int | None = None  # from the network; None when not asked (offline)

    def estimate(self, daily_cap: int) -> dict[str, Any]:
        n = len(self.to_follow)
        days, hours, minutes = follow_time(self.network, n, daily_cap)
        estimate: dict[str, Any] = {
            "follows": n,
            "daily_cap": daily_cap,
            "days": days,
            "hours_at_least": hours,
            "minutes_at_least": minutes,
        }
        if self.network == "bluesky":
            estimate.update({"write_calls": math.ceil(n / 200), "points": 3 * n})
        else:
            estimate.update({"api_calls_at_least": 2 * n, "csv_suggested": n > 3 * daily_cap})
        return estimate


@dataclass
class Plan:
    networks: dict[str, NetworkPlan]
    daily_caps: dict[str, int]
    reconciled: dict[str, bool]  # was the user's current follow list read from the network?

    kinds: tuple[str, ...] = ("follow",)

    def to_json(self) -> dict[str, Any]:
        def extra(p: Any) -> dict[str, Any]:
            return {
                **({"to_block": p.to_block} if "block" in self.kinds else {}),
                **({"to_mute": p.to_mute} if "mute" in self.kinds else {}),
                **({"lists": p.to_lists} if "list" in self.kinds else {}),
            }

        return {
            "networks": {
                name: {
                    "to_follow": p.to_follow,
                    "skipped": p.skipped,
                    "already_following": p.already_following,
                    "reconciled": self.reconciled.get(name, False),
                    **extra(p),
                }
                for name, p in self.networks.items()
            },
            "estimate": {
                name: p.estimate(self.daily_caps[name]) for name, p in self.networks.items()
            },
        }


def _target(match: Match) -> str:
    account = match["account"]
    if match["network"] == "bluesky":
        return str(account.get("did") or account.get("handle"))
    return str(account["address"])


def _label(match: Match) -> str:
    account = match["account"]
    if match["network"] == "bluesky":
        return str(account.get("handle") or account.get("did"))
    return str(account["address"])


def build_plan(
    ws: Workspace,
    *,
    networks: Iterable[str] = NETWORKS,
    include_probable: bool = False,
    only_confirmed: bool = False,
    limit: int | None = None,
    daily_caps: dict[str, int] | None = None,
    current: dict[str, set[str]] | None = None,
    owners: dict[str, str] | None = None,
    blocks: bool = False,
    mutes: bool = False,
    lists: bool = False,
) -> Plan:
    """Plan the follows. ``current``: per network, the accounts (DIDs and handles, or
    ``user@host``) the user follows now, read from the network; ``owners``: the user's own
    account per network (the journal is per account)."""
    current = current or {}
    owners = owners or {}
    caps = {**DEFAULT_DAILY_CAPS, **(daily_caps or {})}
    blocked = ws.active_ids("block")
    plans: dict[str, NetworkPlan] = {}
    for network in networks:
        plan = NetworkPlan(
            network, already_following=(len(current[network]) if network in current else None)
        )
        journal_done = done_targets(ws, network, owners.get(network, ""))
        followed = {t.lower() for t in current.get(network, set())} | {
            t.lower() for t in journal_done
        }
        order = {"confirmed": 0, "probable": 1, "rejected": 2}
        by_person: dict[str, list[Match]] = {}
        for match in list_matches(ws, network=network, relation="following"):
            by_person.setdefault(match["x_id"], []).append(match)
        for x_id, matches in sorted(by_person.items()):
            matches.sort(key=lambda m: (order[m["status"]], m["bridged"], -m["score"]))
            best = matches[0]
            for other in matches[1:]:
                if other["status"] != "rejected":
                    plan.skipped.append(
                        {"x_id": x_id, "handle_or_address": _label(other), "reason": "duplicate"}
                    )
            entry: dict[str, Any] = {
                "x_id": x_id,
                "x_handle": best["x_handle"],
                "handle_or_address": _label(best),
                "target": _target(best),
                "account": best["account"],
                "bridged": best["bridged"],
                "status": best["status"],
                "score": best["score"],
                "evidence": [e["kind"] for e in best["evidence"]],
                "match_id": best["id"],
            }
            reason = None
            if x_id in blocked:
                reason = "blocked_on_x"
            elif best["status"] == "rejected":
                reason = "rejected"
            elif {entry["target"].lower(), entry["handle_or_address"].lower()} & followed:
                reason = "already_followed"
            elif best["status"] == "probable" and only_confirmed:
                reason = "not_confirmed"
            elif best["status"] == "probable" and not include_probable:
                reason = "awaiting_review"
            if reason:
                plan.skipped.append(
                    {
                        "x_id": x_id,
                        "handle_or_address": entry["handle_or_address"],
                        "reason": reason,
                    }
                )
            else:
                plan.to_follow.append(entry)
        if network == "mastodon":
            room = MASTODON_FOLLOW_CAP - (plan.already_following or 0)
            for entry in plan.to_follow[max(room, 0) :]:
                plan.skipped.append(
                    {
                        "x_id": entry["x_id"],
                        "handle_or_address": entry["handle_or_address"],
                        "reason": "mastodon_cap",
                    }
                )
            plan.to_follow = plan.to_follow[: max(room, 0)]
        if limit is not None:
            for entry in plan.to_follow[limit:]:
                plan.skipped.append(
                    {
                        "x_id": entry["x_id"],
                        "handle_or_address": entry["handle_or_address"],
                        "reason": "limit",
                    }
                )
            plan.to_follow = plan.to_follow[:limit]
        plans[network] = plan
    kinds = (
        ("follow",)
        + (("block",) if blocks else ())
        + (("mute",) if mutes else ())
        + (("list", "listitem") if lists else ())
    )
    for network, plan in plans.items():
        for kind, wanted in (("block", blocks), ("mute", mutes)):
            if wanted:
                setattr(plan, f"to_{kind}", _moderation(ws, network, kind))
        if lists:
            plan.to_lists = _lists(ws, network, plan, include_probable)
    return Plan(plans, {n: caps[n] for n in plans}, {n: n in current for n in plans}, kinds)


def _moderation(ws: Workspace, network: str, kind: str) -> list[dict[str, Any]]:
    """The people the user blocks (or mutes) on X, on ``network``: confirmed matches only
    (blocking the wrong person is not a small mistake)."""
    people = ws.active_ids(kind)
    entries = []
    for match in list_matches(ws, network=network, status="confirmed", relation=None):
        if match["x_id"] in people and not match["bridged"]:
            entries.append(
                {
                    "x_id": match["x_id"],
                    "x_handle": match["x_handle"],
                    "handle_or_address": _label(match),
                    "target": _target(match),
                    "status": match["status"],
                    "evidence": [e["kind"] for e in match["evidence"]],
                    "match_id": match["id"],
                }
            )
    return entries


#: Mastodon's importer takes at most this many rows per file
CSV_ROWS_PER_FILE = 20_000
CSV_HEADER = "Account address,Show boosts,Notify on new posts,Languages"


def write_mastodon_csv(plan: Plan, path: str) -> list[str]:
    """The follows planned on Mastodon, as the file Mastodon's own importer takes
    (Preferences > Import and export > Import, type "Following list", mode **Merge**: the
    "Overwrite" mode unfollows everyone else). UTF-8 without BOM, ``\n`` line ends, at most
    20,000 rows per file: ``path``, then ``path-2.csv``... Returns the files written."""
    import os

    from .._files import write_private

    rows = [entry["handle_or_address"] for entry in plan.networks["mastodon"].to_follow]
    stem, ext = os.path.splitext(path)
    files = []
    for number, start in enumerate(range(0, max(len(rows), 1), CSV_ROWS_PER_FILE), 1):
        name = path if number == 1 else f"{stem}-{number}{ext or '.csv'}"
        chunk = rows[start : start + CSV_ROWS_PER_FILE]
        # never a half-written file under the real name; readable by the person only
        write_private(
            name, "".join([CSV_HEADER + "\n"] + [f"{address},true,false,\n" for address in chunk])
        )
        files.append(name)
    return files


def _lists(
    ws: Workspace, network: str, plan: NetworkPlan, include_probable: bool
) -> list[dict[str, Any]]:
    """The X lists the user owns (read by ``hydrate --lists``), with their members limited to
    the people matched on ``network`` (and followed, or planned to be: Mastodon only lists
    accounts one follows)."""
    followed = {e["x_id"]: e for e in plan.to_follow}
    followed.update({s["x_id"]: None for s in plan.skipped if s["reason"] == "already_followed"})
    wanted = ("confirmed", "probable") if include_probable else ("confirmed",)
    best: dict[str, Match] = {}
    for match in list_matches(ws, network=network, relation=None):
        if match["status"] in wanted and not match["bridged"]:
            current = best.get(match["x_id"])
            if current is None or match["score"] > current["score"]:
                best[match["x_id"]] = match
    result = []
    for owned in owned_lists(ws):
        members = []
        for x_id in owned.members:
            chosen = best.get(x_id)
            if chosen is not None and x_id in followed:
                members.append(
                    {
                        "x_id": x_id,
                        "target": _target(chosen),
                        "handle_or_address": _label(chosen),
                        "match_id": chosen["id"],
                    }
                )
        result.append(
            {
                "list_id": owned.list_id,
                "name": owned.name,
                "description": owned.description,
                "members": members,
            }
        )
    return result
