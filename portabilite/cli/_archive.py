"""Commands on the archive and the workspace: ``import``, ``status``, ``directory import``."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import service_name, t
from ._root import (
    _accounts,
    _names,
    _print_match_counts,
    _summary_lines,
    byte_progress,
    cli,
    json_option,
    print_json,
    workspace_option,
)


@cli.command("import", help=t("help.import"))
@click.argument("archive", type=click.Path(path_type=str))
@click.option("--require-follows", is_flag=True, help=t("help.require_follows"))
@workspace_option
@json_option
def import_command(
    archive: str, require_follows: bool, workspace: Path | None, as_json: bool
) -> None:
    from ..migration import Migration

    with byte_progress(not as_json) as progress, Migration(workspace) as move:
        result = move.import_archive(archive, progress=progress, require_follows=require_follows)
    state = result.to_json()
    if as_json:
        print_json(state)
        return
    head = "cli.import.unchanged" if result.unchanged else "cli.import.done"
    click.echo(t(head, **_names(state)))
    click.echo("\n".join(_summary_lines(state)))


@cli.command("status", help=t("help.status"))
@workspace_option
@json_option
def status_command(workspace: Path | None, as_json: bool) -> None:
    from ..migration import Migration

    with Migration(workspace, _accounts(), create=False) as move:
        state = move.status().to_json()
        state["stuck_posts"] = move.stuck_posts()  # waiting for a login: said, never silent
    if as_json:
        print_json(state)
        return
    archive = state["archive"]
    click.echo(
        t(
            "cli.status.header",
            path=state["workspace"],
            layout=t("archive.layout." + archive["layout"]),
            imported_at=archive["imported_at"][:10],
            **_names(state),
        )
    )
    click.echo("\n".join(_summary_lines(state)[:-1]))
    matches = state.get("matches") or {}
    if any(sum(per.values()) for per in (matches.get("bluesky", {}), matches.get("mastodon", {}))):
        _print_match_counts(matches)
    reserve = state.get("reserve") or {}
    if reserve.get("login_due"):
        click.echo(
            t(
                "cli.status.login_due",
                days=reserve["days_since_login"],
                x_handle=state["account"]["username"],
            )
        )
    for network, ids in state["stuck_posts"].items():
        click.echo(t("post.stuck", service=service_name(network), network=network, count=len(ids)))


@cli.group("directory", help=t("help.directory"))
def directory_group() -> None:
    pass


@directory_group.command("import", help=t("help.directory_import"))
@click.argument("file", type=click.Path(path_type=str))
@click.option("--source", help=t("help.source"))
@click.option(
    "--encoding", type=click.Choice(["utf-8", "cp1252"]), default="utf-8", help=t("help.encoding")
)
@click.option("--skip-bad-rows", is_flag=True, help=t("help.skip_bad_rows"))
@workspace_option
@json_option
def directory_import(
    file: str,
    source: str | None,
    encoding: str,
    skip_bad_rows: bool,
    workspace: Path | None,
    as_json: bool,
) -> None:
    import os

    from ..migration import Migration

    with Migration(workspace, create=False) as move:
        counts = move.import_directory(
            file, source=source, encoding=encoding, skip_bad_rows=skip_bad_rows
        )
    if as_json:
        print_json(counts)
        return
    click.echo(
        t(
            "cli.directory.done",
            read=t("count.mappings_read", count=counts["read"]),
            added=t("count.new_mappings", count=counts["added"]),
            total=counts["total"],
        )
    )
    for row in counts.get("bad", []):  # reported, never silent
        click.echo(t("cli.directory.bad_line", file=os.path.basename(file), **row), err=True)
    if counts.get("bad_count"):
        click.echo(t("cli.directory.skipped", count=counts["bad_count"]), err=True)
