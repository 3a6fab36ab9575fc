"""``portabilite directory serve | register | unregister | mirror``: the open directory
service (issue 15); ``match --directory-server`` looks accounts up on it."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..i18n import t
from ._archive import directory_group
from ._root import _accounts, interactive, json_option, print_json, prompt, workspace_option

DATABASE_ENV = "PORTABILITE_DIRECTORY_DATABASE"


def _server_modules() -> None:
    """The server's own libraries are an extra: say how to get them, in one line."""
    from ..errors import DirectoryError

    try:
        import alembic  # noqa: F401
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        raise DirectoryError("service.needs_extra") from None


def _database(given: str | None) -> str:
    from ..errors import DirectoryError

    database = given or os.environ.get(DATABASE_ENV)
    if not database:
        raise DirectoryError("service.needs_database")
    return database


@directory_group.command("serve", help=t("help.service_serve"))
@click.option("--database", help=t("help.service_database"))
@click.option(
    "--key", "key_path", type=click.Path(dir_okay=False), required=True, help=t("help.service_key")
)
@click.option("--public-url", required=True, help=t("help.service_public_url"))
@click.option("--host", default="127.0.0.1", show_default=True, help=t("help.service_host"))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8450,
    show_default=True,
    help=t("help.service_port"),
)
@click.option("--appview", default="https://public.api.bsky.app", help=t("help.service_appview"))
@click.option("--plc", default="https://plc.directory", help=t("help.service_plc"))
@click.option(
    "--oembed", default="https://publish.twitter.com/oembed", help=t("help.service_oembed")
)
@click.option("--allow-host", "allow_hosts", multiple=True, help=t("help.service_allow_host"))
def serve_command(
    database: str | None,
    key_path: str,
    public_url: str,
    host: str,
    port: int,
    appview: str,
    plc: str,
    oembed: str,
    allow_hosts: tuple[str, ...],
) -> None:
    _server_modules()
    import uvicorn

    from ..directory_service import open_server
    from ..directory_service._proofs import Checker

    checker = Checker(appview=appview, plc=plc, oembed=oembed, allow_hosts=allow_hosts)
    app, store = open_server(_database(database), key_path, public_url=public_url, checker=checker)
    click.echo(t("service.serving", url=public_url, host=host, port=port))
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
    finally:
        store.close()
        checker.close()


@directory_group.command("mirror", help=t("help.service_mirror"))
@click.argument("source")
@click.option("--database", help=t("help.service_database"))
def mirror_command(source: str, database: str | None) -> None:
    _server_modules()
    import orjson

    from ..directory_service import copy_export
    from ..directory_service._db import Store, migrate
    from ..directory_service.client import ServiceClient

    url = _database(database)
    migrate(url)
    store = Store(url)
    try:
        if source.startswith(("http://", "https://")):
            with ServiceClient(source) as server:
                copied = copy_export(store, server.export())
        else:
            with open(source, "rb") as lines:
                copied = copy_export(store, (orjson.loads(line) for line in lines if line.strip()))
    finally:
        store.close()
    click.echo(
        t(
            "service.mirrored",
            source=source,
            entries=t("count.service_entries", count=copied["entries"]),
            tombstones=t("count.service_deletions", count=copied["tombstones"]),
        )
    )


def _mastodon_ready(code: str) -> None:
    click.echo(t("service.mastodon_steps", code=code))
    prompt(t("service.press_enter"), default="", show_default=False)


def _x_post(code: str) -> str | None:
    click.echo(t("service.x_steps", code=code))
    given = prompt(t("service.x_post_url"), default="", show_default=False).strip()
    return given or None


@directory_group.command("register", help=t("help.service_register"))
@click.option("--server", required=True, help=t("help.service_server"))
@click.option("--mastodon", "mastodon", metavar="USER@INSTANCE", help=t("help.service_mastodon"))
@click.option("--no-bluesky", is_flag=True, help=t("help.service_no_bluesky"))
@workspace_option
@json_option
def register_command(
    server: str, mastodon: str | None, no_bluesky: bool, workspace: Path | None, as_json: bool
) -> None:
    from ..errors import DirectoryError
    from ..migration import Migration

    asking = interactive() and not as_json
    if mastodon and not asking:
        raise DirectoryError("service.needs_terminal")
    with Migration(workspace, _accounts(), create=False) as move:
        entry = move.register_directory(
            server,
            bluesky=not no_bluesky,
            mastodon=mastodon,
            mastodon_ready=_mastodon_ready if asking else None,
            x_post=_x_post if asking else None,
        )
    if as_json:
        print_json(entry)
        return
    accounts = ", ".join(
        a
        for a in [
            ("Bluesky @" + str((entry.get("bluesky") or {}).get("handle")))
            if entry.get("bluesky")
            else "",
            ("Mastodon @" + str(entry["mastodon"])) if entry.get("mastodon") else "",
        ]
        if a
    )
    click.echo(
        t("service.registered", server=server, x_handle=entry.get("x_handle"), accounts=accounts)
    )
    click.echo(t("service.proof." + str(entry["x_proof"]), x_handle=entry.get("x_handle")))


@directory_group.command("unregister", help=t("help.service_unregister"))
@click.option("--server", required=True, help=t("help.service_server"))
@workspace_option
@json_option
def unregister_command(server: str, workspace: Path | None, as_json: bool) -> None:
    from ..migration import Migration

    asking = interactive() and not as_json
    with Migration(workspace, _accounts(), create=False) as move:
        tombstone = move.unregister_directory(
            server, mastodon_ready=_mastodon_ready if asking else None
        )
    if as_json:
        print_json(tombstone)
        return
    click.echo(t("service.unregistered", server=server))
