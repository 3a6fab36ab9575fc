"""Every sentence exists in English and French with the same placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from portabilite._catalog import MESSAGES
from portabilite.i18n import get_language, set_language, t

PACKAGE = Path(__file__).resolve().parent.parent / "portabilite"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_same_placeholders(key):
    entry = MESSAGES[key]
    assert set(entry) == {"en", "fr"}
    assert entry["en"].strip() and entry["fr"].strip()
    assert fields(entry["en"]) == fields(entry["fr"])


def test_every_key_used_in_the_code_exists():
    """A message id passed to t() or an error must be in the catalogue."""
    used = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                value = node.args[0].value
                if isinstance(value, str) and re.fullmatch(r"[a-z_]+\.[a-z_.]+", value):
                    used.add(value)
    missing = {k for k in used if k not in MESSAGES and not k.endswith(".js") and "." in k}
    missing = {
        k
        for k in missing
        if k.split(".")[0]
        in {
            "archive",
            "workspace",
            "cli",
            "help",
            "where",
            "network",
            "mastodon",
            "credentials",
            "directory",
            "match",
            "x",
            "evidence",
        }
    }
    assert not missing


def test_language_choice(monkeypatch):
    monkeypatch.delenv("PORTABILITE_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_BE.UTF-8")
    assert get_language() == "fr"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert get_language() == "en"
    monkeypatch.setenv("PORTABILITE_LANG", "fr")
    assert get_language() == "fr"
    set_language("en")
    assert get_language() == "en"
    assert t("cli.warnings") == "Warnings:" and t("cli.warnings", "fr") == "Avertissements :"
    with pytest.raises(ValueError):
        set_language("de")
