"""Which networks a post can go to, and the posts left waiting for a login.

Bluesky and Mastodon need a login to post (``portabilite login bluesky``). X does not: without
an API login, ``post send`` gives the person X's post link with the text ready, to publish by
hand; so X is always a network one can post to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Collection

from .._time import format_iso
from ..workspace import Workspace

__all__ = [
    "POST_NETWORKS",
    "LOGIN_NETWORKS",
    "STATES",
    "QueueReport",
    "stuck_posts",
    "waiting_for_login",
]

#: every network a post can be queued for
POST_NETWORKS = ("x", "bluesky", "mastodon")
#: the networks that need a login to be posted to (X is posted to by hand without one)
LOGIN_NETWORKS = ("bluesky", "mastodon")
#: a delivery's states (``post list --json``); text output says them in words
STATES = ("queued", "sending", "sent", "scheduled", "manual", "uncertain", "failed", "cancelled")
#: the states of a delivery still to be sent by ``post send``
_TO_SEND = ("queued", "sending")


@dataclass(frozen=True)
class QueueReport:
    """A post queued (``post queue --json``): for whom, when, and the networks left out."""

    id: int
    due_at: datetime
    networks: list[str]
    #: the networks left out, and why in a sentence with what to run (not logged in)
    skipped: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "due_at": format_iso(self.due_at),
            "networks": self.networks,
            "skipped": self.skipped,
        }


def waiting_for_login(network: str, state: str, logged_in: Collection[str]) -> bool:
    """Whether a delivery in ``state`` on ``network`` waits for a login to go out."""
    return state in _TO_SEND and network in LOGIN_NETWORKS and network not in logged_in


def stuck_posts(ws: Workspace, logged_in: Collection[str]) -> dict[str, list[int]]:
    """The posts waiting for a login: network -> ids of the posts (oldest first) still to send
    there while the user is not logged in to it (never logged in, or the session is gone).
    ``logged_in``: the networks that can be posted to now (``Migration.stuck_posts()`` finds
    them). Only Bluesky and Mastodon appear: X never waits (posted by hand without a login).
    Networks with nothing waiting are left out: an empty dict says all is well."""
    stuck: dict[str, list[int]] = {}
    for network, post_id in ws.conn.execute(
        "SELECT d.network, d.post_id FROM post_delivery d JOIN post p ON p.id = d.post_id"
        " WHERE p.cancelled = 0 AND d.state IN ('queued', 'sending') ORDER BY d.post_id"
    ):
        if waiting_for_login(network, "queued", logged_in):
            stuck.setdefault(network, []).append(int(post_id))
    return {network: stuck[network] for network in LOGIN_NETWORKS if network in stuck}
