"""Commands that follow: ``follow`` (and its dry run), ``unfollow --undo``."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from ..errors import NotLoggedInError
from ..i18n import format_duration, service_name, t
from ._root import (
    _accounts,
    _bars,
    ask,
    cli,
    interactive,
    json_option,
    network_option,
    print_json,
    workspace_option,
)


def _print_plan(plan: Any, accounts: bool = True) -> None:
    """The plan per network: what is followed and what is left, why, and how long it takes;
    with ``accounts``, every account with the evidence in words."""
    data = plan.to_json()
    for network, part in data["networks"].items():
        service = service_name(network)
        reasons: dict[str, int] = {}
        for item in part["skipped"]:
            reasons[item["reason"]] = reasons.get(item["reason"], 0) + 1
        text = ", ".join(
            t("cli.follow.reason_count", reason=t("cli.follow.reason." + r), count=n)
            for r, n in sorted(reasons.items())
        )
        click.echo(
            t(
                "cli.follow.network_line",
                service=service,
                count=len(part["to_follow"]),
                skipped=len(part["skipped"]),
                reasons=f" ({text})" if text else "",
            )
        )
        for item in part["to_follow"] if accounts else ():
            click.echo(
                t(
                    "cli.follow.item",
                    account="@" + item["handle_or_address"],
                    x_handle=item["x_handle"] or item["x_id"],
                    status=t("status." + item["status"]),
                    evidence=", ".join(t("evidence_kind." + kind) for kind in item["evidence"]),
                )
            )
        if "lists" in part:
            click.echo(
                t(
                    "cli.follow.lists",
                    service=service,
                    lists=", ".join(
                        f"{item['name']} ({len(item['members'])})" for item in part["lists"]
                    )
                    or "-",
                )
            )
        for kind in ("block", "mute"):
            if f"to_{kind}" in part:
                click.echo(
                    t(
                        f"cli.follow.to_{kind}",
                        service=service,
                        accounts=", ".join("@" + e["handle_or_address"] for e in part[f"to_{kind}"])
                        or "-",
                    )
                )
        estimate = data["estimate"][network]
        if estimate["follows"]:
            calls = t("count.write_calls", count=estimate.get("write_calls", 0))
            click.echo(
                t(
                    f"cli.follow.estimate_{network}",
                    duration=format_duration(estimate["minutes_at_least"]),
                    follows=estimate["follows"],
                    calls=calls,
                    daily_cap=estimate["daily_cap"],
                )
            )
            if estimate.get("csv_suggested"):
                click.echo(t("cli.follow.csv_hint"))
        if not part["reconciled"]:
            click.echo(t("cli.follow.not_reconciled", service=service, network=network))


@contextmanager
def _network_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """One bar per network (done / total) on a terminal; nothing otherwise."""
    with _bars(enabled) as update:
        yield (
            (lambda network, done, total: update(service_name(network), done, total))
            if update
            else None
        )


@cli.command("follow", help=t("help.follow"))
@click.option("--dry-run", is_flag=True, help=t("help.dry_run"))
@network_option
@click.option("--limit", type=click.IntRange(min=0), help=t("help.limit"))
@click.option("--only", type=click.Choice(["confirmed"]), help=t("help.only"))
@click.option("--include-probable", is_flag=True, help=t("help.include_probable"))
@click.option("--daily-cap", type=click.IntRange(min=1), help=t("help.daily_cap"))
@click.option("--mastodon-csv", type=click.Path(dir_okay=False), help=t("help.mastodon_csv"))
@click.option("--wait", is_flag=True, help=t("help.wait"))
@click.option("--blocks", is_flag=True, help=t("help.blocks"))
@click.option("--mutes", is_flag=True, help=t("help.mutes"))
@click.option("--lists", is_flag=True, help=t("help.lists"))
@click.option(
    "--budget-margin",
    type=click.FloatRange(0.0, 0.9),
    default=0.1,
    show_default=True,
    help=t("help.budget_margin"),
)
@click.option("--retry-failed", is_flag=True, help=t("help.retry_failed"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
@json_option
def follow_command(
    dry_run: bool,
    networks: tuple[str, ...],
    limit: int | None,
    only: str | None,
    include_probable: bool,
    daily_cap: int | None,
    mastodon_csv: str | None,
    wait: bool,
    blocks: bool,
    mutes: bool,
    lists: bool,
    budget_margin: float,
    retry_failed: bool,
    yes: bool,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..migration import Migration

    wanted = list(dict.fromkeys(networks)) or ["bluesky", "mastodon"]
    with Migration(workspace, _accounts(), create=False) as move:
        move.status()  # an archive must be imported first
        if not move.matched() and not as_json:
            click.echo(t("cli.follow.matching_offline"), err=True)
        plan = move.plan(
            networks=wanted,
            include_probable=include_probable,
            only_confirmed=only == "confirmed",
            limit=limit,
            daily_cap=daily_cap,
            blocks=blocks,
            mutes=mutes,
            lists=lists,
        )
        if mastodon_csv and "mastodon" in plan.networks:
            from ..follow import write_mastodon_csv

            files = write_mastodon_csv(plan, mastodon_csv)
            if not as_json:
                click.echo(
                    t(
                        "cli.follow.csv_written",
                        files=", ".join(files),
                        count=len(plan.networks["mastodon"].to_follow),
                    )
                )
            if wanted == ["mastodon"] or dry_run:
                if as_json:
                    print_json({**plan.to_json(), "mastodon_csv": files})
                return
            plan.networks.pop("mastodon")  # the CSV route replaces the API for Mastodon
        if dry_run:
            if as_json:
                print_json(plan.to_json())
            else:
                _print_plan(plan)
                click.echo(t("cli.follow.dry_run_done"))
            return
        if not yes and not as_json and interactive():
            # a person at a terminal sees what is about to happen, and how long it takes
            _print_plan(plan, accounts=False)
            total = sum(len(part.to_follow) for part in plan.networks.values())
            services = " + ".join(service_name(name) for name in plan.networks)
            if total and not ask(t("cli.follow.confirm", count=total, networks=services)):
                click.echo(t("cli.follow.cancelled"))
                return
        with _network_progress(not as_json) as progress:
            report = move.follow(
                plan,
                wait=wait,
                margin=budget_margin,
                retry_failed=retry_failed,
                progress=progress,
                skip_not_logged_in=not networks,  # a network named is a network wanted
            )
    result, why = report.to_json(), report.failures
    if as_json:
        print_json(result)
    else:
        for name, part in result["networks"].items():
            click.echo(t("cli.follow.applied", service=service_name(name), **part))
        for name, reason in report.skipped.items():
            click.echo(t("cli.follow.skipped", service=service_name(name), reason=reason), err=True)
        for name, reasons in why.items():
            for reason, count in reasons:  # one line each, with what to do
                click.echo(
                    t(
                        "cli.follow.failed_line",
                        service=service_name(name),
                        count=count,
                        reason=reason,
                    ),
                    err=True,
                )
        if why:
            click.echo(t("cli.follow.retry_hint"), err=True)
    if why:
        sys.exit(1)  # a partial run says so to scripts too
    if report.skipped and not report.networks and not mastodon_csv:
        sys.exit(1)  # logged in nowhere: nothing was done


@cli.command("unfollow", help=t("help.unfollow"))
@click.option("--undo", is_flag=True, required=True, help=t("help.undo"))
@network_option
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
def unfollow_command(
    undo: bool, networks: tuple[str, ...], yes: bool, workspace: Path | None
) -> None:
    from ..migration import Migration

    wanted = list(dict.fromkeys(networks)) or ["bluesky", "mastodon"]
    with Migration(workspace, _accounts(), create=False) as move:
        made = move.made_follows(wanted)  # the networks logged in to, and what undo removes
        for named in networks:  # a network named is a network wanted
            if named not in made:
                raise NotLoggedInError("network.not_logged_in", network=named)
        if not made:
            click.echo(t("cli.unfollow.logged_in_nowhere"), err=True)
            sys.exit(1)
        if not any(made.values()):
            click.echo(t("cli.unfollow.nothing"))
            return
        if not yes and interactive():
            services = " + ".join(service_name(name) for name, n in made.items() if n)
            if not ask(t("cli.unfollow.confirm", count=sum(made.values()), networks=services)):
                click.echo(t("cli.follow.cancelled"))
                return
        for name, removed in move.undo(list(made)).items():
            click.echo(t("cli.unfollow.done", service=service_name(name), count=removed))
