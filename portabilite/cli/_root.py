"""The command's root: the ``portabilite`` group, its options, and what every command shares
(the workspace and ``--json`` options, printing, progress bars, the saved accounts).

Exit codes: 0 ok; 1 bad input or a refusal (every ``PortabiliteError``); 2 usage error;
3 internal error (a bug: one line, no traceback unless ``PORTABILITE_DEBUG=1``); 130 interrupted.
"""

from __future__ import annotations

import functools
import inspect
import os
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from .._catalog import MESSAGES
from .._version import __version__
from ..errors import PortabiliteError
from ..i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    forced_language,
    format_duration,
    get_language,
    language,
    service_name,
    set_language,
    t,
    translations,
)

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


class _Formatter(click.HelpFormatter):
    """Click's help layout, with its section headings written the language's way."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{t('cli.heading', name=heading)}\n")


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    context_class = _Context


class Subgroup(click.Group):
    """A group of commands under ``portabilite``: its commands and groups are ours too."""

    context_class = _Context
    command_class = _Command
    group_class = type


class _Group(Subgroup):
    """Turns every failure into one line on stderr and a documented exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        # a --lang holds for this command only (the library, or tests, may run several)
        with language(forced_language()), _click_texts():
            self._main(args, prog_name, complete_var, **extra)

    def _main(
        self, args: Any, prog_name: str | None, complete_var: str | None, **extra: Any
    ) -> None:
        try:
            args = _take_lang(list(sys.argv[1:] if args is None else args))
            # click's own texts follow gettext's language variable: make it ours (_click_texts)
            os.environ["LANGUAGE"] = get_language()
            translate_help(self, get_language())
            with show_waits():
                prog_name = "portabilite"  # as people type it (not "cli", not "__main__.py")
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            # a group given no command (``portabilite login``): its help, as click shows it
            _fail(exc.format_message(), EXIT_USAGE)
        except click.UsageError as exc:
            # one sentence: click's own full stop goes, and the help named is the command's
            command = exc.ctx.command_path if exc.ctx is not None else "portabilite"
            message = exc.format_message().rstrip().rstrip(".")
            _fail(t("cli.usage_error", message=message, command=command), EXIT_USAGE)
        except click.ClickException as exc:
            _fail(t("cli.error_prefix", message=exc.format_message()), EXIT_USER)
        except PortabiliteError as exc:
            _fail(t("cli.error_prefix", message=str(exc)), exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            _fail(t("cli.interrupted"), EXIT_INTERRUPTED)
        except sqlite3.DatabaseError as exc:
            # the workspace file itself, not a bug: say what to do (a transaction that
            # failed was rolled back, so nothing was changed)
            text = str(exc)
            if any(word in text for word in ("malformed", "not a database", "corrupt")):
                _fail(t("cli.workspace_damaged"), EXIT_USER)
            if any(word in text for word in ("locked", "busy")):
                _fail(t("cli.workspace_busy"), EXIT_USER)
            if os.environ.get("PORTABILITE_DEBUG"):
                raise
            _fail(t("cli.internal_error", error=type(exc).__name__), EXIT_INTERNAL)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("PORTABILITE_DEBUG"):
                raise
            _fail(t("cli.internal_error", error=type(exc).__name__), EXIT_INTERNAL)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


@contextmanager
def _click_texts() -> Iterator[None]:
    """Click's own texts ("Usage:", "Options", "Show this message and exit.", its errors) are
    gettext messages of the process's default domain, in the language of ``LANGUAGE``: while
    a command runs, that domain is portabilite's catalogue, which translates them, and the
    language is the command's. Both are put back after, for a program that embeds the CLI."""
    import gettext

    domain, variable = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if variable is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = variable


def _take_lang(args: list[str]) -> list[str]:
    """``--lang X`` (or ``--lang=X``) wherever it is, before or after the command like
    ``-w``: taken out of the arguments and set, before any help is shown. Past a ``--``,
    arguments are left alone."""
    out: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            out.append(arg)
            out.extend(rest)
            break
        if arg == "--lang" or arg.startswith("--lang="):
            value = arg.partition("=")[2] if "=" in arg else next(rest, "")
            if value not in LANGUAGES:
                raise click.UsageError(t("cli.bad_lang", value=value, choices=", ".join(LANGUAGES)))
            set_language(value)
            continue
        out.append(arg)
    return out


@functools.lru_cache(maxsize=1)
def _help_keys() -> dict[str, str]:
    """Every help text, in either language, to its catalogue key (a test holds that no two
    keys share a text)."""
    keys = {}
    for key in MESSAGES:
        if key.startswith("help."):
            for lang in LANGUAGES:
                keys[inspect.cleandoc(t(key, lang))] = key
    return keys


#: the language the help texts are in now: the one they were declared in (at import), until
#: ``translate_help`` renders them in another
_help_language = get_language()


def translate_help(command: click.Command, lang: str) -> None:
    """Render the help of ``command`` and everything under it in ``lang``. Click keeps the
    texts given when the commands were declared (at import, in the language of that moment):
    ``--lang fr --help`` must show them in French. Ours are found back by their text; click's
    own (``--version``, ``--help``) are gettext messages of its English. Nothing to do, and
    nothing loaded, when they are in ``lang`` already: the common case, one command a process."""
    global _help_language
    if lang != _help_language:
        _render_help(command, lang)
        _help_language = lang


def _render_help(command: click.Command, lang: str) -> None:
    keys = _help_keys()
    theirs = translations(lang)

    def again(owner: Any) -> None:
        source = owner.__dict__.setdefault("_help_source", owner.help)
        if source:
            key = keys.get(inspect.cleandoc(source))
            owner.help = t(key, lang) if key else theirs.gettext(source)

    again(command)
    # click makes --help's option once per command, in the language of that moment, and keeps
    # it: its source is click's English, whatever language it was made in
    helper = getattr(command, "_help_option", None)
    if helper is not None:
        helper.__dict__.setdefault("_help_source", "Show this message and exit.")
    for param in [*command.params, helper]:
        if isinstance(param, click.Option):
            again(param)
    for sub in getattr(command, "commands", {}).values():
        _render_help(sub, lang)


@click.group(
    cls=_Group, help=t("help.main"), context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "--version", prog_name="portabilite")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    expose_value=False,
    help=t("help.lang"),  # taken out of the arguments before click sees them (_take_lang)
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


def network_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--network bluesky|mastodon``, repeatable, the same wherever a command can be limited
    to some networks (none given: both)."""
    return click.option(
        "--network",
        "networks",
        multiple=True,
        type=click.Choice(["bluesky", "mastodon"]),
        help=t("help.network_filter"),
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
        _live.append(bar)
        task = bar.add_task(t("cli.progress_reading"), total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        try:
            yield update
        finally:
            _live.remove(bar)


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
        _live.append(bar)
        tasks: dict[str, Any] = {}

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        try:
            yield update
        finally:
            _live.remove(bar)


def interactive() -> bool:
    """A person at a terminal, who can be asked (scripts and pipes are not)."""
    return sys.stdin.isatty()


def prompt(text: str, **options: Any) -> Any:
    """``click.prompt`` with the language's punctuation before the answer (``Nom\u00a0: ``)."""
    return click.prompt(text, prompt_suffix=t("cli.prompt_suffix"), **options)


_YES, _NO = frozenset({"y", "yes", "o", "oui"}), frozenset({"n", "no", "non"})


def agree_to_x_cost(
    cost: dict[str, Any],
    *,
    priced: str,
    unpriced: str,
    confirm: str,
    cancelled: str,
    yes: bool,
    as_json: bool,
    **params: Any,
) -> bool:
    """Say what reading through the X API costs (the message ``priced``, or ``unpriced`` when
    X's price is not known) and ask. A script (no terminal, or --json) is never asked nor
    assumed to agree: without --yes it exits 1. False when the user says no."""
    from ..i18n import format_money

    if cost["usd"] is not None:
        notice = t(
            priced,
            usd=format_money(cost["usd"]),
            price=format_money(cost["price"], exact=True),
            source=cost["source"],
            checked=cost["checked"],
            **params,
        )
    else:
        notice = t(unpriced, **params)
    click.echo(notice, err=True)
    if not yes and (as_json or not interactive()):
        click.echo(t("cli.hydrate.needs_yes"), err=True)
        sys.exit(1)
    if not yes and not ask(t(confirm)):
        click.echo(t(cancelled), err=True)
        return False
    return True


def ask(question: str, default: bool = False) -> bool:
    """A yes/no question on stderr, answered in either language (``o``/``oui`` as well as
    ``y``/``yes``): click.confirm knows only ``y`` and ``n``. Enter takes the default, shown in
    capitals; end of input or Ctrl-C stops the command (exit 130), nothing done."""
    choices = t("cli.ask.default_yes" if default else "cli.ask.default_no")
    while True:
        answer = click.prompt(
            f"{question} {choices}", default="", show_default=False, err=True, prompt_suffix=" "
        )
        word = answer.strip().lower()
        if not word:
            return default
        if word in _YES or word in _NO:
            return word in _YES
        click.echo(t("cli.ask.again"), err=True)


def _match_line(network: str, counts: dict[str, int]) -> str:
    return t(
        "cli.match.line",
        network=network,
        confirmed=t("count.confirmed", count=counts["confirmed"]),
        probable=counts["probable"],
        rejected=t("count.rejected", count=counts["rejected"]),
    )


_live: list[Any] = []  # the rich live displays (bars) on screen now
_spinners: list[tuple[Any, str]] = []  # the spinners on screen now, with their text


class _WaitsOnScreen:
    """Each wait said on stderr with what it waits for and when it ends: a spinner line when
    nothing else is drawn, a line above the progress bars when they are."""

    def __init__(self) -> None:
        self._status: Any = None
        self._spinner_text: str | None = None

    def begin(self, network: str, seconds: float, why: str, until: float) -> None:
        from datetime import datetime, timezone

        from .._time import format_local

        if seconds < 1 or (why == "pace" and _live):
            return  # a short pause between batches: the bars show the work going on
        text = t(
            "cli.wait." + why,
            service=service_name(network),
            until=format_local(datetime.fromtimestamp(until, timezone.utc)),
            duration=format_duration(seconds / 60),
        )
        if _live:
            _live[-1].console.print(text, markup=False, highlight=False)
        elif _spinners:  # one spinner on screen: it says the wait, then what it said
            spinning, self._spinner_text = _spinners[-1]
            spinning.update(text)
        else:
            from rich.console import Console

            self._status = Console(stderr=True).status(text)
            self._status.start()

    def end(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
        if self._spinner_text is not None and _spinners:
            _spinners[-1][0].update(self._spinner_text)
            self._spinner_text = None


@contextmanager
def show_waits() -> Iterator[None]:
    """Waits are shown while a command runs, at a terminal (scripts see none of it)."""
    if not sys.stderr.isatty():
        yield
        return
    from .._waiting import observed

    with observed(_WaitsOnScreen()):
        yield


@contextmanager
def spinner(text: str) -> Iterator[None]:
    """A spinner with ``text`` on stderr during a network call that may take a while, at a
    terminal and when no bar is drawn."""
    if not sys.stderr.isatty() or _live:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(text) as status:
        _spinners.append((status, text))
        try:
            yield
        finally:
            _spinners.pop()


def _accounts() -> Any:
    from ..accounts import Accounts

    return Accounts()


def _summary_lines(state: dict[str, Any]) -> list[str]:
    counts = state["counts"]
    lines = [t("cli.counts", **counts)]
    if counts["following"] or counts["handle_hints"]:
        percent = (
            round(100 * counts["following_named"] / counts["following"])
            if counts["following"]
            else 0
        )
        hinted = t("count.hinted", count=counts["handle_hints"])
        named = t(
            "count.following_named",
            count=counts["following"],
            named=counts["following_named"],
            percent=percent,
        )
        lines.append(t("cli.hints", hinted=hinted, named=named))
    changes = state.get("changes") or {}
    changed = [
        t("cli.change", kind=t(f"cli.kind.{_KIND_OF[key]}"), **c)
        for key, c in changes.items()
        if c["added"] or c["removed"]
    ]
    if changed:
        lines.append(t("cli.import.changes", changes=", ".join(changed)))
    lines.extend(_missing_lines(counts))
    warnings = state["archive"]["warnings"]
    if warnings:
        lines.append(t("cli.warnings"))
        lines.extend(f"  - {w['message']}" for w in warnings)
    lines.append(t("cli.workspace_line", path=state["workspace"]))
    return lines


def _missing_lines(counts: dict[str, Any]) -> list[str]:
    """One plain line per kind read short of what the archive announces, with the reason
    (files missing, or fewer entries) and what to do."""
    from ..archive import REQUEST_ARCHIVE_URL

    lines = []
    for key, announced in (counts.get("expected") or {}).items():
        read, expected = counts.get(key, 0), announced["count"]
        if read >= expected:
            continue
        kind = t(f"cli.kind.{_KIND_OF.get(key, 'tweet')}").capitalize()
        missing = announced["missing"]
        if missing:
            files = (
                missing[0]
                if len(missing) == 1
                else t("cli.expected.more_files", first=missing[0], more=len(missing) - 1)
            )
            lines.append(
                t(
                    "cli.expected.missing",
                    kind=kind,
                    read=read,
                    expected=expected,
                    files=files,
                    url=REQUEST_ARCHIVE_URL,
                )
            )
        else:
            lines.append(
                t(
                    "cli.expected.fewer",
                    kind=kind,
                    read=read,
                    expected=expected,
                    url=REQUEST_ARCHIVE_URL,
                )
            )
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


def _print_match_counts(counts: dict[str, Any]) -> None:
    click.echo(t("cli.match.following"))
    for network in ("bluesky", "mastodon"):
        click.echo("  " + _match_line(service_name(network), counts[network]))
    click.echo(t("cli.match.followers"))
    for network in ("bluesky", "mastodon"):
        click.echo("  " + _match_line(service_name(network), counts["followers"][network]))
