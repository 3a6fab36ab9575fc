"""Posts queued in the workspace and delivered exactly once to each network.

Every delivery is journaled: ``queued``, then ``sending`` with its key chosen and committed
*before* the request (a Bluesky record key; a Mastodon ``Idempotency-Key``), then ``sent``
(or ``scheduled`` on the Mastodon server) only when the network said so. A send killed at
any point settles on the next run: on Bluesky by looking for the record key, on Mastodon by
sending again with the same key (the server keeps the first answer for an hour). X has no
such key: a send whose outcome is unknown becomes ``uncertain`` and is never sent again by
itself (the person checks their profile).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Collection, TypedDict

from .._reasons import shown, stored
from .._time import format_iso, now_iso, parse_any
from ..errors import PortabiliteError, UnreachableError
from ..networks import TidClock
from ..workspace import Workspace
from ._logins import waiting_for_login
from ._templates import PostError
from ._text import facets as make_facets

__all__ = [
    "queue_post",
    "redirect_post",
    "list_posts",
    "cancel_post",
    "send_due",
    "MASTODON_SCHEDULE_AHEAD",
]

#: Mastodon schedules on the server a post at least this far ahead (its own minimum is 5 min)
MASTODON_SCHEDULE_AHEAD = timedelta(minutes=6)


def redirect_post(ws: Workspace) -> int | None:
    """The redirect post already queued, scheduled or sent (on any network), if there is one."""
    row = ws.conn.execute(
        "SELECT p.id FROM post p WHERE p.kind = 'redirect' AND p.cancelled = 0 AND EXISTS"
        " (SELECT 1 FROM post_delivery d WHERE d.post_id = p.id AND d.state NOT IN"
        " ('cancelled', 'failed')) ORDER BY p.id LIMIT 1"
    ).fetchone()
    return int(row[0]) if row else None


def queue_post(
    ws: Workspace,
    texts: dict[str, str],
    *,
    due_at: datetime | None = None,
    pin: bool = False,
    lang: str | None = None,
    redirect: bool = False,
) -> int:
    """Queue ``texts`` (network -> text) for ``due_at`` (default: now); returns its id.

    ``redirect``: this is the redirect message, published once: refused (``PostError``
    naming the post) while another is queued, scheduled or sent; cancel that one first."""
    if not texts:
        raise PostError("post.no_network")
    due = format_iso(due_at) if due_at else now_iso()
    with ws.transaction() as db:  # one transaction: two commands at once cannot both queue
        if redirect:
            existing = redirect_post(ws)
            if existing is not None:
                raise PostError("post.redirect_exists", id=existing)
        row_id = db.execute(
            "INSERT INTO post (created_at, due_at, lang, pin, kind) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), due, lang, int(pin), "redirect" if redirect else "text"),
        ).lastrowid
        assert row_id is not None  # an INSERT always gives one
        post_id = int(row_id)
        db.executemany(
            "INSERT INTO post_delivery (post_id, network, text, state) VALUES (?, ?, ?, 'queued')",
            [(post_id, network, text) for network, text in texts.items()],
        )
    return post_id


class Delivery(TypedDict):
    """One post on one network."""

    state: str  # queued, sending, sent, scheduled, manual, uncertain, failed, cancelled
    text: str
    url: str | None
    error: str | None
    #: still to send on a network the user is not logged in to (``list_posts(logged_in=)``)
    waiting_for_login: bool


class Post(TypedDict):
    """A queued post and its deliveries (``post list --json``)."""

    id: int
    due_at: str
    pin: bool
    cancelled: bool
    deliveries: dict[str, Delivery]  # network -> delivery


def list_posts(ws: Workspace, logged_in: Collection[str] | None = None) -> list[Post]:
    """Every post, oldest first, with each network's delivery. ``logged_in``: the networks
    that can be posted to now; a delivery still to send on another Bluesky or Mastodon account
    is ``waiting_for_login`` (None: not known, none is)."""
    posts: dict[int, Post] = {}
    for pid, due, pin, cancelled, network, text, state, url, error in ws.conn.execute(
        "SELECT p.id, p.due_at, p.pin, p.cancelled, d.network, d.text, d.state, d.url,"
        " d.error FROM post p JOIN post_delivery d ON d.post_id = p.id ORDER BY p.id,"
        " d.network"
    ):
        post = posts.setdefault(
            pid,
            {
                "id": pid,
                "due_at": due,
                "pin": bool(pin),
                "cancelled": bool(cancelled),
                "deliveries": {},
            },
        )
        post["deliveries"][network] = {
            "state": state,
            "text": text,
            "url": url,
            "error": shown(error) or None,
            "waiting_for_login": logged_in is not None
            and waiting_for_login(network, state, logged_in),
        }
    return list(posts.values())


def cancel_post(ws: Workspace, post_id: int, mastodon: Any | None = None) -> int:
    """Cancel what is still queued of a post, and (with ``mastodon``) withdraw it from the
    Mastodon server's scheduler; returns how many deliveries were cancelled."""
    with ws.transaction() as db:
        if db.execute("SELECT 1 FROM post WHERE id = ?", (post_id,)).fetchone() is None:
            raise PostError("post.unknown_id", id=post_id)
        db.execute("UPDATE post SET cancelled = 1 WHERE id = ?", (post_id,))
        count = db.execute(
            "UPDATE post_delivery SET state = 'cancelled' WHERE post_id = ? AND state = 'queued'",
            (post_id,),
        ).rowcount
    scheduled = ws.conn.execute(
        "SELECT remote_id FROM post_delivery WHERE post_id = ? AND"
        " network = 'mastodon' AND state = 'scheduled'",
        (post_id,),
    ).fetchone()
    if scheduled and mastodon is not None:
        mastodon.cancel_scheduled(scheduled[0])  # the server said yes: then it is cancelled
        _mark(ws, post_id, "mastodon", state="cancelled")
        count += 1
    return count


def _mark(ws: Workspace, post_id: int, network: str, **fields: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in fields)
    with ws.transaction() as db:
        db.execute(
            f"UPDATE post_delivery SET {sets} WHERE post_id = ? AND network = ?",
            (*fields.values(), post_id, network),
        )


def _due(ws: Workspace, now: datetime) -> list[dict[str, Any]]:
    cols = ("post_id", "network", "text", "state", "key", "due_at", "pin", "lang")
    rows = ws.conn.execute(
        "SELECT d.post_id, d.network, d.text, d.state, d.key, p.due_at, p.pin, p.lang"
        " FROM post_delivery d JOIN post p ON p.id = d.post_id"
        " WHERE p.cancelled = 0 AND d.state IN ('queued', 'sending') ORDER BY p.due_at, d.post_id"
    ).fetchall()
    due = []
    for row in rows:
        item = dict(zip(cols, row))
        when = parse_any(item["due_at"]) or now
        ahead = when - now
        # Mastodon posts far enough ahead are handed to the server's own scheduler at once
        if when <= now or (item["network"] == "mastodon" and ahead >= MASTODON_SCHEDULE_AHEAD):
            item["when"] = when
            due.append(item)
    return due


def _send_bluesky(ws: Workspace, item: dict[str, Any], client: Any) -> None:
    key = item["key"]
    if item["state"] == "sending" and key:
        found = client.get_record("app.bsky.feed.post", key)
        if found is not None:  # it landed before the process died
            _mark(
                ws,
                item["post_id"],
                "bluesky",
                state="sent",
                remote_id=found.uri,
                url=_bsky_url(client, found.uri),
                sent_at=now_iso(),
            )
            return _pin_bluesky(ws, item, client, found.uri, found.cid)
    if not key:
        key = TidClock().next()
        _mark(ws, item["post_id"], "bluesky", state="sending", key=key)
    result = client.post(
        item["text"],
        rkey=key,
        facets=make_facets(item["text"], client.resolve_mention),
        langs=[item["lang"]] if item["lang"] else None,
    )
    _mark(
        ws,
        item["post_id"],
        "bluesky",
        state="sent",
        remote_id=result["uri"],
        url=_bsky_url(client, result["uri"]),
        sent_at=now_iso(),
    )
    _pin_bluesky(ws, item, client, result["uri"], result["cid"])


def _bsky_url(client: Any, uri: str) -> str:
    return f"https://bsky.app/profile/{client.handle or client.did}/post/{uri.rsplit('/', 1)[-1]}"


def _pin_bluesky(
    ws: Workspace, item: dict[str, Any], client: Any, uri: str, cid: str | None
) -> None:
    if item["pin"] and cid:
        client.pin(uri, cid)
        _mark(ws, item["post_id"], "bluesky", pinned=1)


def _send_mastodon(ws: Workspace, item: dict[str, Any], client: Any, now: datetime) -> None:
    key = item["key"] or uuid.uuid4().hex
    if not item["key"]:
        _mark(ws, item["post_id"], "mastodon", state="sending", key=key)
    scheduled_at = item["when"] if item["when"] - now >= MASTODON_SCHEDULE_AHEAD else None
    result = client.post_status(
        item["text"], language=item["lang"], scheduled_at=scheduled_at, idempotency_key=key
    )  # the same key again: posted once
    if scheduled_at is not None:
        _mark(
            ws,
            item["post_id"],
            "mastodon",
            state="scheduled",
            remote_id=result.id,
            sent_at=now_iso(),
        )
        return
    _mark(
        ws,
        item["post_id"],
        "mastodon",
        state="sent",
        remote_id=result.id,
        url=result.url,
        sent_at=now_iso(),
    )
    if item["pin"]:
        client.pin_status(result.id)
        _mark(ws, item["post_id"], "mastodon", pinned=1)


def _send_x(ws: Workspace, item: dict[str, Any], client: Any | None) -> None:
    from ..networks.x import intent_url

    if client is None:  # no API: the person posts it by hand
        _mark(ws, item["post_id"], "x", state="manual", url=intent_url(item["text"]))
        return
    if item["state"] == "sending":
        _mark(ws, item["post_id"], "x", state="uncertain")  # never post twice on X
        return
    _mark(ws, item["post_id"], "x", state="sending")
    try:
        post_id = client.post(item["text"])
    except UnreachableError:
        _mark(ws, item["post_id"], "x", state="uncertain")
        raise
    _mark(ws, item["post_id"], "x", state="sent", remote_id=post_id, sent_at=now_iso())


def send_due(
    ws: Workspace, clients: dict[str, Any], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Send every delivery that is due (and hand far-ahead Mastodon posts to the server's
    scheduler). ``clients``: network -> client (X optional: without it, the post is left for
    the person to publish with X's post link). Returns what happened."""
    now = now or datetime.now(timezone.utc)
    report = []
    for item in _due(ws, now):
        network = item["network"]
        try:
            if network == "bluesky":
                if "bluesky" not in clients:
                    continue
                _send_bluesky(ws, item, clients["bluesky"])
            elif network == "mastodon":
                if "mastodon" not in clients:
                    continue
                _send_mastodon(ws, item, clients["mastodon"], now)
            else:
                _send_x(ws, item, clients.get("x"))
        except PortabiliteError as exc:
            if isinstance(exc, UnreachableError) and network != "x":
                report.append(
                    {
                        "post_id": item["post_id"],
                        "network": network,
                        "state": "sending",
                        "error": exc.message(),
                    }
                )
                continue  # settled on the next run: the key is journaled
            if network == "x" and isinstance(exc, UnreachableError):
                report.append(
                    {
                        "post_id": item["post_id"],
                        "network": network,
                        "state": "uncertain",
                        "error": exc.message(),
                    }
                )
                continue
            _mark(ws, item["post_id"], network, state="failed", error=stored(exc))
        row = ws.conn.execute(
            "SELECT state, url, error FROM post_delivery WHERE post_id = ? AND network = ?",
            (item["post_id"], network),
        ).fetchone()
        report.append(
            {
                "post_id": item["post_id"],
                "network": network,
                "state": row[0],
                "url": row[1],
                "error": shown(row[2]) or None,
            }
        )
    return report


def post_counts(workspace: Workspace) -> dict[str, dict[str, int]]:
    """queued, sent, failed (and scheduled, manual, uncertain) per network."""
    counts: dict[str, dict[str, int]] = {
        n: {"queued": 0, "sent": 0, "failed": 0} for n in ("x", "bluesky", "mastodon")
    }
    for network, state, n in workspace.conn.execute(
        "SELECT network, CASE state WHEN 'sending' THEN 'queued' ELSE state END, count(*)"
        " FROM post_delivery GROUP BY 1, 2"
    ):
        counts[network][state] = counts[network].get(state, 0) + n
    return counts


def next_due(ws: Workspace) -> datetime | None:
    """When the next queued delivery is due (None when nothing is queued)."""
    row = ws.conn.execute(
        "SELECT min(p.due_at) FROM post p JOIN post_delivery d ON d.post_id = p.id"
        " WHERE p.cancelled = 0 AND d.state = 'queued'"
    ).fetchone()
    return parse_any(row[0]) if row and row[0] else None


def queued_texts(ws: Workspace, network: str) -> list[str]:
    """The texts still queued for ``network`` (to price X posts before sending them)."""
    return [
        text
        for (text,) in ws.conn.execute(
            "SELECT text FROM post_delivery WHERE network = ? AND state = 'queued' ORDER BY"
            " post_id",
            (network,),
        )
    ]
