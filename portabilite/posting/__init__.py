"""The redirect post and crossposting: compose, fit each network's limit, queue, send once."""

from ._logins import (
    LOGIN_NETWORKS,
    POST_NETWORKS,
    STATES,
    QueueReport,
    stuck_posts,
    waiting_for_login,
)
from ._queue import (
    MASTODON_SCHEDULE_AHEAD,
    Delivery,
    Post,
    cancel_post,
    list_posts,
    next_due,
    post_counts,
    queue_post,
    queued_texts,
    redirect_post,
    send_due,
)
from ._templates import DEFAULT_TEMPLATES, PLACEHOLDERS, PostError, compose, load_template
from ._text import bluesky_length, facets, mastodon_length, x_length

__all__ = [
    "compose",
    "load_template",
    "DEFAULT_TEMPLATES",
    "PLACEHOLDERS",
    "PostError",
    "facets",
    "x_length",
    "bluesky_length",
    "mastodon_length",
    "queue_post",
    "redirect_post",
    "list_posts",
    "Post",
    "Delivery",
    "cancel_post",
    "send_due",
    "next_due",
    "queued_texts",
    "post_counts",
    "MASTODON_SCHEDULE_AHEAD",
    "POST_NETWORKS",
    "LOGIN_NETWORKS",
    "STATES",
    "QueueReport",
    "stuck_posts",
    "waiting_for_login",
]
