"""What posting says: the redirect post, the queue, its states. English source texts; the French is in ``locale/fr``."""

from ._registry import message, plural

# -- options ---------------------------------------------------------------------------------
message(
    "help.post_network",
    "A network to post to: x, bluesky or mastodon (repeat it for several). Default: each one "
    "you can post to (X needs no login: without one you post it yourself from a link).",
)
message(
    "help.post_at",
    "When: a date and time in your time zone (2026-12-01 09:00), or with its zone "
    "(2026-12-01T09:00+01:00), 'now', or +30m, +2h, +1d.",
)
message(
    "post.networks_deprecated",
    "--networks is deprecated: give --network once per network (--network bluesky "
    "--network mastodon).",
)

# -- queueing ----------------------------------------------------------------------------------
message("post.queue.done", "Post {id} queued for {due} on {networks}.")
message("post.queue.skipped", "{service}: not queued. {reason}")
message(
    "post.queue.x_by_hand",
    "X: you are not logged in to the X API, so 'portabilite post send' will give you a link "
    "to post it yourself.",
)
message(
    "post.nowhere_to_post",
    "Nothing queued: you are logged in neither to Bluesky nor to Mastodon. Log in first: "
    "'portabilite login bluesky' or 'portabilite login mastodon'.",
)
plural(
    "post.stuck",
    "{service}: {count} post is waiting for a login to {service}: run 'portabilite login "
    "{network}'.",
    "{service}: {count} posts are waiting for a login to {service}: run 'portabilite login "
    "{network}'.",
    n="count",
)

# -- states, as post list and post send say them -----------------------------------------------
message("post.state.queued", "queued")
message("post.state.sending", "being sent")
message("post.state.sent", "sent")
message("post.state.scheduled", "scheduled on the server")
message("post.state.manual", "to post yourself from its link")
message("post.state.uncertain", "uncertain (check your profile: it is not sent again)")
message("post.state.failed", "failed")
message("post.state.cancelled", "cancelled")
message("post.state.waiting_for_login", "waiting for a login to {service}")

# -- post list ---------------------------------------------------------------------------------
message("post.list.column.id", "No.")
message("post.list.column.due", "When")
message("post.list.column.network", "Network")
message("post.list.column.state", "State")
message("post.list.column.link", "Link")

# -- post send ---------------------------------------------------------------------------------
message("post.send.line", "{service}: {state} {detail}")
message("post.send.nothing_due", "Nothing to publish now.")
message(
    "post.x_cost",
    "Posting this on X through the API costs about {price} ({kind}) at X's published "
    "prices. Post it through the API?",
)
message("post.x_cost.unknown", "an unknown amount")
message("post.x_kind.plain", "a post without a link")
message("post.x_kind.url", "a post with a link")
