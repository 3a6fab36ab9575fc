"""Posting where one can post: post queue and post "TEXT" leave out the networks not logged in
(and say why, with what to run), refuse one named that is not, and the posts left for a login
that has gone are shown as waiting for it; times in the reader's zone, states in words."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from click.testing import CliRunner

from portabilite import Migration, Workspace, import_archive
from portabilite.cli import cli
from portabilite.errors import NotLoggedInError
from portabilite.networks.bluesky import Record
from portabilite.networks.mastodon._models import InstanceInfo, PostedStatus
from portabilite.posting import list_posts
from portabilite.secrets import CredentialStore
from portabilite.testing import FakeBluesky, FakeMastodon

from .conftest import ROOT

NBSP = "\u00a0"


class PostingBluesky(FakeBluesky):
    """The fake repository, with what posting asks of a Bluesky account."""

    def post(self, text: str, *, rkey: str, facets: Any = None, langs: Any = None) -> dict:
        self.records.setdefault("app.bsky.feed.post", {})[rkey] = {"text": text}
        return {"uri": f"at://{self.did}/app.bsky.feed.post/{rkey}", "cid": "bafy" + rkey}

    def get_record(self, collection: str, rkey: str, repo: str | None = None) -> Record | None:
        value = self.records.get(collection, {}).get(rkey)
        return (
            None if value is None else Record(f"at://{self.did}/{collection}/{rkey}", None, value)
        )

    def pin(self, uri: str, cid: str) -> None:
        self.pinned = uri

    def resolve_mention(self, handle: str) -> str | None:
        return None


class PostingMastodon(FakeMastodon):
    """The fake account, with what posting asks of a Mastodon instance."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[str] = []

    def instance(self) -> InstanceInfo:
        return InstanceInfo("home.example", "Home", "4.6.4", 500)

    def post_status(self, text: str, **options: Any) -> PostedStatus:
        self.statuses.append(text)
        n = len(self.statuses)
        return PostedStatus(str(n), f"https://home.example/@me/{n}", None, "public", None, None)

    def pin_status(self, status_id: str) -> None:
        pass


@pytest.fixture
def paris(monkeypatch):
    """The reader lives in Paris: times are shown and read there."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def ws(tmp_path, monkeypatch, paris):
    """Addresses saved, but no session that works: Bluesky's saved session is damaged (gone),
    Mastodon has no token (never logged in)."""
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    store = CredentialStore(tmp_path / "cfg", keyring_backend=None)
    store.save(
        "bluesky",
        {"handle": "ville.fictiveville.example", "did": "did:plc:x", "session": "gone"},
    )
    store.save("mastodon", {"acct": "ville@social.fictiveville.example"})
    path = tmp_path / "w.sqlite3"
    import_archive(ROOT / "examples" / "fictional-archive.zip", path)
    return str(path)


def log_in(monkeypatch, **clients: Any) -> None:
    """Logged in to these networks only (fakes where the network would be)."""
    real = Migration.client

    def client(self, network):
        if network in clients:
            return clients[network]
        if network == "x":
            raise NotLoggedInError("network.not_logged_in", network="x")
        return real(self, network)  # the saved accounts say why not

    monkeypatch.setattr(Migration, "client", client)


def run(*args):
    return CliRunner().invoke(cli, list(args))


def posts(ws):
    with Workspace.open(ws) as w:
        return list_posts(w)


def test_queue_leaves_out_a_network_not_logged_in_and_says_why(ws, monkeypatch):
    log_in(monkeypatch, bluesky=PostingBluesky())
    result = run("post", "queue", "--at", "2026-12-24 18:00", "-w", ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Post 1 queued for 2026-12-24 18:00 CET on X, Bluesky."
    )  # the time as typed, in the reader's zone, named
    assert "'portabilite post send' will give you a link" in result.stdout
    assert result.stderr.splitlines() == [
        "Mastodon: not queued. You are not logged in to Mastodon: run 'portabilite login mastodon'."
    ]
    (post,) = posts(ws)
    assert set(post["deliveries"]) == {"x", "bluesky"}
    assert post["due_at"] == "2026-12-24T17:00:00Z"  # stored in UTC


def test_queue_in_french_and_as_json(ws, monkeypatch):
    log_in(monkeypatch, mastodon=PostingMastodon())
    result = run("--lang", "fr", "post", "queue", "--at", "2026-07-14 09:30", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "Publication 1 programmée pour le 2026-07-14 09:30 CEST sur X, Mastodon." in (
        result.stdout
    )
    (line,) = result.stderr.splitlines()  # the session is gone: said, with what to run
    assert line.startswith(f"Bluesky{NBSP}: publication non programmée. Votre session Bluesky")
    assert f"«{NBSP}portabilite login bluesky{NBSP}»" in line
    run("post", "cancel", "1", "-w", ws)
    data = json.loads(run("post", "queue", "--at", "2026-07-14 09:30", "--json", "-w", ws).stdout)
    assert data["due_at"] == "2026-07-14T07:30:00Z" and data["networks"] == ["x", "mastodon"]
    assert "session" in data["skipped"]["bluesky"]


def test_a_network_named_but_not_logged_in_is_refused(ws, monkeypatch):
    log_in(monkeypatch, bluesky=PostingBluesky())
    for args in (
        ["post", "queue", "--network", "bluesky", "--network", "mastodon"],
        ["post", "Bonjour", "--network", "mastodon"],
    ):
        refused = run(*args, "-w", ws)
        assert refused.exit_code == 1
        assert "You are not logged in to Mastodon: run 'portabilite login mastodon'" in (
            refused.output
        )
    french = run("--lang", "fr", "post", "queue", "--network", "mastodon", "-w", ws)
    assert french.exit_code == 1 and "Vous n'êtes pas connecté à Mastodon" in french.output
    assert posts(ws) == []  # nothing queued


def test_logged_in_nowhere_nothing_is_posted(ws):
    for lang, words in (
        ("en", "Nothing queued: you are logged in neither to Bluesky nor to Mastodon."),
        ("fr", f"Rien n'est programmé{NBSP}: vous n'êtes connecté ni à Bluesky ni à Mastodon."),
    ):
        result = run("--lang", lang, "post", "Bonjour à tous", "-w", ws)
        assert result.exit_code == 1 and words in result.output
        assert result.output.count("\n") == 1  # one clear line
    assert posts(ws) == []


def test_network_is_repeatable_and_networks_still_works(ws, monkeypatch):
    sky, toot = PostingBluesky(), PostingMastodon()
    log_in(monkeypatch, bluesky=sky, mastodon=toot)
    both = run("post", "Bonjour", "--network", "bluesky", "--network", "mastodon", "-w", ws)
    assert both.exit_code == 0, both.output
    assert toot.statuses == ["Bonjour"] and len(sky.records["app.bsky.feed.post"]) == 1
    old = run("post", "Re-bonjour", "--networks", "mastodon", "-w", ws)
    assert old.exit_code == 0 and "--networks is deprecated" in old.stderr
    assert toot.statuses == ["Bonjour", "Re-bonjour"]
    bad = run("post", "queue", "--network", "myspace", "-w", ws)
    assert bad.exit_code == 2 and "myspace" in bad.output
    assert "--network" in run("post", "queue", "--help").output
    assert "--networks" not in run("post", "queue", "--help").output  # hidden


def test_post_send_says_what_happened_in_words(ws, monkeypatch):
    log_in(monkeypatch, bluesky=PostingBluesky(), mastodon=PostingMastodon())
    english = run("post", "Bonjour", "-w", ws)
    assert english.exit_code == 0, english.output
    assert "Bluesky: sent https://bsky.app/profile/owner.bsky.social/post/" in english.output
    assert "Mastodon: sent https://home.example/@me/1" in english.output
    french = run("--lang", "fr", "post", "Salut", "-w", ws)
    assert f"Mastodon{NBSP}: publiée https://home.example/@me/2" in french.output
    assert run("--lang", "fr", "post", "send", "-w", ws).output == (
        "Rien à publier pour l'instant.\n"
    )


def test_posts_left_by_a_login_that_went_are_shown_waiting_for_it(ws, monkeypatch):
    """Queued while logged in; the login has gone since: post list and post send say the
    posts wait for it (not silently pending), and the library names them for status."""
    log_in(monkeypatch, bluesky=PostingBluesky(), mastodon=PostingMastodon())
    queued = run("post", "queue", "--at", "+2h", "--network", "bluesky", "--network", "mastodon",
                 "-w", ws)  # fmt: skip
    assert queued.exit_code == 0, queued.output
    monkeypatch.undo()  # logged out: the damaged Bluesky session, no Mastodon token
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    with Migration(ws) as move:
        assert move.stuck_posts() == {"bluesky": [1], "mastodon": [1]}
    listed = run("post", "list", "-w", ws)
    assert listed.exit_code == 0, listed.output
    assert "waiting for a login to Bluesky" in listed.stdout
    assert "waiting for a login to Mastodon" in listed.stdout
    assert listed.stderr.splitlines() == [
        "Bluesky: 1 post is waiting for a login to Bluesky: run 'portabilite login bluesky'.",
        "Mastodon: 1 post is waiting for a login to Mastodon: run 'portabilite login mastodon'.",
    ]
    french = run("--lang", "fr", "post", "list", "-w", ws)
    assert "en attente d'une connexion à Mastodon" in french.stdout
    assert (
        f"Mastodon{NBSP}: 1 publication attend une connexion à Mastodon{NBSP}: lancez "
        f"«{NBSP}portabilite login mastodon{NBSP}»."
    ) in french.stderr
    sent = run("post", "send", "-w", ws)
    assert "Nothing to publish now." in sent.stdout
    assert "1 post is waiting for a login to Bluesky" in sent.stderr
    data = json.loads(run("post", "list", "--json", "-w", ws).stdout)
    delivery = data[0]["deliveries"]["mastodon"]
    assert delivery["state"] == "queued" and delivery["waiting_for_login"] is True


def test_post_list_in_words_and_local_time(ws, monkeypatch):
    log_in(monkeypatch, bluesky=PostingBluesky())
    assert run("post", "Bonjour", "--network", "x", "--network", "bluesky", "-w", ws).exit_code == 0
    queued = run("post", "queue", "--at", "2026-12-24 18:00", "-w", ws)
    assert queued.exit_code == 0, queued.output
    assert run("post", "cancel", "2", "-w", ws).exit_code == 0
    french = run("--lang", "fr", "post", "list", "-w", ws).stdout
    for words in ("N°", "Quand", "Réseau", "État", "Lien", "publiée", "à publier vous-même",
                  "annulée", "2026-12-24 18:00 CET", "https://bsky.app/profile/"):  # fmt: skip
        assert words in french, words
    for code in ("manual", "cancelled", "queued", "sent ", "T17:00"):
        assert code not in french, code  # never a raw code, nor a UTC stamp
    english = run("post", "list", "-w", ws).stdout
    for words in ("No.", "When", "Network", "State", "Link", "to post yourself", "cancelled"):
        assert words in english, words
    data = json.loads(run("post", "list", "--json", "-w", ws).stdout)
    assert data[1]["due_at"] == "2026-12-24T17:00:00Z"  # JSON keeps the codes and UTC
    assert {d["state"] for d in data[0]["deliveries"].values()} == {"manual", "sent"}
