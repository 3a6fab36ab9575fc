"""Commands that post: ``post compose|queue|list|cancel|send`` and ``post "TEXT"``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from ..errors import PortabiliteError
from ..i18n import format_money, service_name, t
from ._root import (
    Subgroup,
    _accounts,
    ask,
    cli,
    interactive,
    json_option,
    print_json,
    workspace_option,
)


class _PostGroup(Subgroup):
    """``portabilite post "TEXT"`` crossposts; ``portabilite post compose|queue|...`` manage."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            return "now", self.get_command(ctx, "now"), args
        return super().resolve_command(ctx, args)


def _parse_when(value: str | None) -> Any:
    """``--at``: now, +30m / +2h / +1d, or a date and time (without a zone: the user's)."""
    import re
    from datetime import datetime, timedelta, timezone

    from .._time import parse_typed
    from ..posting import PostError

    if not value or value.strip() == "now":
        return datetime.now(timezone.utc)
    m = re.fullmatch(r"\+(\d+)([mhd])", value.strip())
    if m:
        unit = {"m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
        return datetime.now(timezone.utc) + timedelta(**{unit: int(m.group(1))})
    moment = parse_typed(value)
    if moment is None:
        raise PostError("post.bad_when", value=value)
    return moment


def _chosen_networks(network: tuple[str, ...], networks: str | None) -> list[str] | None:
    """``--network`` (repeatable), or the deprecated ``--networks a,b``; None: not named."""
    from ..posting import PostError

    chosen = list(network)
    if networks:
        click.echo(t("post.networks_deprecated"), err=True)
        for name in (n.strip().lower() for n in networks.split(",")):
            if name not in ("x", "bluesky", "mastodon"):
                raise PostError("post.bad_network", value=name)
            chosen.append(name)
    return chosen or None


def _network_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--network NAME``, repeatable, as follow and matches name it (``--networks``: hidden,
    the old comma-separated spelling)."""
    f = click.option("--networks", "networks_csv", hidden=True)(f)
    return click.option(
        "--network",
        "network",
        multiple=True,
        type=click.Choice(["x", "bluesky", "mastodon"]),
        help=t("help.post_network"),
    )(f)


def _services(networks: Any) -> str:
    return ", ".join(service_name(n) for n in networks)


def _say_skipped(skipped: dict[str, str]) -> None:
    for network, reason in skipped.items():
        click.echo(t("post.queue.skipped", service=service_name(network), reason=reason), err=True)


def _say_stuck(stuck: dict[str, list[int]]) -> None:
    """One line per network whose posts wait for a login, with what to run."""
    for network, ids in stuck.items():
        click.echo(
            t("post.stuck", service=service_name(network), network=network, count=len(ids)),
            err=True,
        )


def _post_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in (
        click.option(
            "--message-lang",
            "post_lang",
            type=click.Choice(["en", "fr"]),
            help=t("help.post_lang"),
        ),
        click.option("--website", help=t("help.website")),
        click.option("--template", type=click.Path(dir_okay=False), help=t("help.template")),
    ):
        f = option(f)
    return f


@cli.group("post", cls=_PostGroup, help=t("help.post"))
def post_group() -> None:
    pass


def _address_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The new addresses to announce, given before any login (``bluesky``, ``mastodon``)."""
    f = click.option("--mastodon", metavar="ADDRESS", help=t("help.compose_mastodon"))(f)
    return click.option("--bluesky", metavar="HANDLE", help=t("help.compose_bluesky"))(f)


@post_group.command("compose", help=t("help.post_compose"))
@_address_options
@_post_options
@workspace_option
@json_option
def post_compose(
    bluesky: str | None,
    mastodon: str | None,
    post_lang: str | None,
    website: str | None,
    template: str | None,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..migration import Migration
    from ..posting import bluesky_length, mastodon_length, x_length

    with Migration(workspace, _accounts(), create=False) as move:
        message = move.compose(
            lang=post_lang,
            website=website,
            template=template,
            bluesky=bluesky,
            mastodon=mastodon,
        )
    texts, mastodon_limit = message.texts, message.mastodon_limit
    if as_json:
        print_json(message.to_json())
        return
    measures = {
        "x": (x_length, 280),
        "bluesky": (bluesky_length, 300),
        "mastodon": (mastodon_length, mastodon_limit),
    }
    for network, text in texts.items():
        measure, limit = measures[network]
        click.echo(
            t("cli.post.preview", network=service_name(network), length=measure(text), limit=limit)
        )
        click.echo("  " + text.replace("\n", "\n  ") + "\n")


@post_group.command("queue", help=t("help.post_queue"))
@click.option("--at", "when", default="now", help=t("help.post_at"))
@_network_options
@click.option("--pin", is_flag=True, help=t("help.pin"))
@_post_options
@workspace_option
@json_option
def post_queue(
    when: str,
    network: tuple[str, ...],
    networks_csv: str | None,
    pin: bool,
    post_lang: str | None,
    website: str | None,
    template: str | None,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from .._time import format_local
    from ..migration import Migration

    due = _parse_when(when)
    with Migration(workspace, _accounts(), create=False) as move:
        report = move.queue(
            networks=_chosen_networks(network, networks_csv),
            at=due,
            pin=pin,
            lang=post_lang,
            website=website,
            template=template,
        )
        x_by_hand = "x" in report.networks and move.clients(["x"]) == {}
    if as_json:
        print_json(report.to_json())
        return
    click.echo(
        t(
            "post.queue.done",
            id=report.id,
            due=format_local(report.due_at),
            networks=_services(report.networks),
        )
    )
    if x_by_hand:
        click.echo(t("post.queue.x_by_hand"))
    _say_skipped(report.skipped)


def _state_words(network: str, delivery: dict[str, Any]) -> str:
    if delivery.get("waiting_for_login"):
        return t("post.state.waiting_for_login", service=service_name(network))
    return t("post.state." + delivery["state"])


@post_group.command("list", help=t("help.post_list"))
@workspace_option
@json_option
def post_list(workspace: Path | None, as_json: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from .._escape import for_rich
    from .._time import format_local
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        posts = move.list_posts()
    if as_json:
        print_json(posts)
        return
    if not posts:
        click.echo(t("cli.post.none"))
        return
    table = Table()
    for column in ("id", "due", "network", "state", "link"):
        table.add_column(t("post.list.column." + column), overflow="fold")  # never cut
    stuck: dict[str, list[int]] = {}
    for post in posts:
        for network, delivery in post["deliveries"].items():
            if delivery["waiting_for_login"]:
                stuck.setdefault(network, []).append(post["id"])
            table.add_row(
                *map(
                    for_rich,
                    (
                        str(post["id"]),
                        format_local(post["due_at"]),
                        service_name(network),
                        _state_words(network, dict(delivery)),
                        delivery["url"] or "",
                    ),
                )
            )
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    _say_stuck({n: stuck[n] for n in ("bluesky", "mastodon") if n in stuck})


@post_group.command("cancel", help=t("help.post_cancel"))
@click.argument("post_id", type=int)
@workspace_option
def post_cancel(post_id: int, workspace: Path | None) -> None:
    from ..posting import cancel_post
    from ..workspace import Workspace

    try:
        mastodon = _accounts().mastodon()  # to withdraw a post from the server's scheduler
    except PortabiliteError:
        mastodon = None
    try:
        with Workspace.open(workspace, create=False) as ws:
            count = cancel_post(ws, post_id, mastodon)
    finally:
        if mastodon is not None:
            mastodon.close()
    click.echo(t("cli.post.cancelled", id=post_id, count=count))


def _confirm_x(yes: bool) -> Callable[[str], bool]:
    """Asks before paying for an X post (``--yes``: agreed beforehand)."""

    def confirm(text: str) -> bool:
        from ..networks.x import post_cost

        if yes:
            return True
        if not interactive():
            return False  # a script pays for nothing it was not told to (--yes)
        kind, usd = post_cost(text)
        price = format_money(usd) if usd is not None else t("post.x_cost.unknown")
        return ask(t("post.x_cost", price=price, kind=t("post.x_kind." + kind)))

    return confirm


def _print_sent(report: list[dict[str, Any]]) -> None:
    if not report:
        click.echo(t("post.send.nothing_due"))
    for item in report:
        if item["state"] == "manual":
            click.echo(t("cli.post.manual", url=item["url"]))
            if sys.stdin.isatty() and ask(t("cli.post.open"), default=True):
                import webbrowser

                webbrowser.open(item["url"])
        else:
            click.echo(
                t(
                    "post.send.line",
                    service=service_name(item["network"]),
                    state=t("post.state." + item["state"]),
                    detail=item.get("url") or item.get("error") or "",
                ).rstrip()
            )


@post_group.command("send", help=t("help.post_send"))
@click.option("--wait", is_flag=True, help=t("help.post_wait"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
@json_option
def post_send(wait: bool, yes: bool, workspace: Path | None, as_json: bool) -> None:
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        reports = move.send_posts(
            wait=wait, confirm_x=_confirm_x(yes), on_sent=None if as_json else _print_sent
        )
        stuck = move.stuck_posts()
    if as_json:
        print_json(reports)
    else:
        _say_stuck(stuck)  # left for a login: said, not silently pending


@post_group.command("now", hidden=True, help=t("help.post_now"))
@click.argument("text")
@_network_options
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
@json_option
def post_now(
    text: str,
    network: tuple[str, ...],
    networks_csv: str | None,
    yes: bool,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        queued = move.queue(text=text, networks=_chosen_networks(network, networks_csv))
        if not as_json:
            _say_skipped(queued.skipped)
        report = move.send_posts(
            confirm_x=_confirm_x(yes), on_sent=None if as_json else _print_sent
        )
    if as_json:
        print_json(report)
