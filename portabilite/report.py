"""How portable the audience is: the figures of ``portabilite report`` (issue 14).

Communication teams must answer, for their officials: *is our audience on the network we move
to? How portable is it?* The report puts together what the workspace knows: where the
accounts followed and the followers are (confirmed, to review, not found), the top Mastodon
servers, the bridged accounts, the follows made and left with the days they still take, the
redirect post and the handle's reserve.

The portable share of the followers is a proportion with its 95% interval (Wilson's, which
stays inside [0, 1] and holds for small counts and shares near 0 or 1, where the normal
approximation does not). Without a random sample it is computed over every follower and is a
**lower bound**: only the followers the archive names or a directory lists can be looked up,
so those the workspace cannot name count as not found.
"""

from __future__ import annotations

import math
from typing import Any

from .follow import DEFAULT_DAILY_CAPS
from .follow._journal import journal_counts
from .matching import audience_counts
from .posting import post_counts
from .reserve import reserve_state
from .workspace import Workspace

__all__ = ["Z_95", "build_report", "sample_size", "wilson"]

#: the normal quantile of a two-sided 95% interval
Z_95 = 1.959963984540054


def wilson(found: int, checked: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson's score interval for ``found`` successes in ``checked`` trials."""
    if checked <= 0:
        return (0.0, 1.0)
    p = found / checked
    centre = p + z * z / (2 * checked)
    spread = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked))
    denominator = 1 + z * z / checked
    return (max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator))


def sample_size(margin: float, population: int, z: float = Z_95) -> int:
    """How many followers to check at random for a share within ``margin`` (0.05: five
    points) at 95%, the worst case p = 0.5, corrected for a finite ``population``."""
    if population <= 0:
        return 0
    infinite = z * z * 0.25 / (margin * margin)
    return min(population, math.ceil(infinite / (1 + (infinite - 1) / population)))


def _share(found: int, total: int) -> dict[str, Any]:
    low, high = wilson(found, total)
    return {
        "found": found,
        "total": total,
        "share": found / total if total else None,
        "interval_95": [low, high],
        "method": "known",  # every follower, what the workspace can name: a lower bound
    }


def build_report(ws: Workspace, daily_caps: dict[str, int] | None = None) -> dict[str, Any]:
    """The report's figures, as ``portabilite report --json`` prints them."""
    caps = {**DEFAULT_DAILY_CAPS, **(daily_caps or {})}
    following = audience_counts(ws, "following")
    followers = audience_counts(ws, "follower")
    follows = {}
    for network in ("bluesky", "mastodon"):
        counts = journal_counts(ws, network)
        # what the journal still plans, or the confirmed accounts not followed yet when
        # `follow` has not planned them (the plan itself may read the network: not here)
        left = max(counts["remaining"], following[network]["confirmed"] - counts["done"], 0)
        follows[network] = {
            "done": counts["done"],
            "failed": counts["failed"],
            "remaining": left,
            "days_left": math.ceil(left / caps[network]) if left else 0,
        }
    return {
        "following": following,
        "followers": followers,
        "portable": {
            "following": _share(following["anywhere"], following["total"]),
            "followers": _share(followers["anywhere"], followers["total"]),
        },
        "follows": follows,
        "posts": post_counts(ws),
        "reserve": reserve_state(ws),
    }
