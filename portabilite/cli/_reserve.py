"""Keeping the X handle: ``reserve``."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import service_name, t
from ._post import _address_options, _post_options
from ._root import (
    _accounts,
    ask,
    cli,
    interactive,
    json_option,
    print_json,
    workspace_option,
)


@cli.command("reserve", help=t("help.reserve"))
@click.option("--logged-in", is_flag=True, help=t("help.logged_in"))
@click.option(
    "--calendar",
    "calendar_path",
    type=click.Path(dir_okay=False),
    help=t("help.calendar"),
)
@click.option("--backlink/--no-backlink", default=None, help=t("help.backlink"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@_address_options
@_post_options
@workspace_option
@json_option
def reserve_command(
    logged_in: bool,
    calendar_path: str | None,
    backlink: bool | None,
    yes: bool,
    bluesky: str | None,
    mastodon: str | None,
    post_lang: str | None,
    website: str | None,
    template: str | None,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        if logged_in:
            state = move.record_x_login()
            if as_json:
                print_json(state)
            else:
                click.echo(t("cli.reserve.logged_in", next=state["next_reminder"]))
            return

        # a script (no terminal) is never asked: without --yes, nothing of the profiles changes
        def set_bio(bio: str) -> bool:
            asked = interactive() and not as_json
            return yes or (asked and ask(t("cli.reserve.bio_ask", bio=bio), default=True))

        def agree_backlink(x_handle: str) -> bool:
            if backlink is not None:
                return backlink
            question = t("cli.reserve.backlink_confirm", x_handle=x_handle)
            return yes or (interactive() and not as_json and ask(question))

        report = move.reserve(
            set_bio=set_bio,
            backlink=agree_backlink,
            **({"calendar": calendar_path} if calendar_path else {}),
            lang=post_lang,
            website=website,
            template=template,
            bluesky=bluesky,
            mastodon=mastodon,
        )
    if as_json:  # one JSON object on stdout, nothing else
        print_json(report.to_json())
        return
    if report.bio_set:
        click.echo(t("cli.reserve.bio_set", bio=report.bio))
    else:
        click.echo(t("cli.reserve.bio_manual", bio=report.bio, length=len(report.bio)))
    if report.post_existed:
        click.echo(t("cli.reserve.post_exists"))
    elif report.post_id is None:
        click.echo(t("cli.reserve.post_waiting"))
    else:
        click.echo(t("cli.reserve.post_queued", id=report.post_id))
    if report.backlink:
        for network, added in report.backlinks.items():
            click.echo(
                t(
                    "cli.reserve.backlink_done",
                    service=service_name(network),
                    state=t("cli.reserve.added" if added else "cli.reserve.present"),
                )
            )
    else:
        click.echo(t("cli.reserve.backlink_skipped", x_handle=report.x_handle))
    click.echo(t("cli.reserve.calendar", path=report.calendar))
    click.echo(t("cli.reserve.checklist"))
    for line in report.checklist:
        click.echo(f"   - {line}")
