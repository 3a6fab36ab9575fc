"""Keeping the X handle: the calendar parses and recurs, the bio fits, the steps are recorded,
and status warns when a login is due."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from portabilite import Workspace, import_archive
from portabilite.cli import cli
from portabilite.reserve import (
    BIO_LIMIT,
    REMINDER_DAYS,
    calendar,
    checklist,
    record_login,
    redirect_bio,
    reserve_state,
)
from portabilite.secrets import CredentialStore

from .conftest import ROOT


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_calendar_parses_and_recurs_every_25_days(lang):
    text = calendar("VilleFictive", start=date(2026, 12, 17), lang=lang)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded per RFC 5545
    cal = icalendar.Calendar.from_ical(text)
    (event,) = [c for c in cal.walk() if c.name == "VEVENT"]
    assert event["RRULE"]["FREQ"] == ["DAILY"] and event["RRULE"]["INTERVAL"] == [REMINDER_DAYS]
    assert event.decoded("DTSTART") == date(2026, 12, 17)
    assert "portabilite reserve --logged-in" in str(event["DESCRIPTION"])
    assert [c for c in event.walk() if c.name == "VALARM"]
    summary = str(event["SUMMARY"])
    assert "@VilleFictive" in summary and (
        ("Log in" in summary) if lang == "en" else ("connecter" in summary)
    )


def test_bio_fits_and_checklist_in_both_languages():
    identity = {
        "bluesky": "une-tres-longue-poignee.fictiveville.example",
        "mastodon": "une_personne_au_nom_long@social.fictiveville.example",
    }
    for lang in ("en", "fr"):
        assert len(redirect_bio(identity, lang)) <= BIO_LIMIT
        items = checklist(lang)
        assert len(items) == 5 and any("30" in item for item in items)
    assert "Bluesky @" in redirect_bio({"bluesky": "a.example", "mastodon": None}, "en")


def test_reserve_records_the_steps_and_status_warns(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.chdir(tmp_path)
    store = CredentialStore(tmp_path / "cfg", keyring_backend=None)
    store.save("bluesky", {"handle": "ville.fictiveville.example", "did": "did:plc:x"})
    ws = str(tmp_path / "w.sqlite3")
    import_archive(ROOT / "examples" / "fictional-archive.zip", ws)
    result = CliRunner().invoke(cli, ["reserve", "--no-backlink", "-w", ws])
    assert result.exit_code == 0, result.output
    assert "Paste this bio on X" in result.output and "Redirect post queued" in result.output
    assert "Never deactivate the X account" in result.output
    written = Path(os.environ["XDG_DATA_HOME"]) / "portabilite" / "portabilite-x-reminder.ics"
    assert not (tmp_path / "portabilite-x-reminder.ics").exists()  # not the current folder
    assert str(written) in result.output  # says where
    assert icalendar.Calendar.from_ical(written.read_text())
    assert os.stat(written).st_mode & 0o077 == 0  # private
    again = CliRunner().invoke(cli, ["reserve", "--no-backlink", "-w", ws])
    assert "already queued or sent" in again.output  # one redirect post, not two
    status = json.loads(CliRunner().invoke(cli, ["status", "--json", "-w", ws]).output)
    assert {k for k, v in status["reserve"]["steps"].items() if v} == {
        "bio",
        "post",
        "calendar",
        "checklist",
    }
    assert status["posts"]["bluesky"]["queued"] == 1 and status["posts"]["x"]["queued"] == 1
    with Workspace.open(ws) as w:
        record_login(w, datetime.now(timezone.utc) - timedelta(days=27))
    warned = CliRunner().invoke(cli, ["status", "-w", ws])
    assert "no recorded X login for 27 days" in warned.output
    logged = CliRunner().invoke(cli, ["reserve", "--logged-in", "-w", ws])
    assert "Login recorded" in logged.output
    with Workspace.open(ws) as w:
        state = reserve_state(w)
    assert state["days_since_login"] == 0 and not state["login_due"]
    assert "no recorded X login" not in CliRunner().invoke(cli, ["status", "-w", ws]).output
