"""Commands that find people: ``match``, ``hydrate``, ``matches``, ``review``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..i18n import format_number, service_name, t
from ._root import (
    _accounts,
    _counter_progress,
    _print_match_counts,
    agree_to_x_cost,
    cli,
    json_option,
    network_option,
    print_json,
    prompt,
    workspace_option,
)

if TYPE_CHECKING:
    from ..matching import Match


@cli.command("match", help=t("help.match"))
@click.option("--offline", is_flag=True, help=t("help.offline"))
@click.option("--refresh", is_flag=True, help=t("help.refresh"))
@click.option("--search/--no-search", default=True, help=t("help.search"))
@click.option(
    "--directory-server",
    "directory_servers",
    multiple=True,
    metavar="URL",
    help=t("help.directory_server"),
)
@workspace_option
@json_option
def match_command(
    offline: bool,
    refresh: bool,
    search: bool,
    directory_servers: tuple[str, ...],
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        if not offline:  # the servers given, and those the workspace lists
            for found in move.look_up_directories(directory_servers, refresh=refresh):
                if not as_json and not found["skipped"]:
                    click.echo(
                        t(
                            "service.looked_up",
                            server=found["server"],
                            ranges=t("count.ranges_asked", count=found["ranges"]),
                            entries=t("count.entries_yours", count=found["entries"]),
                        ),
                        err=True,
                    )
        with _counter_progress(not as_json, t("cli.match.progress")) as progress:
            counts = move.match(
                online=not offline, refresh=refresh, search=search, progress=progress
            )
    if as_json:
        print_json({"matches": counts})
        return
    _print_match_counts(counts)
    click.echo(t("cli.match.next"))


def _account_text(match: Match) -> str:
    account = match["account"]
    if match["network"] == "bluesky":
        return "@" + str(account.get("handle") or account.get("did"))
    return "@" + str(account["address"])


@cli.command("hydrate", help=t("help.hydrate"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@click.option("--lists", "with_lists", is_flag=True, help=t("help.hydrate_lists"))
@workspace_option
@json_option
def hydrate_command(yes: bool, with_lists: bool, workspace: Path | None, as_json: bool) -> None:
    from ..matching import estimate, hydrate
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws, _accounts().x() as x:
        # the X login is checked first: no question about a cost for a read that cannot run
        cost = estimate(ws)
        if not agree_to_x_cost(
            cost,
            priced="cli.hydrate.estimate",
            unpriced="cli.hydrate.unknown_price",
            confirm="cli.hydrate.confirm",
            cancelled="cli.hydrate.cancelled",
            yes=yes,
            as_json=as_json,
            accounts=cost["accounts"],
        ):
            return
        with _counter_progress(not as_json, t("cli.hydrate.progress")) as progress:
            count = hydrate(ws, x, progress=progress)
            owned = None
            if with_lists:
                from ..matching import hydrate_lists

                owned = hydrate_lists(ws, x)
    if as_json:
        print_json(
            {
                "hydrated": count,
                "lists": owned,
                "estimate": {**cost, "usd": str(cost["usd"]), "price": str(cost["price"])},
            }
        )
    else:
        click.echo(t("cli.hydrate.done", count=count))
        if owned is not None:
            click.echo(
                t(
                    "cli.hydrate.lists_done",
                    lists=t("count.lists", count=owned["lists"]),
                    members=t("count.members", count=owned["members"]),
                )
            )


def _review_done(accepted: int, rejected: int) -> str:
    return t(
        "cli.review.done",
        accepted=t("count.accepted", count=accepted),
        rejected=t("count.review_rejected", count=rejected),
    )


def _say_why_none(counts: dict[str, Any]) -> None:
    """An empty list says why: nothing matched yet, or nothing with these filters (and what
    there is, from ``match_counts``), never "run match" right after match ran."""
    found = any(
        sum(part[n].values())
        for part in (counts, counts["followers"])
        for n in ("bluesky", "mastodon")
    )
    if not found:
        click.echo(t("cli.matches.none"))
        return
    click.echo(t("cli.matches.none_filtered"))
    _print_match_counts(counts)


@cli.command("matches", help=t("help.matches"))
@network_option
@click.option(
    "--status",
    "status_",
    type=click.Choice(["confirmed", "probable", "rejected"]),
    help=t("help.status_filter"),
)
@click.option("--followers", is_flag=True, help=t("help.followers"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help=t("help.format"),
)
@workspace_option
def matches_command(
    networks: tuple[str, ...],
    status_: str | None,
    followers: bool,
    fmt: str,
    workspace: Path | None,
) -> None:
    from ..matching import list_matches, match_counts
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        rows = list_matches(
            ws,
            network=networks[0] if len(set(networks)) == 1 else None,  # one, or both
            status=status_,
            relation="follower" if followers else "following",
        )
        counts = match_counts(ws) if not rows and fmt == "table" else None
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        import csv

        from .._escape import for_csv, for_terminal

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(
            [
                "id",
                "x_id",
                "x_handle",
                "network",
                "account",
                "did",
                "bridged",
                "status",
                "score",
                "evidence",
            ]
        )
        for m in rows:  # cells from other people: never a formula, never a control sequence
            account = m["account"]
            out.writerow(
                [
                    for_csv(for_terminal(cell, inline=False))
                    for cell in [
                        m["id"],
                        m["x_id"],
                        m["x_handle"] or "",
                        m["network"],
                        account.get("handle") or account.get("address") or "",
                        account.get("did") or "",
                        str(m["bridged"]).lower(),
                        m["status"],
                        m["score"],
                        "; ".join(f"{e['kind']}: {e['detail']}" for e in m["evidence"]),
                    ]
                ]
            )
    elif counts is not None:
        _say_why_none(counts)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for column in ("id", "x", "network", "account", "status", "score", "evidence"):
            table.add_column(t("cli.matches.column." + column), overflow="fold")  # never cut
        from .._escape import for_rich

        for m in rows:  # handles from other people: no markup, no control sequence
            table.add_row(
                *map(
                    for_rich,
                    (
                        str(m["id"]),
                        "@" + (m["x_handle"] or m["x_id"]),
                        service_name(m["network"]),
                        _account_text(m),
                        t("status." + m["status"]),
                        format_number(m["score"], digits=2),
                        ", ".join(t("evidence_kind." + e["kind"]) for e in m["evidence"]),
                    ),
                )
            )
        Console(width=None if sys.stdout.isatty() else 160).print(table)


@cli.command("review", help=t("help.review"))
@click.option("--accept", multiple=True, type=int, help=t("help.accept"))
@click.option("--reject", multiple=True, type=int, help=t("help.reject"))
@workspace_option
def review_command(
    accept: tuple[int, ...], reject: tuple[int, ...], workspace: Path | None
) -> None:
    from .._escape import for_terminal
    from ..matching import decide, decide_all, list_matches
    from ..workspace import Workspace

    both = sorted(set(accept) & set(reject))
    if both:
        raise click.UsageError(t("cli.review.conflict", ids=", ".join(map(str, both))))
    with Workspace.open(workspace, create=False) as ws:
        if accept or reject:
            decide_all(
                ws, {**dict.fromkeys(accept, "accepted"), **dict.fromkeys(reject, "rejected")}
            )
            click.echo(_review_done(len(accept), len(reject)))
            return
        pending = [
            m for m in list_matches(ws, status="probable", relation=None) if m["decision"] is None
        ]
        if not pending:
            click.echo(t("cli.review.none"))
            return
        groups: dict[tuple[str, str], list[Match]] = {}
        for m in pending:  # the alternatives for one X account on one network, together
            groups.setdefault((m["x_id"], m["network"]), []).append(m)
        counts = {"accepted": 0, "rejected": 0}
        for n, group in enumerate(groups.values(), 1):
            group.sort(key=lambda m: -m["score"])
            first = group[0]
            click.echo(
                for_terminal(
                    t(
                        "cli.review.group",
                        n=n,
                        total=len(groups),
                        x_handle=first["x_handle"] or "?",
                        x_id=first["x_id"],
                        network=service_name(first["network"]),
                        count=len(group),
                    )
                )
            )
            for i, m in enumerate(group, 1):  # names and details come from other people
                click.echo(
                    for_terminal(
                        f"  {i}. {_account_text(m)}  ("
                        + (f"{m['display_name']}, " if m["display_name"] else "")
                        + f"{t('cli.review.score')} {format_number(m['score'], digits=2)})"
                    )
                )
                for e in m["evidence"]:
                    weight = ("+" if e["weight"] >= 0 else "") + format_number(
                        e["weight"], digits=2
                    )
                    click.echo(for_terminal(f"       {weight}  {e['detail']}"))
            numbers = [str(i) for i in range(1, len(group) + 1)]
            if len(group) == 1:
                choice = prompt(
                    t("cli.review.prompt"),
                    type=click.Choice(["a", "r", "s", "q"]),
                    default="s",
                    show_choices=False,
                )
                choice = {"a": "1"}.get(choice, choice)
            else:
                choice = prompt(
                    t("cli.review.prompt_many", last=len(group)),
                    type=click.Choice(numbers + ["r", "s", "q"]),
                    default="s",
                    show_choices=False,
                )
            if choice == "q":
                break
            if choice == "s":
                continue
            for i, m in enumerate(group, 1):  # saved at once: quitting loses nothing
                decision = "accepted" if choice == str(i) else "rejected"
                decide(ws, m["id"], decision)
                counts[decision] += 1
        click.echo(_review_done(counts["accepted"], counts["rejected"]))
