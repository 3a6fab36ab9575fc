"""The follow engine: plan who to follow on each network, then follow them safely, resumably.

from portabilite.follow import build_plan
"""

from ._apply import (
    apply_bluesky,
    apply_bluesky_mutes,
    apply_mastodon,
    apply_mastodon_lists,
    apply_plan,
    failures,
    journal_counts,
    retry_failed,
    undo,
)
from ._plan import (
    CSV_HEADER,
    DEFAULT_DAILY_CAPS,
    MASTODON_FOLLOW_CAP,
    NetworkPlan,
    Plan,
    build_plan,
    write_mastodon_csv,
)

__all__ = [
    "build_plan",
    "Plan",
    "NetworkPlan",
    "DEFAULT_DAILY_CAPS",
    "MASTODON_FOLLOW_CAP",
    "write_mastodon_csv",
    "CSV_HEADER",
    "apply_plan",
    "apply_bluesky",
    "apply_bluesky_mutes",
    "apply_mastodon",
    "apply_mastodon_lists",
    "undo",
    "journal_counts",
    "failures",
    "retry_failed",
]
