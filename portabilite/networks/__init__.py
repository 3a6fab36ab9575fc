"""The seam between portabilite and the networks: one client per network.

* ``portabilite.networks.bluesky.BlueskyClient`` over the atproto SDK
* ``portabilite.networks.mastodon.MastodonClient`` over Mastodon.py
* ``portabilite.networks.webfinger.webfinger`` over httpx (fediverse addresses)
* ``portabilite.networks.x.XClient`` over httpx

They share one rate-limit policy (``_ratelimit``), one host guard (``_hosts``) and the
``PortabiliteError`` tree. Modules are imported lazily: ``portabilite --help`` never loads the
atproto SDK or Mastodon.py.
"""

from ._hosts import HostGuard
from ._protocols import BlueskyReader, BlueskyWriter, MastodonWriter
from ._ratelimit import (
    BLUESKY_POINTS,
    BLUESKY_WRITE_WINDOWS,
    MASTODON_FOLLOW_WINDOWS,
    MASTODON_REQUEST_WINDOWS,
    Budget,
    Decision,
    Ledger,
    MemoryLedger,
    RetryPolicy,
    Verdict,
    Window,
    bluesky_write_budget,
    call_with_retry,
    mastodon_follow_budget,
    mastodon_request_budget,
    wait_from_headers,
)
from ._tid import TidClock

__all__ = [
    "BlueskyReader",
    "BlueskyWriter",
    "MastodonWriter",
    "TidClock",
    "bluesky_write_budget",
    "mastodon_follow_budget",
    "mastodon_request_budget",
    "HostGuard",
    "Budget",
    "Window",
    "Ledger",
    "MemoryLedger",
    "RetryPolicy",
    "Verdict",
    "Decision",
    "call_with_retry",
    "wait_from_headers",
    "BLUESKY_POINTS",
    "BLUESKY_WRITE_WINDOWS",
    "MASTODON_FOLLOW_WINDOWS",
    "MASTODON_REQUEST_WINDOWS",
]
