"""The post commands, offline: compose, queue, list, cancel, and X by hand."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from portabilite import import_archive
from portabilite.cli import cli
from portabilite.secrets import CredentialStore

from .conftest import ROOT


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    store = CredentialStore(tmp_path / "cfg", keyring_backend=None)
    store.save("bluesky", {"handle": "ville.fictiveville.example", "did": "did:plc:x"})
    store.save("mastodon", {"acct": "ville@social.fictiveville.example"})
    path = tmp_path / "w.sqlite3"
    import_archive(ROOT / "examples" / "fictional-archive.zip", path)
    return str(path)


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_compose_in_both_languages(ws):
    fr = json.loads(run("--lang", "fr", "post", "compose", "--json", "-w", ws).output)
    assert fr["lang"] == "fr" and "Je déménage" in fr["texts"]["bluesky"]
    assert "@ville.fictiveville.example" in fr["texts"]["x"]
    en = run(
        "post",
        "compose",
        "--message-lang",
        "en",
        "--website",
        "https://fictiveville.example",
        "-w",
        ws,
    )
    assert "I am moving" in en.output and "Website: https://fictiveville.example" in en.output
    assert "X (" in en.output and "/280)" in en.output and "/500)" in en.output


def test_queue_list_cancel(ws, monkeypatch):
    from .test_posting_logins import PostingBluesky, PostingMastodon, log_in

    log_in(monkeypatch, bluesky=PostingBluesky(), mastodon=PostingMastodon())
    queued = json.loads(
        run(
            "post", "queue", "--at", "+2m", "--network", "bluesky", "--network", "mastodon",
            "--pin", "--json", "-w", ws,
        ).output
    )  # fmt: skip
    assert queued["networks"] == ["bluesky", "mastodon"] and queued["skipped"] == {}
    assert queued["due_at"].endswith("Z")  # JSON in UTC
    posts = json.loads(run("post", "list", "--json", "-w", ws).output)
    assert posts[0]["pin"] and set(posts[0]["deliveries"]) == {"bluesky", "mastodon"}
    sent = run("post", "send", "-w", ws).output.strip()
    assert sent == "Nothing to publish now."  # 2 minutes: too soon for Mastodon's scheduler
    assert "2 deliveries cancelled" in run("post", "cancel", str(queued["id"]), "-w", ws).output
    assert run("post", "cancel", "99", "-w", ws).exit_code == 1
    bad = run("post", "queue", "--at", "next tuesday", "-w", ws)
    assert bad.exit_code == 1 and "not a date and time" in bad.output
    assert run("post", "queue", "--network", "myspace", "-w", ws).exit_code == 2  # usage


def test_x_without_api_gives_the_link_to_post_by_hand(ws):
    result = run("post", "Bonjour 🚲 depuis Fictiveville", "--network", "x", "-w", ws)
    assert result.exit_code == 0, result.output
    url = next(
        line for line in result.output.splitlines() if line.startswith("https://x.com/intent/post")
    )
    assert parse_qs(urlsplit(url).query)["text"] == ["Bonjour 🚲 depuis Fictiveville"]
    assert "X has no API to pin" in result.output
    posts = json.loads(run("post", "list", "--json", "-w", ws).output)
    assert posts[-1]["deliveries"]["x"]["state"] == "manual"
    assert run("post", "send", "-w", ws).output.strip() == "Nothing to publish now."  # once


def test_the_redirect_post_is_queued_once_whatever_the_path(ws, tmp_path, monkeypatch):
    """The README's order: post queue --pin, (post send), reserve, post send: one redirect
    post, not two; queueing it again is refused with what to do."""
    from portabilite import Workspace
    from portabilite.posting import list_posts

    monkeypatch.chdir(tmp_path)
    first = run("post", "queue", "--at", "now", "--pin", "-w", ws)
    assert first.exit_code == 0, first.output
    reserve = run("reserve", "--no-backlink", "-w", ws)
    assert reserve.exit_code == 0, reserve.output
    assert "already queued or sent" in reserve.output
    again = run("post", "queue", "--at", "+1h", "-w", ws)
    assert again.exit_code == 1
    assert "portabilite post cancel 1" in again.output and "Traceback" not in again.output
    with Workspace.open(ws) as w:
        assert len(list_posts(w)) == 1
        (post_id,) = [p["id"] for p in list_posts(w)]
    assert run("post", "cancel", str(post_id), "-w", ws).exit_code == 0
    assert run("post", "queue", "--at", "+1h", "-w", ws).exit_code == 0  # replaced, once
    with Workspace.open(ws) as w:
        assert [p["cancelled"] for p in list_posts(w)] == [True, False]


def test_a_free_text_post_is_not_the_redirect_post(ws):
    from portabilite import Workspace
    from portabilite.posting import queue_post

    with Workspace.open(ws) as w:
        queue_post(w, {"bluesky": "hello"})
        queue_post(w, {"bluesky": "hello again"})  # free texts: as many as one likes
        queue_post(w, {"bluesky": "I moved"}, redirect=True)


@pytest.fixture
def ws_no_login(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    path = tmp_path / "w.sqlite3"
    import_archive(ROOT / "examples" / "fictional-archive.zip", path)
    return str(path)


def test_compose_before_any_login_from_options(ws_no_login):
    none = run("post", "compose", "-w", ws_no_login)
    assert none.exit_code == 1 and "--bluesky HANDLE --mastodon USER@INSTANCE" in none.output
    given = run(
        "post", "compose", "--bluesky", "@Ville.Fictiveville.example",
        "--mastodon", "https://piaille.example/@ville", "--json", "-w", ws_no_login,
    )  # fmt: skip
    texts = json.loads(given.output)["texts"]
    assert "@ville.fictiveville.example" in texts["bluesky"]
    assert "@ville@piaille.example" in texts["mastodon"]
    for bad in (["--bluesky", "did:plc:abc"], ["--mastodon", "not an address"]):
        refused = run("post", "compose", *bad, "-w", ws_no_login)
        assert refused.exit_code == 1 and refused.output.count("\n") == 1


def test_reserve_before_any_login_has_places_to_fill_and_queues_nothing(ws_no_login, tmp_path):
    calendar = str(tmp_path / "r.ics")
    result = run(
        "--lang", "fr", "reserve", "--no-backlink", "--calendar", calendar, "-w", ws_no_login
    )
    assert result.exit_code == 0, result.output
    assert "J'ai déménagé\u00a0: Bluesky @VOTRE.IDENTIFIANT" in result.output
    assert "J'ai déménagé : ." not in result.output and "pas encore programmé" in result.output
    assert "[]" in run("post", "list", "--json", "-w", ws_no_login).output  # nothing queued
    later = run(
        "reserve", "--no-backlink", "--calendar", calendar,
        "--mastodon", "ville@piaille.example", "-w", ws_no_login,
    )  # fmt: skip
    assert "I have moved: Mastodon @ville@piaille.example." in later.output
    assert "Redirect post queued" in later.output
