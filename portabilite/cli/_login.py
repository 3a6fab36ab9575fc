"""Commands on the accounts: ``login``, ``logout``, ``accounts``."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import PortabiliteError
from ..i18n import service_name, t
from ._root import (
    EXIT_USER,
    _accounts,
    cli,
    json_option,
    print_json,
    prompt,
    spinner,
)


def _print_login(info: Any, as_json: bool) -> None:
    if as_json:
        print_json(info.to_json())
    else:
        click.echo(
            t(
                "cli.login.done",
                network=service_name(info.network),
                account=info.account,
                server=info.server or "?",
                source=_where_saved(info.source),
            )
        )


def _where_saved(source: str) -> str:
    """Where a session is kept, in words: the system keyring, the environment, or a file."""
    if source == "environment":
        return t("cli.login.saved_environment")
    if source.startswith("keyring:"):
        return t("cli.login.saved_keyring", backend=source.partition(":")[2])
    return source


def _read_secret(from_stdin: bool, prompt_key: str) -> str:
    if from_stdin:
        value = sys.stdin.readline().strip()
    else:
        value = prompt(t(prompt_key), hide_input=True, err=True).strip()
    if not value:
        raise click.UsageError(t("cli.login.empty_password"))
    return value


@cli.group("login", help=t("help.login"))
def login_group() -> None:
    pass


@login_group.command("bluesky", help=t("help.login_bluesky"))
@click.option("--handle", envvar="PORTABILITE_BLUESKY_HANDLE", help=t("help.handle"))
@click.option("--pds", help=t("help.pds"))
@click.option("--appview", help=t("help.appview"))
@click.option("--plc", help=t("help.plc"))
@click.option("--app-password-stdin", is_flag=True, help=t("help.password_stdin"))
@json_option
def login_bluesky(
    handle: str | None,
    pds: str | None,
    appview: str | None,
    plc: str | None,
    app_password_stdin: bool,
    as_json: bool,
) -> None:
    from ..secrets import Secret

    accounts = _accounts()
    if not handle:
        handle = prompt(t("cli.login.prompt_handle"), err=True).strip()
    password = accounts.setting("PORTABILITE_BLUESKY_APP_PASSWORD")
    if not password:
        if not app_password_stdin:
            click.echo(t("cli.login.app_password_help"), err=True)
        password = _read_secret(app_password_stdin, "cli.login.prompt_app_password")
    with spinner(t("cli.wait.connecting", service="Bluesky")):
        info = accounts.login_bluesky(handle, Secret(password), pds=pds, appview=appview, plc=plc)
    _print_login(info, as_json)


@login_group.command("mastodon", help=t("help.login_mastodon"))
@click.option("--instance", envvar="PORTABILITE_MASTODON_INSTANCE", help=t("help.instance"))
@click.option("--token-stdin", is_flag=True, help=t("help.token_stdin"))
@click.option("--no-browser", is_flag=True, help=t("help.no_browser"))
@json_option
def login_mastodon(
    instance: str | None, token_stdin: bool, no_browser: bool, as_json: bool
) -> None:
    from ..i18n import get_language

    accounts = _accounts()
    if not instance:
        instance = prompt(t("cli.login.prompt_instance"), err=True).strip()
    token = accounts.setting("PORTABILITE_MASTODON_TOKEN")
    if token or token_stdin:
        secret = token or _read_secret(True, "cli.login.prompt_code")
        with spinner(t("cli.wait.connecting", service=instance)):
            info = accounts.login_mastodon_token(instance, secret)
    else:
        pending = accounts.start_mastodon_oauth(instance, lang=get_language())
        click.echo(t("cli.login.mastodon_open", url=pending["url"]), err=True)
        if not no_browser:
            import webbrowser

            webbrowser.open(pending["url"])
        code = _read_secret(False, "cli.login.prompt_code")
        with spinner(t("cli.wait.connecting", service=instance)):
            info = accounts.finish_mastodon_oauth(pending, code)
    _print_login(info, as_json)


@login_group.command("x", help=t("help.login_x"))
@click.option("--oauth1", is_flag=True, help=t("help.oauth1"))
@click.option("--client-id", envvar="PORTABILITE_X_CLIENT_ID", help=t("help.client_id"))
@click.option(
    "--redirect-uri",
    envvar="PORTABILITE_X_REDIRECT_URI",
    default="http://127.0.0.1:8765/callback",
    show_default=True,
    help=t("help.redirect_uri"),
)
@click.option("--secrets-stdin", is_flag=True, help=t("help.secrets_stdin"))
@click.option("--no-browser", is_flag=True, help=t("help.no_browser"))
@json_option
def login_x(
    oauth1: bool,
    client_id: str | None,
    redirect_uri: str,
    secrets_stdin: bool,
    no_browser: bool,
    as_json: bool,
) -> None:
    accounts = _accounts()

    def secret(env: str, prompt_key: str) -> str:
        return accounts.setting(env) or _read_secret(secrets_stdin, prompt_key)

    if oauth1:
        info = accounts.login_x_oauth1(
            secret("PORTABILITE_X_CONSUMER_KEY", "cli.login.prompt_consumer_key"),
            secret("PORTABILITE_X_CONSUMER_SECRET", "cli.login.prompt_consumer_secret"),
            secret("PORTABILITE_X_ACCESS_TOKEN", "cli.login.prompt_access_token"),
            secret("PORTABILITE_X_ACCESS_TOKEN_SECRET", "cli.login.prompt_access_token_secret"),
        )
    else:
        if not client_id:
            client_id = (
                sys.stdin.readline()
                if secrets_stdin
                else prompt(t("cli.login.prompt_client_id"), err=True)
            ).strip()
        pending = accounts.start_x_oauth2(client_id, redirect_uri)
        click.echo(t("cli.login.x_open", url=pending["url"]), err=True)
        if not no_browser and not secrets_stdin:
            import webbrowser

            webbrowser.open(pending["url"])
        answer = _read_secret(secrets_stdin, "cli.login.x_paste")
        info = accounts.finish_x_oauth2(
            pending, answer, accounts.setting("PORTABILITE_X_CLIENT_SECRET")
        )
    _print_login(info, as_json)


@cli.command("logout", help=t("help.logout"))
@click.argument("network", type=click.Choice(["bluesky", "mastodon", "x"]))
def logout_command(network: str) -> None:
    done = _accounts().logout(network)
    click.echo(t("cli.logout.done" if done else "cli.logout.none", network=service_name(network)))


@cli.command("accounts", help=t("help.accounts"))
@click.option("--check", is_flag=True, help=t("help.check"))
@json_option
def accounts_command(check: bool, as_json: bool) -> None:
    accounts = _accounts()
    rows = []
    for info in accounts.list():
        row = info.to_json()
        if check:
            try:
                accounts.check(info.network)
                row["check"] = {"ok": True}
            except PortabiliteError as exc:
                row["check"] = {"ok": False, "error": exc.message()}
        rows.append(row)
    if as_json:
        print_json({"accounts": rows})
        return
    if not rows:
        click.echo(t("cli.accounts.none"))
    for row in rows:
        click.echo(
            t(
                "cli.accounts.line",
                network=row["network"],
                account=row["account"],
                server=row["server"] or "?",
                logged_in_at=(row["logged_in_at"] or "?")[:10],
                source=row["source"],
            )
        )
        if "check" in row:
            click.echo(
                t("cli.accounts.ok")
                if row["check"]["ok"]
                else t("cli.accounts.failed", message=row["check"]["error"])
            )
    if check and any(not r["check"]["ok"] for r in rows):
        sys.exit(EXIT_USER)
