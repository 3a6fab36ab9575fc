"""Every sentence exists in English and French with the same placeholders."""

from __future__ import annotations

import ast
import functools
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from portabilite._catalog import MESSAGES
from portabilite.i18n import format_number, get_language, set_language, t

PACKAGE = Path(__file__).resolve().parent.parent / "portabilite"
LOCALE = PACKAGE / "locale"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "portabilite.po"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@functools.lru_cache(maxsize=1)
def french() -> Catalog:
    with FRENCH_PO.open("rb") as f:
        return read_po(f, locale="fr")


def forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_translated_with_the_same_placeholders(key):
    entry = MESSAGES[key]
    english = entry.text if entry.plural is None else (entry.text, entry.plural)
    found = french().get(english, context=key)
    assert found is not None, f"{key} is not in {FRENCH_PO.name}: see docs/translating.md"
    assert not found.fuzzy, f"{key}: the French is marked fuzzy (the English changed)"
    assert all(s.strip() for s in forms(found.string)), key
    for english_form, french_form in zip(forms(english) * 2, forms(found.string)):
        assert fields(english_form) <= fields(french_form) | {entry.n}, key
        assert fields(french_form) <= fields(english_form) | {entry.n}, key
    if entry.plural is not None:
        assert len(found.string) == 2, key  # French: one, many (Plural-Forms: n > 1)


def test_french_follows_french_typography():
    """A no-break space before the high signs and inside guillemets, so that neither a
    terminal nor click's help wrapping ever starts a line with ':' or '?'."""
    bad = []
    for message in french():
        for text in forms(message.string) if message.id else ():
            if re.search(r"[ ][:;?!»]|«[ ]", text) or re.search(r"[\w)»}][;?!](\s|$)", text):
                bad.append((message.context, text))
            elif re.search(r"[\w)»}]:(\s|$)", text):
                bad.append((message.context, text))
    assert not bad, bad[:5]


def test_the_catalogues_are_current():
    """The template holds what pybabel extracts today, the French catalogue has every
    message and no leftover, and the compiled .mo is that catalogue: a translator's tools
    and the running program read the same thing."""
    from babel.messages.extract import extract_from_dir

    keywords = {"message": ((1, "c"), 2), "plural": ((1, "c"), 2, 3)}
    extracted = set()
    import click

    for folder in (PACKAGE / "_catalog", Path(click.__file__).parent):
        for _file, _line, msgid, _comments, context in extract_from_dir(
            str(folder),
            method_map=[("**.py", "python")],
            keywords={**keywords, "_": None, "ngettext": (1, 2)},
        ):
            extracted.add((context, msgid if isinstance(msgid, str) else tuple(msgid)))
    with (LOCALE / "portabilite.pot").open("rb") as f:
        template = {(m.context, m.id) for m in read_po(f) if m.id}
    assert extracted == template, "run the pybabel extract of docs/translating.md"
    assert {(m.context, m.id) for m in french() if m.id} == template, "run pybabel update"
    assert not french().obsolete
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, french())
    assert (LOCALE / "fr" / "LC_MESSAGES" / "portabilite.mo").read_bytes() == compiled.getvalue(), (
        "the .mo is older than the .po: reinstall (pip install -e .) or run pybabel compile"
    )


def test_numbers_and_plurals_follow_the_language():
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567, "fr") == "1\u202f234\u202f567"
    assert format_number(0.5, "fr", 2) == "0,50"


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
    assert t("cli.warnings") == "Warnings:" and t("cli.warnings", "fr") == "Avertissements\u00a0:"
    with pytest.raises(ValueError):
        set_language("de")


def test_times_are_shown_and_read_in_the_users_zone(monkeypatch):
    import time

    from portabilite._time import format_local, parse_typed

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert format_local("2026-07-25T12:21:58Z") == "2026-07-25 14:21 CEST"
        assert format_local("2026-12-25T12:21:58Z") == "2026-12-25 13:21 CET"
        assert parse_typed("2026-12-24 18:00").isoformat() == "2026-12-24T18:00:00+01:00"
        assert parse_typed("2026-07-24 18:00").isoformat() == "2026-07-24T18:00:00+02:00"
        assert parse_typed("2026-12-24T18:00Z").isoformat() == "2026-12-24T18:00:00+00:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_follow_durations_come_from_the_pace_and_the_caps():
    """Not "1 jour(s)" for seconds of work: the day's share at the network's pace, then days."""
    from portabilite.follow._plan import NetworkPlan
    from portabilite.i18n import format_duration

    def said(network: str, n: int, cap: int, lang: str) -> str:
        estimate = NetworkPlan(network, to_follow=[{}] * n).estimate(cap)
        return format_duration(estimate["minutes_at_least"], lang)

    assert said("bluesky", 3, 1000, "en") == "under a minute"
    assert said("mastodon", 300, 360, "en") == "about 50 minutes"
    assert said("mastodon", 300, 360, "fr") == "environ 50 minutes"
    assert said("bluesky", 2500, 1000, "en") == "about 3 days"
    assert said("bluesky", 2500, 1000, "fr") == "environ 3 jours"
    assert format_duration(61, "en") == "about 1 h 1 min"
    assert format_duration(24 * 60 + 1, "fr") == "environ 2 jours"
    assert format_duration(1.5, "fr") == "environ 2 minutes"
