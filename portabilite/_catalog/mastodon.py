"""What the Mastodon client says. English source texts; the French is in ``locale/fr``."""

from ._registry import message, plural

# -- the server did not answer ------------------------------------------------------------
plural(
    "mastodon.unreachable_timeout",
    "{host} (Mastodon) did not answer in time ({attempts} try): check your connection or try again later.",
    "{host} (Mastodon) did not answer in time ({attempts} tries): check your connection or try again later.",
    n="attempts",
)
plural(
    "mastodon.unreachable_connection",
    "Cannot connect to {host} (Mastodon) ({attempts} try): check the server address and your connection, or try again later.",
    "Cannot connect to {host} (Mastodon) ({attempts} tries): check the server address and your connection, or try again later.",
    n="attempts",
)
message(
    "mastodon.unreachable_tls",
    "The secure connection to {host} (Mastodon) failed (certificate or TLS "
    "problem): check the server address.",
)
plural(
    "mastodon.server_unavailable",
    "{host} (Mastodon) is unavailable (HTTP {status}, {attempts} try): the server is overloaded or down; try again later.",
    "{host} (Mastodon) is unavailable (HTTP {status}, {attempts} tries): the server is overloaded or down; try again later.",
    n="attempts",
)
message(
    "mastodon.server_error",
    "{host} (Mastodon) failed with an internal error (HTTP {status}: {reason}): try "
    "again later, and tell the server's administrators if it goes on.",
)
# -- the server said no ---------------------------------------------------------------------
message(
    "mastodon.account_not_found",
    "The Mastodon account {account} was not found on {host}: it does not exist, or it was deleted.",
)
message(
    "mastodon.account_forbidden",
    "{host} does not allow this on the Mastodon account {account} ({reason}): the "
    "account may be suspended, or it blocks you.",
)
message(
    "mastodon.missing_scope",
    "portabilite's access to {host} does not cover this action ({reason}): run "
    "'portabilite login mastodon' again and accept every permission asked.",
)
message(
    "mastodon.scopes_not_granted",
    "{host} granted fewer permissions than portabilite asked for (granted: "
    "{granted}; asked: {requested}): log in again and accept all of them.",
)
message(
    "mastodon.bad_page",
    "{host} (Mastodon) sent a next-page link portabilite cannot follow ({reason}): "
    "the list would be incomplete, so it was not used.",
)
# -- WebFinger ------------------------------------------------------------------------------
message(
    "mastodon.webfinger_timeout",
    "{host} did not answer within {seconds} s when looking up {address} (WebFinger): "
    "the server may be down; try again later.",
)
message(
    "mastodon.webfinger_unreachable",
    "Cannot connect to {host} to look up {address} (WebFinger): the server may be "
    "down, or the name may not exist.",
)
message(
    "mastodon.webfinger_error",
    "{host} answered the lookup of {address} (WebFinger) with an error (HTTP "
    "{status}): try again later.",
)
