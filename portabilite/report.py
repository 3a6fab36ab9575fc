"""How portable the audience is: the figures of ``portabilite report`` (issue 14).

Communication teams must answer, for their officials: *is our audience on the network we move
to? How portable is it?* The report puts together what the workspace knows: where the
accounts followed and the followers are (confirmed, to review, not found), the top Mastodon
servers, the bridged accounts, the follows made and left with the days they still take, the
redirect post and the handle's reserve.

The portable share of the followers is a proportion with its 95% interval (Wilson's, which
stays inside [0, 1] and holds for small counts and shares near 0 or 1, where the normal
approximation does not). Without a random sample it is computed over every follower and is a
**lower bound**: only the followers the archive names or a directory lists can be looked up,
so those the workspace cannot name count as not found. With a sample (``report --sample N``:
N followers drawn at random, their X profiles read through the X API, then matched), it is an
unbiased estimate of the share of all followers the matcher *confirms*: every follower had
the same chance to be drawn, and each drawn one is looked up like an account the user
follows. Those of the sample left to review are counted apart (reviewing can only raise the
share), and a sample drawn before the last import is drawn again (the followers who came
since had no chance). ``sample_size`` says how many are needed for a margin.

This module owns the ``audience_sample`` table.
"""

from __future__ import annotations

import math
from typing import Any

from ._time import now_iso
from .follow import DEFAULT_DAILY_CAPS
from .follow._journal import journal_counts
from .follow._plan import follow_time
from .matching import audience_counts, counts_among
from .posting import post_counts
from .reserve import reserve_state
from .workspace import Workspace

__all__ = [
    "MARGIN",
    "Z_95",
    "build_report",
    "draw_sample",
    "mark_gone",
    "render_html",
    "sample_members",
    "sample_size",
    "sample_to_read",
    "summary",
    "wilson",
]

#: the normal quantile of a two-sided 95% interval
Z_95 = 1.959963984540054
#: the margin the report proposes a sample for: five points either way, what a note for
#: officials can say without misleading ("about 12%, give or take 5")
MARGIN = 0.05


def wilson(found: int, checked: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson's score interval for ``found`` successes in ``checked`` trials."""
    if checked <= 0:
        return (0.0, 1.0)
    p = found / checked
    centre = p + z * z / (2 * checked)
    spread = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked))
    denominator = 1 + z * z / checked
    return (max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator))


def sample_size(margin: float, population: int, z: float = Z_95) -> int:
    """How many followers to check at random for a share within ``margin`` (0.05: five
    points) at 95%, the worst case p = 0.5, corrected for a finite ``population``."""
    if population <= 0:
        return 0
    infinite = z * z * 0.25 / (margin * margin)
    return min(population, math.ceil(infinite / (1 + (infinite - 1) / population)))


def _share(found: int, total: int, method: str = "known") -> dict[str, Any]:
    low, high = wilson(found, total)
    return {
        "found": found,
        "total": total,
        "share": found / total if total else None,
        "interval_95": [low, high],
        # known: every follower, what the workspace can name (a lower bound); sample: the
        # followers drawn at random, each looked up (an estimate of the whole share)
        "method": method,
    }


_FOLLOWS = (  # a sampled follower who still follows (an index look-up, not a list of all)
    "EXISTS (SELECT 1 FROM relation r WHERE r.kind = 'follower' AND r.x_id = s.x_id"
    " AND r.removed_import IS NULL)"
)


def draw_sample(ws: Workspace, size: int) -> list[str]:
    """``size`` followers drawn at random (each as likely), kept in the workspace so that
    the next reports read the same ones; another size draws anew. Returns their X ids."""
    total = ws.active_count("follower")
    size = max(0, min(size, total))
    kept = [x_id for (x_id,) in ws.conn.execute("SELECT x_id FROM audience_sample")]
    # a new draw costs only the profiles not read yet: those kept in x_profile are not paid
    # for again
    if len(kept) != size or _sample_stale(ws):
        with ws.transaction() as db:
            # those X had no profile for stay known as gone: not read (nor paid) again
            gone = [r[0] for r in db.execute("SELECT x_id FROM audience_sample WHERE gone")]
            db.execute("DELETE FROM audience_sample")
            # SQLite keeps the `size` smallest random keys while it scans: no list of a
            # million ids in memory
            db.execute(
                "INSERT INTO audience_sample (x_id, drawn_at) SELECT x_id, ? FROM relation"
                " WHERE kind = 'follower' AND removed_import IS NULL ORDER BY random() LIMIT ?",
                (now_iso(), size),
            )
            db.executemany(
                "UPDATE audience_sample SET gone = 1 WHERE x_id = ?", [(i,) for i in gone]
            )
        kept = [x_id for (x_id,) in ws.conn.execute("SELECT x_id FROM audience_sample")]
    return kept


def sample_to_read(ws: Workspace) -> list[str]:
    """The sample's followers whose X profile is not read yet (what reading it costs)."""
    return [
        x_id
        for (x_id,) in ws.conn.execute(
            "SELECT s.x_id FROM audience_sample s WHERE s.gone = 0 AND NOT EXISTS"
            " (SELECT 1 FROM x_profile p WHERE p.x_id = s.x_id)"
            f" AND {_FOLLOWS} ORDER BY s.x_id"
        )
    ]


def mark_gone(ws: Workspace, x_ids: list[str]) -> None:
    """Followers of the sample X has no profile for (deleted, suspended): not read again,
    and counted as not portable (nobody is there to follow)."""
    with ws.transaction() as db:
        db.executemany("UPDATE audience_sample SET gone = 1 WHERE x_id = ?", [(i,) for i in x_ids])


def sample_members(ws: Workspace) -> list[str]:
    """The sample drawn last, less those who no longer follow."""
    return [
        x_id
        for (x_id,) in ws.conn.execute(
            f"SELECT s.x_id FROM audience_sample s WHERE {_FOLLOWS} ORDER BY s.x_id"
        )
    ]


def _sample_stale(ws: Workspace) -> bool:
    """Whether the sample was drawn before the last import: the followers who came since
    had no chance to be drawn, so it no longer stands for the whole audience."""
    row = ws.conn.execute(
        "SELECT (SELECT min(drawn_at) FROM audience_sample),"
        " (SELECT max(imported_at) FROM archive_import)"
    ).fetchone()
    return bool(row[0] and row[1] and row[0] < row[1])


def _sample_share(ws: Workspace) -> dict[str, Any] | None:
    """The share among the sample, once each drawn follower was read (None before, or when
    a newer archive came since it was drawn). What it estimates is the share *confirmed*;
    the sampled followers left to review are counted apart (``to_review``): reviewing them
    can only raise it."""
    members = sample_members(ws)
    if not members or sample_to_read(ws) or _sample_stale(ws):
        return None
    counts = counts_among(ws, members)
    return {**_share(counts["confirmed"], len(members), "sample"), "to_review": counts["probable"]}


def build_report(ws: Workspace, daily_caps: dict[str, int] | None = None) -> dict[str, Any]:
    """The report's figures, as ``portabilite report --json`` prints them."""
    caps = {**DEFAULT_DAILY_CAPS, **(daily_caps or {})}
    following = audience_counts(ws, "following")
    followers = audience_counts(ws, "follower")
    follows = {}
    for network in ("bluesky", "mastodon"):
        counts = journal_counts(ws, network)
        # what the journal still plans, or the confirmed accounts not followed yet when
        # `follow` has not planned them (the plan itself may read the network: not here)
        left = max(counts["remaining"], following[network]["confirmed"] - counts["done"], 0)
        days, _hours, minutes = follow_time(network, left, caps[network])  # as the plan says
        follows[network] = {
            "done": counts["done"],
            "failed": counts["failed"],
            "remaining": left,
            "days_left": days,
            "minutes_left": minutes,
        }
    sampled = _sample_share(ws)
    return {
        "following": following,
        "followers": followers,
        "portable": {
            "following": _share(following["anywhere"], following["total"]),
            "followers": sampled or _share(followers["anywhere"], followers["total"]),
            "sample_stale": sampled is None and _sample_stale(ws),
            # how many followers a sample needs for a share within MARGIN, at 95%
            "sample_for_margin": {
                "margin": MARGIN,
                "size": sample_size(MARGIN, followers["total"]),
            },
        },
        "follows": follows,
        "posts": post_counts(ws),
        "reserve": reserve_state(ws),
    }


def _percent(share: float | None) -> str:
    from .i18n import format_number

    return format_number(round(100 * (share or 0.0), 1), digits=1)


def summary(report: dict[str, Any]) -> list[str]:
    """The report in sentences a communication team can paste into a note."""
    from .i18n import format_duration, format_number, service_name, t

    following, followers = report["following"], report["followers"]
    lines = [
        t(
            "report.following",
            total=following["total"],
            anywhere=following["anywhere"],
            percent=_percent(report["portable"]["following"]["share"]),
            bluesky=following["bluesky"]["confirmed"],
            mastodon=following["mastodon"]["confirmed"],
            review=following["bluesky"]["probable"] + following["mastodon"]["probable"],
        )
    ]
    lines.append(_followers_line(report))
    share = report["portable"]["followers"]
    if report["portable"].get("sample_stale"):
        lines.append(t("report.sample_stale"))
    if share["method"] != "sample":
        wanted = report["portable"]["sample_for_margin"]
        if wanted["size"] and followers["total"] > followers["anywhere"]:
            lines.append(
                t(
                    "report.sample_hint",
                    margin=format_number(round(100 * wanted["margin"])),
                    size=wanted["size"],
                )
            )
    bridged = {n: following[n]["bridged"] for n in ("bluesky", "mastodon")}
    if any(bridged.values()):
        lines.append(t("report.bridged", bluesky=bridged["bluesky"], mastodon=bridged["mastodon"]))
    if following["instances"]:
        hosts = ", ".join(f"{host} ({format_number(n)})" for host, n in following["instances"])
        lines.append(t("report.instances", hosts=hosts))
    for network, part in report["follows"].items():
        key = "report.follows_left" if part["remaining"] else "report.follows_done"
        lines.append(
            t(
                key,
                service=service_name(network),
                done=part["done"],
                remaining=part["remaining"],
                duration=format_duration(part["minutes_left"]),
            )
        )
    for network, part in report["posts"].items():
        if any(part.values()):
            lines.append(
                t(
                    "report.posts",
                    service=service_name(network),
                    sent=part.get("sent", 0),
                    queued=part.get("queued", 0),
                    failed=part.get("failed", 0),
                )
            )
    steps = report["reserve"]["steps"]
    left = [t("report.step." + step) for step, done in steps.items() if not done]
    if left:
        lines.append(
            t("report.reserve", done=len(steps) - len(left), total=len(steps), left=", ".join(left))
        )
    else:
        lines.append(t("report.reserve_done"))
    lines.append(_next_login(report["reserve"]))
    return lines


def _followers_line(report: dict[str, Any]) -> str:
    """How many followers are on the new networks: the estimate, or the lower bound."""
    from .i18n import t

    followers, share = report["followers"], report["portable"]["followers"]
    low, high = share["interval_95"]
    if share["method"] == "sample":
        return t(
            "report.followers_sample",
            total=followers["total"],
            sample=share["total"],
            percent=_percent(share["share"]),
            low=_percent(low),
            high=_percent(high),
            people=round((share["share"] or 0) * followers["total"]),
            review=share.get("to_review", 0),
        )
    return t(
        "report.followers",
        total=followers["total"],
        anywhere=followers["anywhere"],
        percent=_percent(share["share"]),
        low=_percent(low),
        high=_percent(high),
    )


def _next_login(reserve: dict[str, Any]) -> str:
    """The next X login that keeps the handle: always said, whatever is known."""
    from datetime import date

    from .i18n import t
    from .reserve import REMINDER_DAYS

    due = reserve.get("next_login")
    if due and due < date.today().isoformat():
        return t("report.next_login_overdue", date=due)
    if reserve.get("next_login_from") == "login":
        return t("report.next_login", date=due)
    if reserve.get("next_login_from") == "archive":
        return t("report.next_login_archive", date=due)
    return t("report.next_login_unknown", days=REMINDER_DAYS)


_STATUSES = ("confirmed", "probable", "not_found")


def _chart(kind: str, labels: list[str], series: list[tuple[str, list[int]]]) -> str:
    """A chart as inline SVG, drawn by pygal, with no script (the page runs none)."""
    import re

    import pygal
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        colors=("#2b6cb0", "#d69e2e", "#a0aec0", "#2f855a"),
        font_family="system-ui, sans-serif",
    )
    chart_class = {"bars": pygal.StackedBar, "horizontal": pygal.HorizontalBar}[kind]
    chart = chart_class(
        style=style,
        js=[],
        disable_xml_declaration=True,
        height=320,
        legend_at_bottom=True,
        print_values=False,
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    svg = chart.render(is_unicode=True)
    return re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)


def render_html(report: dict[str, Any], account: dict[str, Any], lang: str | None = None) -> str:
    """The report as one self-contained HTML page: the summary, a table and a chart per
    audience, the top Mastodon servers; no script, no font or image fetched (a strict
    Content-Security-Policy says so to the browser); every text from archives and servers
    escaped by the template engine."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    from ._time import format_local, now_iso
    from .i18n import format_number, get_language, language, service_name, t

    lang = lang or get_language()
    with language(lang):
        networks = [{"code": n, "name": service_name(n)} for n in ("bluesky", "mastodon")]
        statuses = [{"code": s, "label": t("report.html.status." + s)} for s in _STATUSES]
        charts: dict[str, Any] = {}
        for relation in ("following", "followers"):
            part = report[relation]
            charts[relation] = Markup(
                _chart(
                    "bars",
                    [n["name"] for n in networks],
                    [
                        (s["label"], [part[n["code"]][s["code"]] for n in networks])
                        for s in statuses
                    ],
                )
            )
        instances = report["following"]["instances"]
        charts["instances"] = (
            Markup(
                _chart(
                    "horizontal",
                    [host for host, _ in instances],
                    [(t("report.html.accounts"), [n for _, n in instances])],
                )
            )
            if instances
            else None
        )
        env = Environment(
            loader=PackageLoader("portabilite", "templates"),
            autoescape=select_autoescape(["html"]),
        )
        env.globals.update(t=t, number=format_number, service=service_name)
        return env.get_template("report.html").render(
            lang=lang,
            report=report,
            account=account,
            summary=summary(report),
            sections=[
                ("following", t("report.html.following")),
                ("followers", t("report.html.followers")),
            ],
            networks=networks,
            statuses=statuses,
            charts=charts,
            generated=format_local(now_iso()),
            next_login=_next_login(report["reserve"]),
            portable=_followers_line(report),
        )
