"""Commands that post: ``post compose|queue|list|cancel|send`` and ``post "TEXT"``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from ..errors import PortabiliteError
from ..i18n import t
from ._root import (
    Subgroup,
    _accounts,
    cli,
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
    import re
    from datetime import datetime, timedelta, timezone

    from .._time import parse_any
    from ..posting import PostError

    if not value or value == "now":
        return datetime.now(timezone.utc)
    m = re.fullmatch(r"\+(\d+)([mhd])", value.strip())
    if m:
        unit = {"m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
        return datetime.now(timezone.utc) + timedelta(**{unit: int(m.group(1))})
    moment = parse_any(value)
    if moment is None:
        raise PostError("post.bad_when", value=value)
    return moment


def _parse_networks(value: str | None, default: tuple[str, ...]) -> list[str]:
    from ..posting import PostError

    names = [n.strip().lower() for n in value.split(",")] if value else list(default)
    for name in names:
        if name not in ("x", "bluesky", "mastodon"):
            raise PostError("post.bad_network", value=name)
    return names


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
        click.echo(t("cli.post.preview", network=network, length=measure(text), limit=limit))
        click.echo("  " + text.replace("\n", "\n  ") + "\n")


@post_group.command("queue", help=t("help.post_queue"))
@click.option("--at", "when", default="now", help=t("help.at"))
@click.option("--networks", help=t("help.networks"))
@click.option("--pin", is_flag=True, help=t("help.pin"))
@_post_options
@workspace_option
@json_option
def post_queue(
    when: str,
    networks: str | None,
    pin: bool,
    post_lang: str | None,
    website: str | None,
    template: str | None,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..migration import Migration
    from ..posting import queue_post

    with Migration(workspace, _accounts(), create=False) as move:
        message = move.compose(lang=post_lang, website=website, template=template)
        chosen = _parse_networks(networks, ("x", "bluesky", "mastodon"))
        due = _parse_when(when)
        post_id = queue_post(
            move.ws,
            {n: message.texts[n] for n in chosen},
            due_at=due,
            pin=pin,
            lang=message.lang,
            redirect=True,
        )
    if as_json:
        print_json({"id": post_id, "due_at": due.isoformat(), "networks": chosen})
    else:
        click.echo(
            t(
                "cli.post.queued",
                id=post_id,
                due=due.strftime("%Y-%m-%d %H:%M %Z"),
                networks=", ".join(chosen),
            )
        )


@post_group.command("list", help=t("help.post_list"))
@workspace_option
@json_option
def post_list(workspace: Path | None, as_json: bool) -> None:
    from ..posting import list_posts
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        posts = list_posts(ws)
    if as_json:
        print_json(posts)
        return
    if not posts:
        click.echo(t("cli.post.none"))
    for post in posts:
        for network, delivery in post["deliveries"].items():
            click.echo(
                t(
                    "cli.post.line",
                    id=post["id"],
                    due=post["due_at"],
                    network=network,
                    state=delivery["state"],
                    url=delivery["url"] or "",
                )
            )


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
        kind, usd = post_cost(text)
        return click.confirm(
            t("cli.post.x_cost", usd=usd if usd is not None else "?", kind=kind),
            default=False,
            err=True,
        )

    return confirm


def _print_sent(report: list[dict[str, Any]]) -> None:
    if not report:
        click.echo(t("cli.post.nothing_due"))
    for item in report:
        if item["state"] == "manual":
            click.echo(t("cli.post.manual", url=item["url"]))
            if sys.stdin.isatty() and click.confirm(t("cli.post.open"), default=True, err=True):
                import webbrowser

                webbrowser.open(item["url"])
        else:
            click.echo(
                t(
                    "cli.post.sent",
                    network=item["network"],
                    state=item["state"],
                    url=item.get("url") or item.get("error") or "",
                )
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
    if as_json:
        print_json(reports)


@post_group.command("now", hidden=True, help=t("help.post_now"))
@click.argument("text")
@click.option("--networks", help=t("help.networks"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
@json_option
def post_now(
    text: str, networks: str | None, yes: bool, workspace: Path | None, as_json: bool
) -> None:
    from ..migration import Migration
    from ..posting import queue_post

    chosen = _parse_networks(networks, ("bluesky", "mastodon"))
    with Migration(workspace, _accounts(), create=False) as move:
        queue_post(move.ws, {n: text for n in chosen})
        report = move.send_posts(
            confirm_x=_confirm_x(yes), on_sent=None if as_json else _print_sent
        )
    if as_json:
        print_json(report)
