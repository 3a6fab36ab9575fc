"""Reading the followings' X profiles through the X API (``portabilite hydrate``).

Bios are where people write ``@me@instance``, ``me.bsky.social`` or a link, and the website
field holds personal domains (a domain can be a Bluesky handle). The archive has none of this;
the X API does, at a price on the pay-per-use plan: ``estimate()`` says how much before anything
is read. Each page is stored as it arrives, so an interruption loses at most one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from .._time import now_iso
from ..errors import AccountMismatchError, NoArchiveImportedError
from ..workspace import Workspace

__all__ = ["estimate", "hydrate", "hydrate_lists", "read_profiles", "store_profiles"]


def estimate(ws: Workspace) -> dict[str, Any]:
    """How many accounts a hydration reads, and what X's published price makes of it."""
    from ..networks.x import POST_COSTS_CHECKED, POST_COSTS_SOURCE, USER_READ_COST_USD

    count = ws.active_count("following")
    cost = (USER_READ_COST_USD * count).quantize(Decimal("0.01")) if USER_READ_COST_USD else None
    return {
        "accounts": count,
        "usd": cost,
        "price": USER_READ_COST_USD,
        "source": POST_COSTS_SOURCE,
        "checked": POST_COSTS_CHECKED,
    }


def _same_account(ws: Workspace, x: Any) -> Any:
    """The X account logged in, which must be the archive's (refused otherwise)."""
    account = ws.account()
    if account is None:
        raise NoArchiveImportedError("workspace.nothing_imported", path=str(ws.path))
    me = x.me()
    if me.id != account["id"]:
        raise AccountMismatchError(
            "workspace.account_mismatch",
            archive_user=me.username,
            archive_id=me.id,
            workspace_user=account["username"],
            workspace_id=account["id"],
            path=str(ws.path),
        )
    return me


def store_profiles(ws: Workspace, profiles: list[Any]) -> None:
    """Keep X profiles (``XProfile``) for the matcher, newest over older: one transaction."""
    now = now_iso()
    with ws.transaction() as db:
        db.executemany(
            "INSERT INTO x_profile (x_id, screen_name, display_name, description, website,"
            " location, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (x_id) DO UPDATE"
            " SET screen_name = excluded.screen_name, display_name = excluded.display_name,"
            " description = excluded.description, website = excluded.website,"
            " location = excluded.location, fetched_at = excluded.fetched_at",
            [
                (p.id, p.username, p.name, p.description, p.website, p.location, now)
                for p in profiles
            ],
        )


def hydrate(ws: Workspace, x: Any, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Read the followings' profiles of the logged-in X account into the workspace."""
    me = _same_account(ws, x)
    total = ws.active_count("following")
    done = 0
    for page in x.iter_following(me.id):
        store_profiles(ws, page)
        done += len(page)
        if progress is not None:
            progress(done, max(total, done))
    return done


def read_profiles(
    ws: Workspace, x: Any, ids: list[str], *, progress: Callable[[int, int], None] | None = None
) -> set[str]:
    """Read the profiles of ``ids`` (the report's sample of followers) through the X API of
    the archive's own account; returns the ids X answered for (the others are deleted or
    suspended). Each request's hundred is stored as it arrives."""
    _same_account(ws, x)
    found: set[str] = set()
    done = 0
    for page in x.users(ids):
        store_profiles(ws, page)
        found.update(p.id for p in page)
        done = min(len(ids), done + 100)
        if progress is not None:
            progress(done, len(ids))
    return found


@dataclass(frozen=True)
class OwnedList:
    """A list the user owns on X, as ``hydrate --lists`` read it."""

    list_id: str
    name: str
    description: str
    members: tuple[str, ...]  # X ids, in id order


def owned_lists(ws: Workspace) -> list[OwnedList]:
    """The X lists read by ``hydrate_lists`` (this module owns their tables)."""
    members: dict[str, list[str]] = {}
    for list_id, x_id in ws.conn.execute(
        "SELECT list_id, x_id FROM x_owned_list_member ORDER BY list_id, x_id"
    ):
        members.setdefault(list_id, []).append(x_id)
    return [
        OwnedList(list_id, name or "", description or "", tuple(members.get(list_id, ())))
        for list_id, name, description in ws.conn.execute(
            "SELECT list_id, name, description FROM x_owned_list ORDER BY list_id"
        )
    ]


def hydrate_lists(ws: Workspace, x: Any) -> dict[str, int]:
    """Read the lists the user owns on X and their members (for ``follow --lists``)."""
    me = _same_account(ws, x)
    lists = x.owned_lists(me.id)
    members = 0
    for item in lists:
        ids = x.list_members(item["id"])
        members += len(ids)
        with ws.transaction() as db:  # one list at a time: an interruption keeps the others
            db.execute(
                "INSERT INTO x_owned_list (list_id, name, description, private, fetched_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (list_id) DO UPDATE SET name = excluded.name,"
                " description = excluded.description, private = excluded.private,"
                " fetched_at = excluded.fetched_at",
                (item["id"], item["name"], item["description"], int(item["private"]), now_iso()),
            )
            db.execute("DELETE FROM x_owned_list_member WHERE list_id = ?", (item["id"],))
            db.executemany(
                "INSERT INTO x_owned_list_member (list_id, x_id) VALUES (?, ?)",
                [(item["id"], x_id) for x_id in ids],
            )
    return {"lists": len(lists), "members": members}
