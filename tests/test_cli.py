"""The command line: a thin skin, one-line errors, documented exit codes, two languages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from portabilite import __version__
from portabilite.cli import cli

from .conftest import ROOT


def run(*args, env=None):
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result


@pytest.fixture
def archive(tmp_path, writer):
    path = tmp_path / "a.zip"
    writer.write_zip(path)
    return path


def test_version_and_help():
    assert run("--version").output.strip() == f"portabilite, version {__version__}"
    for args in ([], ["import"], ["status"]):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_import_then_status_text(archive, ws_path):
    result = run("import", str(archive), "-w", str(ws_path))
    assert result.exit_code == 0, result.output
    assert (
        "Imported the archive of @exemple_owner (Propriétaire Exemple), made on 2026-10-01."
        in result.output
    )
    assert "Following 5 · followers 7 · blocked 1 · muted 1 · lists 1 · tweets 2" in result.output
    assert "2 of the 5 accounts you follow are named (40%)" in result.output
    again = run("-w", str(ws_path), "import", str(archive))
    assert "already imported: nothing changed" in again.output
    status = run("status", "-w", str(ws_path))
    assert status.exit_code == 0 and "@exemple_owner" in status.output


def test_json_contract(archive, ws_path):
    result = run("import", str(archive), "-w", str(ws_path), "--json")
    data = json.loads(result.output)
    assert set(data["account"]) >= {"id", "username", "display_name", "created_at"}
    assert set(data["counts"]) >= {
        "following",
        "followers",
        "blocks",
        "mutes",
        "lists",
        "tweets",
        "handle_hints",
        "following_named",
    }
    assert set(data["archive"]) >= {"layout", "generated_at", "warnings"}
    assert data["archive"]["layout"] in ("data", "root-2018", "grailbird")
    assert isinstance(data["account"]["id"], str)
    status = json.loads(run("status", "--json", "-w", str(ws_path)).output)
    assert status["counts"] == data["counts"] and status["account"] == data["account"]


def test_workspace_from_environment(archive, ws_path):
    result = run("import", str(archive), env={"PORTABILITE_WORKSPACE": str(ws_path)})
    assert result.exit_code == 0 and ws_path.exists()


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda p: p / "missing.zip", "no such file or folder"),
        (
            lambda p: (p / "x.txt").write_text("hi") and p / "x.txt",
            "neither a .zip file nor a folder",
        ),
        (
            lambda p: (p / "t.zip").write_bytes(b"PK\x03\x04garbage") and p / "t.zip",
            "damaged or incomplete zip",
        ),
    ],
)
def test_bad_input_one_line_exit_1_workspace_untouched(tmp_path, ws_path, make, fragment):
    result = run("import", str(make(tmp_path)), "-w", str(ws_path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and fragment in lines[0]
    assert "Traceback" not in result.output
    assert not ws_path.exists()


def test_usage_errors_exit_2(archive):
    assert run("import").exit_code == 2
    assert run("import", str(archive), "--bogus").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_status_with_no_workspace_exit_1(ws_path):
    result = run("status", "-w", str(ws_path))
    assert result.exit_code == 1 and "holds no archive yet" in result.output


def test_french(archive, ws_path):
    result = run("--lang", "fr", "import", str(archive), "-w", str(ws_path))
    assert "Archive de @exemple_owner (Propriétaire Exemple) importée" in result.output
    assert "Abonnements 5 · abonnés 7" in result.output
    result = run("import", str(archive.parent / "nope.zip"), env={"PORTABILITE_LANG": "fr"})
    assert result.output.startswith("Erreur\u00a0: ") and "n'existe pas" in result.output
    result = run("status", "-w", str(ws_path), env={"PORTABILITE_LANG": "", "LANG": "fr_CA.UTF-8"})
    assert "Espace de travail" in result.output


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


@pytest.mark.parametrize("where", ["before", "after"])
def test_help_is_in_the_language_asked_before_or_after_the_command(where):
    """Click keeps the help texts of import time: every command's and option's help must
    still come out in the language of --lang, wherever --lang is."""
    from portabilite.cli._root import _help_keys
    from portabilite.i18n import t

    for path, command in _commands(cli):
        for lang, other in (("fr", "en"), ("en", "fr")):
            args = ["--lang", lang, *path] if where == "before" else [*path, "--lang", lang]
            result = run(*args, "--help")
            assert result.exit_code == 0, (path, result.output)
            texts = [command.help] + [p.help for p in command.params if getattr(p, "help", None)]
            for text in texts:
                key = _help_keys().get(text)
                if key is None:
                    continue  # click's own (--version, --help): translated by gettext
                assert text == t(key, lang) or t(key, lang) == t(key, other)
                first = t(key, lang).split()[0]
                assert first in result.output, (path, key, lang)


def test_help_texts_are_told_apart_in_both_languages():
    """The help is translated back from its text: no two keys may share one."""
    from portabilite._catalog import MESSAGES
    from portabilite.i18n import template

    seen: dict[str, str] = {}
    for key in MESSAGES:
        if key.startswith("help."):
            for lang in ("en", "fr"):
                text = template(key, lang)
                assert seen.setdefault(text, key) == key, (key, seen[text])


def test_lang_after_the_command_and_bad_values(archive, ws_path):
    result = run("import", str(archive), "-w", str(ws_path), "--lang", "fr")
    assert result.exit_code == 0 and "Abonnements 5 · abonnés 7" in result.output
    assert "Espace de travail" in run("status", "--lang=fr", "-w", str(ws_path)).output
    bad = CliRunner().invoke(cli, ["status", "--lang", "de", "-w", str(ws_path)])
    assert bad.exit_code == 2 and "'de' is not one of en, fr" in bad.output
    assert CliRunner().invoke(cli, ["status", "--lang"]).exit_code == 2


def test_a_damaged_or_busy_workspace_says_what_to_do(archive, ws_path, tmp_path):
    import shutil
    import sqlite3

    assert run("import", str(archive), "-w", str(ws_path)).exit_code == 0
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copy(ws_path, damaged)
    with open(damaged, "r+b") as fp:  # a page in the middle of the file overwritten
        fp.seek(2 * 4096)
        fp.write(b"\x00garbage" * 600)
    for args, words in (
        (["status"], "Restore it from a backup"),
        (["--lang", "fr", "match", "--offline"], "Restaurez-le depuis une sauvegarde"),
    ):
        result = CliRunner().invoke(cli, [*args, "-w", str(damaged)])
        assert result.exit_code == 1 and words in result.output, result.output
        assert "Internal error" not in result.output and result.output.count("\n") == 1
    hints = tmp_path / "hints.csv"
    hints.write_text("x_id,handle\n12,someone\n")
    holder = sqlite3.connect(ws_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command writing, for longer than we wait
    try:
        busy = CliRunner().invoke(cli, ["hints", "import", str(hints), "-w", str(ws_path)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.exit_code == 1 and "in use by another portabilite command" in busy.output


def test_internal_error_is_one_line_exit_3(archive, ws_path, monkeypatch):
    import portabilite.importer as importer

    def boom(*a, **k):
        raise RuntimeError("secret-token-abc")

    monkeypatch.setattr(importer, "import_archive", boom)
    result = run("import", str(archive), "-w", str(ws_path))
    assert result.exit_code == 3
    assert "Internal error (RuntimeError)" in result.output
    assert "secret-token-abc" not in result.output and "Traceback" not in result.output


def test_real_process_entry_points(archive, tmp_path):
    ws = tmp_path / "w.sqlite3"
    for cmd in (
        [sys.executable, "-m", "portabilite"],
        [str(ROOT / ".venv" / "bin" / "portabilite")],
    ):
        if not (cmd[0] == sys.executable or (ROOT / ".venv" / "bin" / "portabilite").exists()):
            continue
        done = subprocess.run(
            cmd + ["import", str(archive), "-w", str(ws), "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["counts"]["following"] == 5
    bad = subprocess.run(
        [sys.executable, "-m", "portabilite", "import", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1 and bad.stdout == "" and bad.stderr.count("\n") == 1


def test_help_stays_fast_by_not_loading_network_sdks():
    code = (
        "import sys\nfrom portabilite.cli import cli\n"
        "for args in (['--help'], ['login', '--help'], ['accounts', '--help']):\n"
        "    try:\n        cli.main(args)\n    except SystemExit:\n        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'atproto', 'atproto_client', 'mastodon', 'requests', 'keyring'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_help_loads_neither_httpx_nor_the_network_sdks():
    """`portabilite --help` must start fast (bench/bench_help.py times it): the network
    stack is imported by the commands that use it, never by the help."""
    import json
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "sys.argv = ['portabilite', '--help']\n"
        "from portabilite.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(json.dumps(sorted(m for m in ('httpx', 'httpcore', 'atproto',"
        " 'mastodon', 'keyring', 'requests') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage" in done.stdout
    assert json.loads(done.stderr) == []


def test_every_public_name_of_the_package_resolves():
    import portabilite

    for name in portabilite.__all__:
        assert getattr(portabilite, name) is not None, name
    assert set(portabilite.__all__) - {"__version__"} == set(portabilite._HOMES)
    import portabilite.errors

    assert set(portabilite.errors.__all__) <= set(portabilite.__all__)  # every error exported
