"""Mastodon: the authenticated client (over Mastodon.py) and OAuth for an installed app, with
the names it shares re-exported from where they live.

* ``_client``: ``MastodonClient`` (OAuth included) and ``mastodon_budgets``;
* ``_models``: the result dataclasses and the shared constants (``NETWORK``, ``SCOPES``...);
* ``_errors``: what Mastodon.py and requests raise, turned into portabilite errors;
* ``portabilite.networks._addresses``: ``user@host`` addresses and instance URLs (shared with
  WebFinger);
* ``portabilite.networks.webfinger``: the WebFinger resolver (not Mastodon's own: the matcher
  uses it too).

Importing this package loads Mastodon.py and requests: import it lazily.
"""

from .._addresses import normalize_address, normalize_instance_url, parse_address
from ..webfinger import WEBFINGER_TIMEOUT, WebFingerResult, webfinger
from ._client import APP_NAME as APP_NAME
from ._client import ID_CHUNK as ID_CHUNK
from ._client import PAGE_SIZE, MastodonClient, mastodon_budgets
from ._client import USER_AGENT as USER_AGENT
from ._client import VISIBILITIES as VISIBILITIES
from ._models import (
    NETWORK,
    OOB_REDIRECT,
    SCOPES,
    AppRegistration,
    InstanceInfo,
    MastodonAccount,
    MastodonList,
    PostedStatus,
    RateLimitInfo,
    Relationship,
    ScheduledPost,
)
from ._models import AccountRef as AccountRef

__all__ = [
    "NETWORK",
    "SCOPES",
    "OOB_REDIRECT",
    "PAGE_SIZE",
    "WEBFINGER_TIMEOUT",
    "MastodonClient",
    "MastodonAccount",
    "Relationship",
    "InstanceInfo",
    "MastodonList",
    "PostedStatus",
    "ScheduledPost",
    "RateLimitInfo",
    "AppRegistration",
    "WebFingerResult",
    "webfinger",
    "parse_address",
    "normalize_address",
    "normalize_instance_url",
    "mastodon_budgets",
]
