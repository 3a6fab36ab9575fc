"""``portabilite report``: how portable the audience is, in plain words (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..i18n import format_duration, format_number, service_name, t
from ._root import _accounts, cli, json_option, print_json, workspace_option


def _percent(share: float | None) -> str:
    return format_number(round(100 * (share or 0.0), 1), digits=1)


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The report in sentences a communication team can paste into a note."""
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
    share = report["portable"]["followers"]
    low, high = share["interval_95"]
    lines.append(
        t(
            "report.followers",
            total=followers["total"],
            anywhere=followers["anywhere"],
            percent=_percent(share["share"]),
            low=_percent(low),
            high=_percent(high),
        )
    )
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
                duration=format_duration(part["days_left"] * 24 * 60),
            )
        )
    next_login = report["reserve"].get("next_reminder")
    if next_login:
        lines.append(t("report.next_login", date=next_login))
    return lines


@cli.command("report", help=t("help.report"))
@workspace_option
@json_option
def report_command(workspace: Path | None, as_json: bool) -> None:
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        report = move.report()
    if as_json:
        print_json(report)
        return
    for line in summary_lines(report):
        click.echo(line)
