"""``portabilite report``: how portable the audience is, in plain words (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import t
from ._root import (
    _accounts,
    _counter_progress,
    agree_to_x_cost,
    cli,
    json_option,
    print_json,
    spinner,
    workspace_option,
)

if TYPE_CHECKING:
    from ..migration import Migration


@cli.command("report", help=t("help.report"))
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help=t("help.report_html"))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help=t("help.report_pdf"))
@click.option("--sample", type=click.IntRange(min=1), metavar="N", help=t("help.report_sample"))
@click.option("--offline", is_flag=True, help=t("help.report_offline"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
@json_option
def report_command(
    workspace: Path | None,
    html_path: str | None,
    pdf_path: str | None,
    sample: int | None,
    offline: bool,
    yes: bool,
    as_json: bool,
) -> None:
    from ..migration import Migration
    from ..report import summary

    for path in (html_path, pdf_path):  # before anything is read, paid or printed
        if path:
            _writable_folder(path)
    with Migration(workspace, _accounts(), create=False) as move:
        if sample:
            _read_sample(move, sample, offline=offline, yes=yes, as_json=as_json)
        report = move.report()
        account = move.status().to_json()["account"]
    if html_path or pdf_path:
        from ..report import render_html

        page = render_html(report, account)
        if pdf_path:
            from .._chromium import print_pdf

            with spinner(t("report.pdf.progress")):
                print_pdf(page, pdf_path)  # before the HTML: a failure leaves nothing half-done
        if html_path:
            from .._files import write_private

            write_private(html_path, page)  # readable by the user only
        if not as_json:
            if html_path:
                click.echo(t("report.html.written", path=html_path))
            if pdf_path:
                click.echo(t("report.pdf.written", path=pdf_path))
    if as_json:
        print_json(report)
        return
    for line in summary(report):
        click.echo(line)


def _writable_folder(path: str) -> None:
    """The folder of ``path`` exists and can be written to, or one sentence says why not."""
    import os

    from .._reasons import Reason
    from ..errors import ReportError

    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise ReportError("report.cannot_write", path=path, reason=Reason("reason.no_such_file"))
    if not os.access(folder, os.W_OK):
        raise ReportError(
            "report.cannot_write", path=path, reason=Reason("reason.permission_denied")
        )


def _read_sample(move: Migration, size: int, *, offline: bool, yes: bool, as_json: bool) -> None:
    """Draw the sample, say what reading it costs, ask, read it and look it up."""
    cost = move.sample_cost(size)
    if cost["to_read"]:
        move.client("x")  # the X login is checked first: no question about a read that cannot run
        if not agree_to_x_cost(
            cost,
            priced="report.sample_cost",
            unpriced="report.sample_unknown_price",
            confirm="report.sample_confirm",
            cancelled="report.sample_cancelled",
            yes=yes,
            as_json=as_json,
            sample=cost["sample"],
            to_read=cost["to_read"],
        ):
            return
    with _counter_progress(not as_json, t("report.sample_progress")) as progress:
        done = move.read_sample(online=not offline, progress=progress)
    if not as_json:
        click.echo(t("report.sample_done", **done), err=True)
