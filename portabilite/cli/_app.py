"""Command-line skin. Each command parses options, calls one library function, prints.

Exit codes: 0 ok; 1 bad input or a refusal (every ``PortabiliteError``); 2 usage error;
3 internal error (a bug: one line, no traceback unless ``PORTABILITE_DEBUG=1``); 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from .._version import __version__
from ..errors import PortabiliteError
from ..i18n import LANGUAGES, set_language, t

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns every failure into one line on stderr and a documented exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            _fail(t("cli.usage_error", message=exc.format_message()), EXIT_USAGE)
        except click.ClickException as exc:
            _fail(t("cli.error_prefix", message=exc.format_message()), EXIT_USER)
        except PortabiliteError as exc:
            _fail(t("cli.error_prefix", message=str(exc)), exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            _fail(t("cli.interrupted"), EXIT_INTERRUPTED)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("PORTABILITE_DEBUG"):
                raise
            _fail(t("cli.internal_error", error=type(exc).__name__), EXIT_INTERNAL)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        set_language(value)
    return value


@click.group(
    cls=_Group, help=t("help.main"), context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "--version", prog_name="portabilite")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    callback=_set_lang,
    is_eager=True,
    expose_value=False,
    help=t("help.lang"),
)
@click.option(
    "-w",
    "--workspace",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PORTABILITE_WORKSPACE",
    help=t("help.workspace"),
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    ctx.obj = {"workspace": workspace}


def _workspace_default(
    ctx: click.Context, param: click.Parameter, value: Path | None
) -> Path | None:
    """``-w`` works before or after the command name; after wins."""
    if value is not None:
        return value
    return (ctx.find_root().obj or {}).get("workspace")


def workspace_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-w",
        "--workspace",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_workspace_default,
        help=t("help.workspace"),
    )(f)


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help=t("help.json"))(f)


def print_json(value: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


@contextmanager
def byte_progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(t("cli.progress_reading"), total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        yield update


def _summary_lines(state: dict[str, Any]) -> list[str]:
    counts = state["counts"]
    lines = [t("cli.counts", **counts)]
    if counts["following"] or counts["handle_hints"]:
        percent = (
            round(100 * counts["following_named"] / counts["following"])
            if counts["following"]
            else 0
        )
        lines.append(t("cli.hints", percent=percent, **counts))
    changes = state.get("changes") or {}
    changed = [
        t("cli.change", kind=t(f"cli.kind.{_KIND_OF[key]}"), **c)
        for key, c in changes.items()
        if c["added"] or c["removed"]
    ]
    if changed:
        lines.append(t("cli.import.changes", changes=", ".join(changed)))
    warnings = state["archive"]["warnings"]
    if warnings:
        lines.append(t("cli.warnings"))
        lines.extend(f"  - {w['message']}" for w in warnings)
    lines.append(t("cli.workspace_line", path=state["workspace"]))
    return lines


_KIND_OF = {"following": "following", "followers": "follower", "blocks": "block", "mutes": "mute"}


def _names(state: dict[str, Any]) -> dict[str, str]:
    account = state["account"]
    generated = state["archive"].get("generated_at")
    return {
        "username": account["username"],
        "display_name": account.get("display_name") or account["username"],
        "generated_at": generated[:10] if generated else t("cli.unknown_date"),
    }


@cli.command("import", help=t("help.import"))
@click.argument("archive", type=click.Path(path_type=str))
@workspace_option
@json_option
def import_command(archive: str, workspace: Path | None, as_json: bool) -> None:
    from ..importer import import_archive

    with byte_progress(not as_json) as progress:
        result = import_archive(archive, workspace, progress=progress)
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
    from ..importer import status
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        state = status(ws)
    if as_json:
        print_json(state)
        return
    archive = state["archive"]
    click.echo(
        t(
            "cli.status.header",
            path=state["workspace"],
            layout=archive["layout"],
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


# -- accounts ----------------------------------------------------------------------------------


def _accounts() -> Any:
    from ..accounts import Accounts

    return Accounts()


def _print_login(info: Any, as_json: bool) -> None:
    if as_json:
        print_json(info.to_json())
    else:
        click.echo(
            t(
                "cli.login.done",
                network=info.network,
                account=info.account,
                server=info.server or "?",
                source=info.source,
            )
        )


def _read_secret(from_stdin: bool, prompt_key: str) -> str:
    if from_stdin:
        value = sys.stdin.readline().strip()
    else:
        value = click.prompt(t(prompt_key), hide_input=True, err=True).strip()
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
        handle = click.prompt(t("cli.login.prompt_handle"), err=True).strip()
    password = accounts._env("PORTABILITE_BLUESKY_APP_PASSWORD")
    if not password:
        if not app_password_stdin:
            click.echo(t("cli.login.app_password_help"), err=True)
        password = _read_secret(app_password_stdin, "cli.login.prompt_app_password")
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
        instance = click.prompt(t("cli.login.prompt_instance"), err=True).strip()
    token = accounts._env("PORTABILITE_MASTODON_TOKEN")
    if token or token_stdin:
        info = accounts.login_mastodon_token(
            instance, token or _read_secret(True, "cli.login.prompt_code")
        )
    else:
        pending = accounts.start_mastodon_oauth(instance, lang=get_language())
        click.echo(t("cli.login.mastodon_open", url=pending["url"]), err=True)
        if not no_browser:
            import webbrowser

            webbrowser.open(pending["url"])
        info = accounts.finish_mastodon_oauth(pending, _read_secret(False, "cli.login.prompt_code"))
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
        return accounts._env(env) or _read_secret(secrets_stdin, prompt_key)

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
                else click.prompt(t("cli.login.prompt_client_id"), err=True)
            ).strip()
        pending = accounts.start_x_oauth2(client_id, redirect_uri)
        click.echo(t("cli.login.x_open", url=pending["url"]), err=True)
        if not no_browser and not secrets_stdin:
            import webbrowser

            webbrowser.open(pending["url"])
        answer = _read_secret(secrets_stdin, "cli.login.x_paste")
        info = accounts.finish_x_oauth2(
            pending, answer, accounts._env("PORTABILITE_X_CLIENT_SECRET")
        )
    _print_login(info, as_json)


@cli.command("logout", help=t("help.logout"))
@click.argument("network", type=click.Choice(["bluesky", "mastodon", "x"]))
def logout_command(network: str) -> None:
    done = _accounts().logout(network)
    click.echo(t("cli.logout.done" if done else "cli.logout.none", network=network))


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


# -- matching ----------------------------------------------------------------------------------


@cli.group("directory", help=t("help.directory"))
def directory_group() -> None:
    pass


@directory_group.command("import", help=t("help.directory_import"))
@click.argument("file", type=click.Path(path_type=str))
@click.option("--source", help=t("help.source"))
@workspace_option
@json_option
def directory_import(file: str, source: str | None, workspace: Path | None, as_json: bool) -> None:
    from ..matching import import_directory
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        counts = import_directory(ws, file, source)
    if as_json:
        print_json(counts)
    else:
        click.echo(t("cli.directory.done", **counts))


def _print_match_counts(counts: dict[str, Any]) -> None:
    click.echo(t("cli.match.following"))
    for network in ("bluesky", "mastodon"):
        click.echo("  " + t("cli.match.line", network=network, **counts[network]))
    click.echo(t("cli.match.followers"))
    for network in ("bluesky", "mastodon"):
        click.echo("  " + t("cli.match.line", network=network, **counts["followers"][network]))


@cli.command("match", help=t("help.match"))
@click.option("--offline", is_flag=True, help=t("help.offline"))
@click.option("--refresh", is_flag=True, help=t("help.refresh"))
@click.option("--search/--no-search", default=True, help=t("help.search"))
@workspace_option
@json_option
def match_command(
    offline: bool, refresh: bool, search: bool, workspace: Path | None, as_json: bool
) -> None:
    from ..matching import match_workspace
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        from ..importer import status

        status(ws)  # an archive must be imported first
        bluesky = mastodon = guard = None
        if not offline:
            accounts = _accounts()
            guard = accounts.guard("mastodon")
            try:
                bluesky = accounts.bluesky()
            except PortabiliteError:
                bluesky = accounts._bluesky_client(None)  # the public AppView needs no login
            try:
                mastodon = accounts.mastodon()  # finds moved and suspended accounts
            except PortabiliteError:
                mastodon = None
        try:
            with _counter_progress(not as_json, t("cli.match.progress")) as progress:
                counts = match_workspace(
                    ws,
                    bluesky=bluesky,
                    mastodon=mastodon,
                    guard=guard,
                    refresh=refresh,
                    search=search,
                    progress=progress,
                )
        finally:
            for client in (bluesky, mastodon):
                if client is not None:
                    client.close()
    if as_json:
        print_json({"matches": counts})
        return
    _print_match_counts(counts)
    click.echo(t("cli.match.next"))


@contextmanager
def _counter_progress(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """One counting bar (done / total) on a terminal; nothing otherwise."""
    with _bars(enabled, transient=True) as update:
        yield (lambda done, total: update(label, done, total)) if update else None


@contextmanager
def _bars(
    enabled: bool, transient: bool = False
) -> Iterator[Callable[[str, int, int], None] | None]:
    """Counting bars on stderr, one per name, when it is a terminal; nothing otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=transient,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        yield update


def _account_text(match: dict[str, Any]) -> str:
    account = match["account"]
    if match["network"] == "bluesky":
        return "@" + str(account.get("handle") or account.get("did"))
    return "@" + str(account["address"])


@cli.command("hydrate", help=t("help.hydrate"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@click.option("--lists", "with_lists", is_flag=True, help=t("help.hydrate_lists"))
@workspace_option
@json_option
def hydrate_command(yes: bool, with_lists: bool, workspace: Path | None, as_json: bool) -> None:
    from ..matching import estimate, hydrate
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        cost = estimate(ws)
        if cost["usd"] is not None:
            notice = t(
                "cli.hydrate.estimate",
                accounts=cost["accounts"],
                usd=cost["usd"],
                price=cost["price"],
                source=cost["source"],
                checked=cost["checked"],
            )
        else:
            notice = t("cli.hydrate.unknown_price", accounts=cost["accounts"])
        click.echo(notice, err=True)
        if not yes and not click.confirm(t("cli.hydrate.confirm"), default=False, err=True):
            click.echo(t("cli.hydrate.cancelled"))
            return
        with (
            _accounts().x() as x,
            _counter_progress(not as_json, t("cli.hydrate.progress")) as progress,
        ):
            count = hydrate(ws, x, progress=progress)
            owned = None
            if with_lists:
                from ..matching import hydrate_lists

                owned = hydrate_lists(ws, x)
    if as_json:
        print_json(
            {
                "hydrated": count,
                "lists": owned,
                "estimate": {**cost, "usd": str(cost["usd"]), "price": str(cost["price"])},
            }
        )
    else:
        click.echo(t("cli.hydrate.done", count=count))
        if owned is not None:
            click.echo(t("cli.hydrate.lists_done", **owned))


@cli.command("matches", help=t("help.matches"))
@click.option(
    "--network", type=click.Choice(["bluesky", "mastodon"]), help=t("help.network_filter")
)
@click.option(
    "--status",
    "status_",
    type=click.Choice(["confirmed", "probable", "rejected"]),
    help=t("help.status_filter"),
)
@click.option("--followers", is_flag=True, help=t("help.followers"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help=t("help.format"),
)
@workspace_option
def matches_command(
    network: str | None, status_: str | None, followers: bool, fmt: str, workspace: Path | None
) -> None:
    from ..matching import list_matches
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        rows = list_matches(
            ws, network=network, status=status_, relation="follower" if followers else "following"
        )
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        import csv

        from .._escape import for_csv, for_terminal

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(
            [
                "id",
                "x_id",
                "x_handle",
                "network",
                "account",
                "did",
                "bridged",
                "status",
                "score",
                "evidence",
            ]
        )
        for m in rows:  # cells from other people: never a formula, never a control sequence
            account = m["account"]
            out.writerow(
                [
                    for_csv(for_terminal(cell, inline=False))
                    for cell in [
                        m["id"],
                        m["x_id"],
                        m["x_handle"] or "",
                        m["network"],
                        account.get("handle") or account.get("address") or "",
                        account.get("did") or "",
                        str(m["bridged"]).lower(),
                        m["status"],
                        m["score"],
                        "; ".join(f"{e['kind']}: {e['detail']}" for e in m["evidence"]),
                    ]
                ]
            )
    elif not rows:
        click.echo(t("cli.matches.none"))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for header in ("id", "X", "network", "account", "status", "score", "evidence"):
            table.add_column(header, overflow="fold")  # wrap, never cut a handle short
        from .._escape import for_rich

        for m in rows:  # handles from other people: no markup, no control sequence
            table.add_row(
                *map(
                    for_rich,
                    (
                        str(m["id"]),
                        "@" + (m["x_handle"] or m["x_id"]),
                        m["network"],
                        _account_text(m),
                        m["status"],
                        f"{m['score']:.2f}",
                        ", ".join(e["kind"] for e in m["evidence"]),
                    ),
                )
            )
        Console(width=None if sys.stdout.isatty() else 160).print(table)


@cli.command("review", help=t("help.review"))
@click.option("--accept", multiple=True, type=int, help=t("help.accept"))
@click.option("--reject", multiple=True, type=int, help=t("help.reject"))
@workspace_option
def review_command(
    accept: tuple[int, ...], reject: tuple[int, ...], workspace: Path | None
) -> None:
    from .._escape import for_terminal
    from ..matching import decide, list_matches
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        if accept or reject:
            for match_id in accept:
                decide(ws, match_id, "accepted")
            for match_id in reject:
                decide(ws, match_id, "rejected")
            click.echo(t("cli.review.done", accepted=len(accept), rejected=len(reject)))
            return
        pending = [
            m for m in list_matches(ws, status="probable", relation=None) if m["decision"] is None
        ]
        if not pending:
            click.echo(t("cli.review.none"))
            return
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for m in pending:  # the alternatives for one X account on one network, together
            groups.setdefault((m["x_id"], m["network"]), []).append(m)
        counts = {"accepted": 0, "rejected": 0}
        for n, group in enumerate(groups.values(), 1):
            group.sort(key=lambda m: -m["score"])
            first = group[0]
            click.echo(
                for_terminal(
                    t(
                        "cli.review.group",
                        n=n,
                        total=len(groups),
                        x_handle=first["x_handle"] or "?",
                        x_id=first["x_id"],
                        network=first["network"],
                        count=len(group),
                    )
                )
            )
            for i, m in enumerate(group, 1):  # names and details come from other people
                click.echo(
                    for_terminal(
                        f"  {i}. {_account_text(m)}  ({m['display_name'] or ''}, "
                        f"{t('cli.review.score')} {m['score']:.2f})"
                    )
                )
                for e in m["evidence"]:
                    click.echo(for_terminal(f"       {e['weight']:+.2f}  {e['detail']}"))
            numbers = [str(i) for i in range(1, len(group) + 1)]
            if len(group) == 1:
                choice = click.prompt(
                    t("cli.review.prompt"),
                    type=click.Choice(["a", "r", "s", "q"]),
                    default="s",
                    show_choices=False,
                )
                choice = {"a": "1"}.get(choice, choice)
            else:
                choice = click.prompt(
                    t("cli.review.prompt_many", last=len(group)),
                    type=click.Choice(numbers + ["r", "s", "q"]),
                    default="s",
                    show_choices=False,
                )
            if choice == "q":
                break
            if choice == "s":
                continue
            for i, m in enumerate(group, 1):  # saved at once: quitting loses nothing
                decision = "accepted" if choice == str(i) else "rejected"
                decide(ws, m["id"], decision)
                counts[decision] += 1
        click.echo(t("cli.review.done", **counts))


# -- following ---------------------------------------------------------------------------------


def _current_follows(
    accounts: Any, networks: list[str]
) -> tuple[dict[str, set[str]], dict[str, str], dict[str, Any]]:
    """What the user follows now on each network they are logged in to (read, never written)."""
    current: dict[str, set[str]] = {}
    owners: dict[str, str] = {}
    clients: dict[str, Any] = {}
    if "bluesky" in networks:
        try:
            client = accounts.bluesky()
        except PortabiliteError:
            client = None
        if client is not None:
            clients["bluesky"] = client
            owners["bluesky"] = client.did or ""
            current["bluesky"] = {str(r.value.get("subject")) for r in client.follows()}
    if "mastodon" in networks:
        try:
            client = accounts.mastodon()
        except PortabiliteError:
            client = None
        if client is not None:
            clients["mastodon"] = client
            me = client.me()
            owners["mastodon"] = me.acct if "@" in me.acct else f"{me.acct}@{client.local_domain}"
            current["mastodon"] = {
                a.acct if "@" in a.acct else f"{a.acct}@{client.local_domain}"
                for a in client.iter_following()
            }
    return current, owners, clients


def _print_plan(plan: Any) -> None:
    data = plan.to_json()
    for network, part in data["networks"].items():
        service = {"bluesky": "Bluesky", "mastodon": "Mastodon"}[network]
        reasons: dict[str, int] = {}
        for item in part["skipped"]:
            reasons[item["reason"]] = reasons.get(item["reason"], 0) + 1
        text = ", ".join(f"{t('cli.follow.reason.' + r)} {n}" for r, n in sorted(reasons.items()))
        click.echo(
            t(
                "cli.follow.network_line",
                service=service,
                count=len(part["to_follow"]),
                skipped=len(part["skipped"]),
                reasons=f" ({text})" if text else "",
            )
        )
        for item in part["to_follow"]:
            click.echo(
                t(
                    "cli.follow.item",
                    account="@" + item["handle_or_address"],
                    x_handle=item["x_handle"] or item["x_id"],
                    status=item["status"],
                    evidence=", ".join(item["evidence"]),
                )
            )
        if "lists" in part:
            click.echo(
                t(
                    "cli.follow.lists",
                    service=service,
                    lists=", ".join(
                        f"{item['name']} ({len(item['members'])})" for item in part["lists"]
                    )
                    or "-",
                )
            )
        for kind in ("block", "mute"):
            if f"to_{kind}" in part:
                click.echo(
                    t(
                        f"cli.follow.to_{kind}",
                        service=service,
                        accounts=", ".join("@" + e["handle_or_address"] for e in part[f"to_{kind}"])
                        or "-",
                    )
                )
        estimate = data["estimate"][network]
        if estimate["follows"]:
            click.echo(t(f"cli.follow.estimate_{network}", **estimate))
            if estimate.get("csv_suggested"):
                click.echo(t("cli.follow.csv_hint"))
        if not part["reconciled"]:
            click.echo(t("cli.follow.not_reconciled", service=service, network=network))


@contextmanager
def _network_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """One bar per network (done / total) on a terminal; nothing otherwise."""
    with _bars(enabled) as update:
        yield (
            (lambda network, done, total: update(network.capitalize(), done, total))
            if update
            else None
        )


@cli.command("follow", help=t("help.follow"))
@click.option("--dry-run", is_flag=True, help=t("help.dry_run"))
@click.option(
    "--network", type=click.Choice(["bluesky", "mastodon"]), help=t("help.follow_network")
)
@click.option("--limit", type=click.IntRange(min=0), help=t("help.limit"))
@click.option("--only", type=click.Choice(["confirmed"]), help=t("help.only"))
@click.option("--include-probable", is_flag=True, help=t("help.include_probable"))
@click.option("--daily-cap", type=click.IntRange(min=1), help=t("help.daily_cap"))
@click.option("--mastodon-csv", type=click.Path(dir_okay=False), help=t("help.mastodon_csv"))
@click.option("--wait", is_flag=True, help=t("help.wait"))
@click.option("--blocks", is_flag=True, help=t("help.blocks"))
@click.option("--mutes", is_flag=True, help=t("help.mutes"))
@click.option("--lists", is_flag=True, help=t("help.lists"))
@click.option(
    "--budget-margin",
    type=click.FloatRange(0.0, 0.9),
    default=0.1,
    show_default=True,
    help=t("help.budget_margin"),
)
@click.option("--retry-failed", is_flag=True, help=t("help.retry_failed"))
@workspace_option
@json_option
def follow_command(
    dry_run: bool,
    network: str | None,
    limit: int | None,
    only: str | None,
    include_probable: bool,
    daily_cap: int | None,
    mastodon_csv: str | None,
    wait: bool,
    blocks: bool,
    mutes: bool,
    lists: bool,
    budget_margin: float,
    retry_failed: bool,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..follow import build_plan
    from ..importer import status
    from ..matching import match_workspace
    from ..workspace import Workspace

    networks = [network] if network else ["bluesky", "mastodon"]
    accounts = _accounts()
    with Workspace.open(workspace, create=False) as ws:
        state = status(ws)
        counts = state["matches"]
        if not any(sum(counts[n].values()) for n in ("bluesky", "mastodon")):
            if not as_json:
                click.echo(t("cli.follow.matching_offline"), err=True)
            match_workspace(ws)  # offline: the README's example needs no network
        current, owners, clients = _current_follows(accounts, networks)
        try:
            plan = build_plan(
                ws,
                networks=networks,
                include_probable=include_probable,
                only_confirmed=only == "confirmed",
                limit=limit,
                daily_caps={n: daily_cap for n in networks} if daily_cap else None,
                current=current,
                owners=owners,
                blocks=blocks,
                mutes=mutes,
                lists=lists,
            )
            if mastodon_csv and "mastodon" in plan.networks:
                from ..follow import write_mastodon_csv

                files = write_mastodon_csv(plan, mastodon_csv)
                if not as_json:
                    click.echo(
                        t(
                            "cli.follow.csv_written",
                            files=", ".join(files),
                            count=len(plan.networks["mastodon"].to_follow),
                        )
                    )
                if network == "mastodon" or dry_run:
                    if as_json:
                        print_json({**plan.to_json(), "mastodon_csv": files})
                    return
                plan.networks.pop("mastodon")  # the CSV route replaces the API for Mastodon
            if dry_run:
                if as_json:
                    print_json(plan.to_json())
                else:
                    _print_plan(plan)
                    click.echo(t("cli.follow.dry_run_done"))
                return
            from ..follow import apply_plan, failures
            from ..follow import retry_failed as put_back

            if retry_failed:
                put_back(ws, networks)
            with _network_progress(not as_json) as progress:
                result = apply_plan(
                    ws,
                    plan,
                    clients,
                    daily_caps=plan.daily_caps,
                    wait=wait,
                    margin=budget_margin,
                    progress=progress,
                )
            why = {
                name: failures(ws, name)
                for name, part in result["networks"].items()
                if part.get("failed")
            }
        finally:
            for client in clients.values():
                client.close()
    if as_json:
        print_json(
            {
                **result,
                "failures": {n: [{"reason": r, "count": c} for r, c in w] for n, w in why.items()},
            }
        )
    else:
        for name, part in result["networks"].items():
            click.echo(t("cli.follow.applied", service=name.capitalize(), **part))
        for name, reasons in why.items():
            for reason, count in reasons:  # one line each, with what to do
                click.echo(
                    t(
                        "cli.follow.failed_line",
                        service=name.capitalize(),
                        count=count,
                        reason=reason,
                    ),
                    err=True,
                )
        if why:
            click.echo(t("cli.follow.retry_hint"), err=True)
    if why:
        sys.exit(1)  # a partial run says so to scripts too


@cli.command("unfollow", help=t("help.unfollow"))
@click.option("--undo", is_flag=True, required=True, help=t("help.undo"))
@click.option(
    "--network", type=click.Choice(["bluesky", "mastodon"]), help=t("help.follow_network")
)
@workspace_option
def unfollow_command(undo: bool, network: str | None, workspace: Path | None) -> None:
    from ..follow import undo as undo_follows
    from ..workspace import Workspace

    networks = [network] if network else ["bluesky", "mastodon"]
    accounts = _accounts()
    with Workspace.open(workspace, create=False) as ws:
        _, owners, clients = _current_follows(accounts, networks)
        try:
            for name in networks:
                if name in clients:
                    removed = undo_follows(ws, name, clients[name], owners[name])
                    click.echo(t("cli.unfollow.done", service=name.capitalize(), count=removed))
        finally:
            for client in clients.values():
                client.close()


# -- posting -----------------------------------------------------------------------------------


class _PostGroup(click.Group):
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


def _identity(accounts: Any, ws: Any) -> dict[str, Any]:
    """Who the user is on each network, for the redirect message (no request made)."""
    bluesky = (accounts.store.load("bluesky") or {}).get("handle")
    mastodon = (accounts.store.load("mastodon") or {}).get("acct")
    account = ws.account() or {}
    return {"bluesky": bluesky, "mastodon": mastodon, "x_handle": account.get("username")}


def _compose(
    ws: Any, lang: str | None, website: str | None, template: str | None
) -> tuple[dict[str, str], str, int]:
    from ..i18n import get_language
    from ..posting import compose, load_template

    accounts = _accounts()
    lang = lang or get_language()
    limit = 500
    if (accounts.store.load("mastodon") or {}).get("access_token"):
        try:
            with accounts.mastodon() as client:
                limit = client.instance().max_characters or 500
        except PortabiliteError:
            pass
    texts = compose(
        load_template(lang, template),
        website=website,
        mastodon_limit=limit,
        **_identity(accounts, ws),
    )
    return texts, lang, limit


def _post_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in (
        click.option(
            "--lang", "post_lang", type=click.Choice(["en", "fr"]), help=t("help.post_lang")
        ),
        click.option("--website", help=t("help.website")),
        click.option("--template", type=click.Path(dir_okay=False), help=t("help.template")),
    ):
        f = option(f)
    return f


@cli.group("post", cls=_PostGroup, help=t("help.post"))
def post_group() -> None:
    pass


@post_group.command("compose", help=t("help.post_compose"))
@_post_options
@workspace_option
@json_option
def post_compose(
    post_lang: str | None,
    website: str | None,
    template: str | None,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from ..posting import bluesky_length, mastodon_length, x_length
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        texts, lang, mastodon_limit = _compose(ws, post_lang, website, template)
    if as_json:
        print_json({"lang": lang, "texts": texts})
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
    from ..posting import queue_post
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        texts, lang, _ = _compose(ws, post_lang, website, template)
        chosen = _parse_networks(networks, ("x", "bluesky", "mastodon"))
        due = _parse_when(when)
        post_id = queue_post(
            ws, {n: texts[n] for n in chosen}, due_at=due, pin=pin, lang=lang, redirect=True
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


def _send(ws: Any, yes: bool, as_json: bool) -> list[dict[str, Any]]:
    from ..posting import send_due

    accounts = _accounts()
    clients: dict[str, Any] = {}
    for network in ("bluesky", "mastodon", "x"):
        try:
            clients[network] = getattr(accounts, network)()
        except PortabiliteError:
            continue
    if "x" in clients:
        queued_x = ws.conn.execute(
            "SELECT text FROM post_delivery WHERE network = 'x' AND state = 'queued'"
        ).fetchall()
        if queued_x and not yes:
            from ..networks.x import post_cost

            kind, usd = post_cost(queued_x[0][0])
            if not click.confirm(
                t("cli.post.x_cost", usd=usd if usd is not None else "?", kind=kind),
                default=False,
                err=True,
            ):
                clients.pop("x").close()
    try:
        report = send_due(ws, clients)
    finally:
        for client in clients.values():
            client.close()
    if not as_json:
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
    return report


@post_group.command("send", help=t("help.post_send"))
@click.option("--wait", is_flag=True, help=t("help.post_wait"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@workspace_option
@json_option
def post_send(wait: bool, yes: bool, workspace: Path | None, as_json: bool) -> None:
    import time as _time
    from datetime import datetime, timezone

    from .._time import parse_any
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        reports = _send(ws, yes, as_json)
        while wait:
            row = ws.conn.execute(
                "SELECT min(p.due_at) FROM post p JOIN post_delivery d ON d.post_id = p.id"
                " WHERE p.cancelled = 0 AND d.state = 'queued'"
            ).fetchone()
            if not row or not row[0]:
                break
            due = parse_any(row[0])
            delay = (due - datetime.now(timezone.utc)).total_seconds() if due else 0
            _time.sleep(max(delay, 1))
            reports += _send(ws, yes, as_json)
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
    from ..posting import queue_post
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        queue_post(ws, {n: text for n in _parse_networks(networks, ("bluesky", "mastodon"))})
        report = _send(ws, yes, as_json)
    if as_json:
        print_json(report)


# -- keeping the handle ------------------------------------------------------------------------


@cli.command("reserve", help=t("help.reserve"))
@click.option("--logged-in", is_flag=True, help=t("help.logged_in"))
@click.option(
    "--calendar",
    "calendar_path",
    type=click.Path(dir_okay=False),
    default="portabilite-x-reminder.ics",
    show_default=True,
    help=t("help.calendar"),
)
@click.option("--backlink/--no-backlink", default=None, help=t("help.backlink"))
@click.option("--yes", is_flag=True, help=t("help.yes"))
@_post_options
@workspace_option
@json_option
def reserve_command(
    logged_in: bool,
    calendar_path: str,
    backlink: bool | None,
    yes: bool,
    post_lang: str | None,
    website: str | None,
    template: str | None,
    workspace: Path | None,
    as_json: bool,
) -> None:
    from .. import reserve as r
    from ..posting import queue_post, redirect_post
    from ..workspace import Workspace

    with Workspace.open(workspace, create=False) as ws:
        if logged_in:
            r.record_login(ws)
            state = r.reserve_state(ws)
            if as_json:
                print_json(state)
            else:
                click.echo(t("cli.reserve.logged_in", next=state["next_reminder"]))
            return
        accounts = _accounts()
        identity = _identity(accounts, ws)
        x_handle = identity["x_handle"] or "?"
        lang = post_lang
        # 1. the bio
        bio = r.redirect_bio(identity, lang)
        try:
            x = accounts.x()
        except PortabiliteError:
            x = None
        if (
            x is not None
            and x.auth_mode == "oauth1"
            and (
                yes
                or click.confirm(t("cli.reserve.bio_set", bio=bio) + " ?", default=True, err=True)
            )
        ):
            with x:
                x.update_profile(description=bio)
            r.mark_step(ws, "bio", "api")
            click.echo(t("cli.reserve.bio_set", bio=bio))
        else:
            if x is not None:
                x.close()
            r.mark_step(ws, "bio", "printed")
            click.echo(t("cli.reserve.bio_manual", bio=bio, length=len(bio)))
        # 2. the redirect post, to be pinned
        existing = redirect_post(ws)  # queued by `post queue`, or by an earlier reserve
        if existing is not None:
            r.mark_step(ws, "post", str(existing))
            click.echo(t("cli.reserve.post_exists"))
        else:
            texts, used_lang, _ = _compose(ws, lang, website, template)
            post_id = queue_post(ws, texts, pin=True, lang=used_lang, redirect=True)
            r.mark_step(ws, "post", str(post_id))
            click.echo(t("cli.reserve.post_queued", id=post_id))
        # 3. the back-link, with consent
        if backlink is None and not yes:
            backlink = click.confirm(
                t("cli.reserve.backlink_confirm", x_handle=x_handle), default=False, err=True
            )
        if backlink or (backlink is None and yes):
            for network, add in (
                ("bluesky", r.add_backlink_bluesky),
                ("mastodon", r.add_backlink_mastodon),
            ):
                try:
                    client = getattr(accounts, network)()
                except PortabiliteError:
                    continue
                with client:
                    added = add(client, x_handle, lang)
                click.echo(
                    t(
                        "cli.reserve.backlink_done",
                        service=network.capitalize(),
                        state=t("cli.reserve.added" if added else "cli.reserve.present"),
                    )
                )
            r.mark_step(ws, "backlink")
        else:
            click.echo(t("cli.reserve.backlink_skipped", x_handle=x_handle))
        # 4. the calendar
        import os

        from .._files import write_private

        write_private(calendar_path, r.calendar(x_handle, lang=lang))
        r.mark_step(ws, "calendar", os.path.abspath(calendar_path))
        click.echo(t("cli.reserve.calendar", path=os.path.abspath(calendar_path)))
        # 5. the checklist
        click.echo(t("cli.reserve.checklist"))
        for line in r.checklist(lang):
            click.echo(f"   - {line}")
        r.mark_step(ws, "checklist")
        if as_json:
            print_json(r.reserve_state(ws))


def main() -> None:
    cli(prog_name="portabilite")
