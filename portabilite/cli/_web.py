"""``portabilite web``: the local page for the whole flow (issue 14)."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import t
from ._root import cli, workspace_option


@cli.command("web", help=t("help.web"))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help=t("help.web_port"))
@click.option("--no-browser", is_flag=True, help=t("help.web_no_browser"))
@click.option("--avatars", is_flag=True, help=t("help.web_avatars"))
@workspace_option
def web_command(workspace: Path | None, port: int, no_browser: bool, avatars: bool) -> None:
    from ..web import Server

    try:
        server = Server(workspace, port=port, avatars=avatars)
    except OSError as exc:  # the port is taken, or not ours to use
        from .._reasons import because

        raise click.ClickException(t("web.cannot_listen", port=port, reason=because(exc))) from None
    click.echo(t("web.open", url=server.url))
    click.echo(t("web.stop"))
    opener = None if no_browser else _open_in_browser(server.url)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if opener is not None:
            opener.unlink(missing_ok=True)
    cut = server.jobs.running()
    if cut is not None:  # the journal resumes it: say so
        click.echo(t(f"web.stopped_{cut.kind}"), err=True)
    click.echo(t("web.stopped"))


def _open_in_browser(url: str) -> Path | None:
    """Open ``url`` through a file only the user can read that sends the browser on: the
    browser's command line (which every user of the machine can list) never holds the key."""
    import html
    import os
    import tempfile
    import webbrowser

    from .._files import write_private

    fd, name = tempfile.mkstemp(prefix="portabilite-web-", suffix=".html")
    os.close(fd)
    page = Path(name)
    target = html.escape(url, quote=True)
    write_private(
        page,
        f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={target}">'
        f'<a href="{target}">portabilite</a>',
    )
    webbrowser.open(page.as_uri())
    return page
