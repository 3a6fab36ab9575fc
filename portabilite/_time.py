"""Dates as portabilite stores them: ISO 8601 in UTC to the second, ``2026-07-25T12:21:58Z``.

Such strings sort as the instants they name, so the workspace compares them as text.
"""

from __future__ import annotations

from datetime import datetime, timezone

_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # tweets: "Wed Oct 10 20:19:24 +0000 2018"
    "%Y-%m-%d %H:%M:%S %z",  # Grailbird: "2009-04-10 16:53:38 +0000"
)


def now_iso() -> str:
    return format_iso(datetime.now(timezone.utc))


def format_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_any(value: object) -> datetime | None:
    """A datetime from any date X archives use, or None when it is not one."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(int(value))  # NaN and infinity: ValueError, OverflowError
    except (ValueError, OverflowError):
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        if text.isascii() and text.isdigit():  # 2018 archives: epoch ms or s, as strings
            number = int(text)
            seconds = number / 1000 if len(text) >= 12 else number
            return datetime.fromtimestamp(seconds, timezone.utc)
        if "T" in text or (
            len(text) >= 10 and text[4] == "-" and text[7] == "-" and "+" not in text
        ):
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        for fmt in _FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
    except (ValueError, OverflowError, OSError):
        return None
    return None


def iso_from_any(value: object) -> str | None:
    moment = parse_any(value)
    return format_iso(moment) if moment is not None else None


_MONTHS = {
    m: f"{i:02d}"
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def tweet_date_iso(value: object) -> str | None:
    """``created_at`` of a tweet as ISO, fast for X's fixed ``Wed Oct 10 20:19:24 +0000 2018``
    (this runs once per tweet; strptime would dominate an import of 200,000 tweets)."""
    if isinstance(value, str):
        parts = value.split(" ")
        if len(parts) == 6 and parts[4] == "+0000" and parts[1] in _MONTHS and len(parts[3]) == 8:
            day = parts[2]
            if day.isdigit() and parts[5].isdigit():
                return f"{parts[5]}-{_MONTHS[parts[1]]}-{int(day):02d}T{parts[3]}Z"
    return iso_from_any(value)


def format_local(moment: datetime | str | None) -> str:
    """An instant as the user reads it: in their time zone, named, to the minute
    (``2026-12-02 13:05 CET``). Stored ISO strings are accepted; None gives ``""``."""
    if isinstance(moment, str):
        moment = parse_any(moment)
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone()  # the system's rules for that instant, summer time included
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or local.strftime('%z')}"


def parse_typed(text: str) -> datetime | None:
    """A date or time a person typed: with a zone (``Z``, ``+01:00``) as given, without one in
    their own time zone (``2026-12-24 18:00`` is six in the evening where they are)."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return parse_any(value)
    # a naive datetime's astimezone() reads it as local time, daylight saving included
    return moment if moment.tzinfo is not None else moment.astimezone()
