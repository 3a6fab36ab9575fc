"""Naming the accounts the archive only numbers: ``hints import``, ``following``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..i18n import t
from ._root import cli, json_option, print_json, workspace_option

if TYPE_CHECKING:
    from ..hints import Followed


@cli.group("hints", help=t("help.hints"))
def hints_group() -> None:
    pass


@hints_group.command("import", help=t("help.hints_import"))
@click.argument("file", type=click.Path(path_type=str))
@workspace_option
@json_option
def hints_import(file: str, workspace: Path | None, as_json: bool) -> None:
    from ..migration import Migration

    with Migration(workspace, create=False) as move:
        report = move.import_hints(file)
    if as_json:
        print_json(report)
        return
    click.echo(
        t(
            "cli.hints.done",
            file=report["file"],
            read=t("count.accounts_read", count=report["read"]),
            added=t("count.named_first", count=report["added"]),
            skipped=t("count.rows_skipped", count=report["bad_count"]),
        )
    )
    for row in report["bad"]:  # reported, never silent: the good rows are kept
        click.echo(t("cli.hints.bad_line", file=report["file"], **row), err=True)
    if report["bad_count"] > len(report["bad"]):
        click.echo(
            t("cli.hints.more_bad", count=report["bad_count"] - len(report["bad"])), err=True
        )


def _names_text(entry: Followed) -> str:
    def where(name: dict[str, Any]) -> str:
        return name["file"] if name["from"] == "hints" else t("cli.following.from." + name["from"])

    return ", ".join(f"@{n['name']} ({where(n)})" for n in entry["names"])


@cli.command("following", help=t("help.following"))
@click.option("--followers", is_flag=True, help=t("help.following_followers"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help=t("help.format"),
)
@workspace_option
def following_command(followers: bool, fmt: str, workspace: Path | None) -> None:
    from .._escape import for_csv, for_rich, for_terminal
    from ..migration import Migration

    with Migration(workspace, create=False) as move:
        move.status()  # an archive must be imported first
        rows = move.following(followers=followers)
    if fmt == "json":
        print_json(rows)
        return
    if fmt == "csv":
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["x_id", "handle", "display_name", "link", "bluesky", "mastodon", "names"])
        for row in rows:  # names from other people: never a formula, never a control sequence
            out.writerow(
                [
                    for_csv(for_terminal(cell, inline=False))
                    for cell in (
                        row["x_id"],
                        row["handle"] or "",
                        row["display_name"] or "",
                        row["link"],
                        row["matches"]["bluesky"] or "",
                        row["matches"]["mastodon"] or "",
                        _names_text(row),
                    )
                ]
            )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for header in ("X", t("cli.following.name"), "Bluesky", "Mastodon", t("cli.following.seen")):
        table.add_column(header, overflow="fold")
    for row in rows:
        x = "@" + row["handle"] if row["handle"] else row["link"]
        table.add_row(
            *map(
                for_rich,
                (
                    x,
                    row["display_name"] or "",
                    *(
                        t("status." + status) if status else "-"
                        for status in (row["matches"]["bluesky"], row["matches"]["mastodon"])
                    ),
                    _names_text(row),
                ),
            )
        )
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    named = sum(1 for row in rows if row["handle"])
    click.echo(t("cli.following.summary", named=named, total=len(rows)))
