"""``portabilite report``: how portable the audience is, in plain words (issue 14)."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import t
from ._root import _accounts, cli, json_option, print_json, workspace_option


@cli.command("report", help=t("help.report"))
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help=t("help.report_html"))
@workspace_option
@json_option
def report_command(workspace: Path | None, html_path: str | None, as_json: bool) -> None:
    from ..migration import Migration
    from ..report import summary

    with Migration(workspace, _accounts(), create=False) as move:
        report = move.report()
        account = move.status().to_json()["account"]
    if html_path:
        from .._files import write_private
        from ..report import render_html

        write_private(html_path, render_html(report, account))  # readable by the user only
        if not as_json:
            click.echo(t("report.html.written", path=html_path))
    if as_json:
        print_json(report)
        return
    for line in summary(report):
        click.echo(line)
