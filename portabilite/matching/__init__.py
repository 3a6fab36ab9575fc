"""The matcher: find each followed X account on Bluesky and Mastodon, with evidence.

from portabilite.matching import import_directory, match_workspace, list_matches, decide
"""

from ._addresses import (
    bluesky_handle_guesses,
    bridged_bluesky_handle,
    bridged_mastodon_address,
    find_bluesky,
    find_mastodon,
    normalize_bluesky,
    normalize_mastodon,
)
from ._directory import DirectoryEntry, import_directory, read_directory
from ._evidence import KINDS, Evidence, score, status_of
from ._hydrate import OwnedList, estimate, hydrate, hydrate_lists, owned_lists, read_profiles
from ._matcher import Candidate, decide, list_matches, match_counts, match_workspace
from ._store import Match, audience_counts, counts_among, decide_all

__all__ = [
    "import_directory",
    "read_directory",
    "DirectoryEntry",
    "match_workspace",
    "list_matches",
    "Match",
    "match_counts",
    "audience_counts",
    "counts_among",
    "read_profiles",
    "decide",
    "decide_all",
    "Candidate",
    "Evidence",
    "KINDS",
    "score",
    "status_of",
    "estimate",
    "hydrate",
    "hydrate_lists",
    "owned_lists",
    "OwnedList",
    "normalize_bluesky",
    "normalize_mastodon",
    "find_bluesky",
    "find_mastodon",
    "bluesky_handle_guesses",
    "bridged_mastodon_address",
    "bridged_bluesky_handle",
]
