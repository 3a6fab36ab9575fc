"""Keeping the X handle: the account stays, as a signpost, so nobody can take the name.

Deactivating an X account starts a 30-day countdown after which the handle is released, and X
may remove accounts that do not log in for a while: portabilite never deactivates or deletes
anything (there is no such code path, and a test scans for one). What it does:

1. the redirect bio and website (the bio at most 160 characters), set through the X API when
   the credentials allow it, otherwise given to paste by hand;
2. the redirect post, queued to be pinned (``portabilite post``);
3. the back-link on the new accounts ("formerly @handle on X"), with consent: it makes the
   user findable by other people's matchers;
4. a calendar file with a reminder every 25 days to log in to X, and the logins the user
   records (``reserve --logged-in``), so ``status`` can warn when one is due;
5. a checklist of what not to do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from ._escape import for_ics
from ._time import now_iso, parse_any
from .i18n import get_language, t
from .workspace import Workspace

__all__ = [
    "redirect_bio",
    "calendar",
    "record_login",
    "reserve_state",
    "mark_step",
    "checklist",
    "backlink_text",
    "add_backlink_bluesky",
    "add_backlink_mastodon",
    "REMINDER_DAYS",
    "BIO_LIMIT",
    "STEPS",
]

REMINDER_DAYS = 25  # X may remove accounts without a login for about 30 days
BIO_LIMIT = 160
STEPS = ("bio", "post", "backlink", "calendar", "checklist")


def redirect_bio(identity: dict[str, str | None], lang: str | None = None) -> str:
    """The X bio that points the way, within 160 characters (the longest form that fits)."""
    lang = lang or get_language()
    parts = []
    if identity.get("bluesky"):
        parts.append(f"Bluesky @{identity['bluesky']}")
    if identity.get("mastodon"):
        parts.append(f"Mastodon @{identity['mastodon']}")
    # before any login: places for the person to fill, never "I have moved: ."
    places = " · ".join(parts) or t("reserve.places_to_fill", lang)
    for key in ("reserve.bio_long", "reserve.bio_short"):
        bio = t(key, lang, places=places)
        if len(bio) <= BIO_LIMIT:
            return bio
    return places[:BIO_LIMIT]


def backlink_text(x_handle: str, lang: str | None = None) -> str:
    return t("reserve.backlink", lang or get_language(), x_handle=x_handle)


def calendar(x_handle: str, *, start: date | None = None, lang: str | None = None) -> str:
    """An iCalendar file (RFC 5545) with an all-day reminder every 25 days to log in to X."""
    lang = lang or get_language()
    start = start or (datetime.now(timezone.utc).date() + timedelta(days=REMINDER_DAYS))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    summary = for_ics(t("reserve.ics_summary", lang, x_handle=x_handle))
    description = for_ics(t("reserve.ics_description", lang, x_handle=x_handle))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//portabilite//reserve//" + lang.upper(),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:portabilite-reserve-{for_ics(x_handle.lower())}@portabilite.invalid",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(start + timedelta(days=1)).strftime('%Y%m%d')}",
        f"RRULE:FREQ=DAILY;INTERVAL={REMINDER_DAYS}",
        f"SUMMARY:{summary}",
        f"DESCRIPTION:{description}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{summary}",
        "TRIGGER:PT9H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets are folded (CRLF + a space)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def mark_step(ws: Workspace, step: str, detail: str | None = None) -> None:
    with ws.transaction() as db:
        db.execute(
            "INSERT INTO reserve_step (step, done_at, detail) VALUES (?, ?, ?)"
            " ON CONFLICT (step) DO UPDATE SET done_at = excluded.done_at,"
            " detail = excluded.detail",
            (step, now_iso(), detail),
        )


def record_login(ws: Workspace, at: datetime | None = None) -> None:
    """The user logged in to X (``portabilite reserve --logged-in``)."""
    from ._time import format_iso

    with ws.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO x_login (at) VALUES (?)", (format_iso(at) if at else now_iso(),)
        )


def reserve_state(ws: Workspace, now: datetime | None = None) -> dict[str, Any]:
    """Steps done, the last recorded login, days since, the next reminder, and whether a
    login is due (``status --json``'s ``reserve``)."""
    now = now or datetime.now(timezone.utc)
    steps = {step: done for step, done in ws.conn.execute("SELECT step, done_at FROM reserve_step")}
    last = ws.conn.execute("SELECT max(at) FROM x_login").fetchone()[0]
    since = None
    next_reminder = None
    if last:
        moment = parse_any(last) or now
        since = (now - moment).days
        next_reminder = (moment + timedelta(days=REMINDER_DAYS)).date().isoformat()
    # the next login is due REMINDER_DAYS after the last one recorded; with none recorded,
    # after the archive's date (the user was logged in to X to ask for it)
    next_login, basis = next_reminder, "login" if next_reminder else None
    archived = None if last else ws.newest_generated_at()
    if archived and parse_any(archived):
        moment = parse_any(archived) or now
        next_login, basis = (moment + timedelta(days=REMINDER_DAYS)).date().isoformat(), "archive"
    return {
        "steps": {step: steps.get(step) for step in STEPS},
        "next_login": next_login,
        "next_login_from": basis,
        "last_login": last,
        "days_since_login": since,
        "next_reminder": next_reminder,
        "login_due": since is not None and since >= REMINDER_DAYS,
    }


def checklist(lang: str | None = None) -> list[str]:
    lang = lang or get_language()
    return [t(f"reserve.check_{n}", lang) for n in range(1, 6)]


def add_backlink_bluesky(client: Any, x_handle: str, lang: str | None = None) -> bool:
    """Add "formerly @handle on X" to the Bluesky description (256 graphemes at most);
    False when it is there already."""
    from .posting import bluesky_length

    line = backlink_text(x_handle, lang)
    added = []

    def change(value: dict[str, Any]) -> dict[str, Any]:
        description = str(value.get("description") or "")
        if f"@{x_handle.lower()}" in description.lower():
            return value
        text = (description.rstrip() + "\n" + line).strip()
        if bluesky_length(text) > 256:
            text = line
        added.append(True)
        return {**value, "description": text}

    client.update_profile(change)
    return bool(added)


def add_backlink_mastodon(client: Any, x_handle: str, lang: str | None = None) -> bool:
    """Add a profile field "X: @handle" (when there is room); False when it is there already."""
    me = client.verify_credentials()
    fields = [(name, value) for name, value in me.fields]
    if any(x_handle.lower() in value.lower() for _, value in fields):
        return False
    room = client.instance().max_profile_fields or 4
    if len(fields) >= room:
        return False
    client.update_profile(fields=fields + [("X", backlink_text(x_handle, lang))])
    return True
