"""Every command, driven in French through click's runner on the bundled example: no English
sentence and no raw code reaches the person (issue 13's "done when").

The words below are the English that leaked before the interface was translated (click's
"Usage:", "Show this message and exit.", "day(s)", "(s)", raw statuses and evidence kinds,
library messages such as "File is not a zip file"); the example archive and its directory are
French, so none of them can come from the data.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from portabilite.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

ENGLISH = re.compile(
    r"\b(the|and|of|to|is|are|not|with|from|your|you|this|that|for|was|were|been|has|have|"
    r"run|found|Usage|Error|Warning|Show|Missing|Invalid|Aborted|such|skipped|followed|"
    r"confirmed|probable|rejected|pending|sent|failed|uncertain|cancelled|none|yes|"
    r"accounts?|followers?|following|matches|days?|hours?|unable|cannot|file|"
    r"database|network|error|nothing|logged|login required)\b"
)
PLURAL_HACK = re.compile(r"\w\(s\)|\(e?s\)")
# a snake_case word in prose is a code (directory_x_id, not_logged_in, account_unavailable)
CODE = re.compile(r"(?<![\w./@:{-])[a-z]+_[a-z_]+(?![\w./@}-])|\b[A-Z]\w+Error\b")


def leaks(text: str) -> list[str]:
    """The English words, plural hacks and raw codes in ``text``, outside of what is quoted
    as a command to type (« portabilite login bluesky »), an option (--dry-run), a file
    path, a handle or an address, a value to type ('confirmed', [en|fr]) or a command name
    in a help's list of commands."""
    prose = re.sub(
        r"«[^»]*»|'portabilite [^']*'|'[^'\s]*'|--[\w-]+|\S*[/@]\S*|https?://\S+"
        r"|\[[\w|-]+\]|^  [a-z][\w-]*(?=  )|^Utilisation\u00a0: .*$|\S+\.[a-z]{2,4}\b",
        " ",
        text,
        flags=re.M,
    )
    found = [m.group(0) for m in ENGLISH.finditer(prose)]
    found += [m.group(0) for m in PLURAL_HACK.finditer(prose)]
    found += [m.group(0) for m in CODE.finditer(prose)]
    return found


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A French user on a fresh machine, with the example imported and matched."""
    monkeypatch.setenv("PORTABILITE_LANG", "fr")
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "fictional-archive.zip", tmp_path / "archive.zip")
    shutil.copy(EXAMPLES / "directory.csv", tmp_path / "directory.csv")
    workspace = str(tmp_path / "w.sqlite3")
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> str:
        result = runner.invoke(cli, ["-w", workspace, *args], input=input)
        assert result.exit_code in (0, 1, 2, 130), (args, result.exit_code, result.output)
        assert "Traceback" not in result.output, (args, result.output)
        return result.output

    return run


# each command as a new user would type it, the example imported first
COMMANDS = [
    ["import", "archive.zip"],
    ["directory", "import", "directory.csv"],
    ["status"],
    ["match", "--offline"],
    ["matches"],
    ["matches", "--status", "probable"],
    ["matches", "--status", "rejected"],
    ["matches", "--followers"],
    ["following"],
    ["following", "--followers"],
    ["follow", "--dry-run"],
    ["follow"],
    ["follow", "--network", "mastodon"],
    ["unfollow", "--undo"],
    ["review", "--accept", "7"],
    ["accounts"],
    ["logout", "bluesky"],
    ["hydrate"],
    ["hints", "import", "directory.csv"],
    ["reserve", "--no-backlink"],
    # what goes wrong, as it goes wrong for people
    ["import", "nope.zip"],
    ["import", "directory.csv"],
    ["directory", "import", "nope.csv"],
    ["matches", "--bogus"],
    ["matches", "--status", "maybe"],
    ["review", "--accept", "999"],
    ["follow", "--limit"],
    ["nonsense"],
]


def test_every_command_speaks_french(french):
    french("import", "archive.zip")
    french("directory", "import", "directory.csv")
    french("match", "--offline")
    bad = {}
    for args in COMMANDS:
        output = french(*args)
        found = leaks(output)
        if found:
            bad[" ".join(args)] = (found, output[:300])
    assert not bad, bad


def test_every_help_speaks_french(french):
    from tests.test_cli import _commands

    bad = {}
    for path, _command in _commands(cli):
        output = french(*path, "--help")
        assert output.startswith("Utilisation\u00a0:"), (path, output[:80])
        found = leaks(output)
        if found:
            bad[" ".join(path)] = (found, [line for line in output.splitlines() if leaks(line)])
    assert not bad, bad


def test_the_leak_detector_sees_what_leaked_before():
    """Not vacuous: the sentences that reached French users before are caught."""
    for text in (
        "Usage: portabilite import [OPTIONS] ARCHIVE",
        "  Show this message and exit.",
        "  Environ 1 jour(s) : 3 abonnements en 1 appel(s) d'écriture",
        "bluesky  confirmed  directory_x_id",
        "Erreur : w.sqlite3 : unable to open database file",
        "Erreur : archive.zip est un zip abîmé (File is not a zip file)",
        "Erreur interne (NetworkError)",
    ):
        assert leaks(text), text
    assert not leaks("Bluesky : 3 à suivre ; lancez « portabilite login bluesky » (--dry-run)")


def test_yes_no_questions_take_french_answers(french, monkeypatch):
    """A French user answers o or n (and Enter takes the default shown in capitals)."""
    import portabilite.cli._root as root

    french("import", "archive.zip")
    french("directory", "import", "directory.csv")
    french("match", "--offline")
    monkeypatch.setattr(root, "interactive", lambda: True)
    import portabilite.cli._follow as follow_cli

    monkeypatch.setattr(follow_cli, "interactive", lambda: True)
    asked = french("follow", "--network", "mastodon", input="n\n")
    assert "Suivre 4 comptes maintenant sur Mastodon\u202f? [o/N]" in asked
    assert "Rien n'a été fait." in asked
    again = french("follow", "--network", "mastodon", input="peut-être\n\n")
    assert "Répondez o (oui) ou n (non)." in again and "Rien n'a été fait." in again
    assert not leaks(asked + again)


def test_french_then_english_in_one_process(french):
    """A program that embeds the CLI runs a French command, then an English one: the second
    is English through and through, click's own --help line included."""
    runner = CliRunner()
    fr = runner.invoke(cli, ["--lang", "fr", "status", "--help"]).output
    en = runner.invoke(cli, ["--lang", "en", "status", "--help"]).output
    assert "Afficher ce message et quitter." in fr
    assert "Show this message and exit." in en and "Afficher" not in en
    assert en.startswith("Usage:") and "Options:" in en


def test_keys_made_at_run_time_exist_in_both_languages():
    """Messages chosen by a code at run time (a wait's reason, a post's state, an archive's
    layout, a match status, an evidence kind) exist, so no code ever shows instead."""
    from portabilite._catalog import MESSAGES
    from portabilite._waiting import WHYS
    from portabilite.matching._evidence import KINDS
    from portabilite.posting import STATES

    keys = [f"cli.wait.{why}" for why in WHYS]
    keys += [f"archive.layout.{layout}" for layout in ("data", "root-2018", "grailbird")]
    keys += [f"status.{status}" for status in ("confirmed", "probable", "rejected")]
    keys += [f"evidence_kind.{kind}" for kind in KINDS]
    keys += [f"evidence.{kind}" for kind in KINDS]
    assert [k for k in keys if k not in MESSAGES] == []
    states = [k for k in MESSAGES if k.startswith("post.state.")]
    assert {k.rsplit(".", 1)[1] for k in states} >= set(STATES), states


def test_usage_errors_are_one_sentence_pointing_at_the_commands_help(french):
    output = french("matches", "--bogus")
    assert ". (" not in output and output.rstrip().endswith(").")
    assert "portabilite matches --help" in output
    assert french("login").startswith("Utilisation\u00a0:")  # a group alone: its help


def test_reserve_json_is_one_object_and_a_script_is_never_asked(french):
    import json

    french("import", "archive.zip")
    out = french("reserve", "--json", "--calendar", "r.ics")
    assert "steps" in json.loads(out)  # nothing but the JSON on stdout
