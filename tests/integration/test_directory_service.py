"""The directory service (issue 15) against a real PostgreSQL (the local network's server) and
the real local Bluesky network: registration proven by a record in the person's repository,
look-ups by range, a deletion seen by the next look-up, forged and replayed proofs refused,
signatures checked, mirrors, and many clients at once."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from portabilite import Workspace, import_archive
from portabilite.archive.synthetic import ArchiveWriter
from portabilite.directory_service import copy_export, open_server
from portabilite.directory_service._proofs import Checker
from portabilite.directory_service._protocol import PREFIX_HEX, RECORD_COLLECTION, x_hash
from portabilite.directory_service.client import ServiceClient, look_up, register, unregister
from portabilite.errors import DirectoryError
from portabilite.matching import list_matches, match_workspace

from .service import Served, database, mastodon_app, oembed_app
from .test_bluesky_client import make_client

pytestmark = pytest.mark.integration
PERSON = "1800000000000000001"  # the person who moved, on X
HANDLE = "ville_exemple"


class Peers:
    """What the server reads proofs from besides Bluesky: a Mastodon server, X's oEmbed."""

    def __init__(self) -> None:
        self.posts: dict[str, tuple[str, str]] = {}
        self.field: str | None = None
        self.toot: str | None = None
        self.mastodon_url = "http://127.0.0.1:9"  # set by a test that serves one

    def mastodon(self):
        return mastodon_app(profile_field=lambda: self.field, post=lambda: self.toot)


@pytest.fixture
def server(devnet, tmp_path):
    """A directory server on a database of its own, reading proofs from the local network."""
    peers = Peers()
    with database(devnet) as url, Served(oembed_app(peers.posts)) as oembed:
        checker = Checker(
            appview=devnet.appview_url,
            plc=devnet.plc_url,
            oembed=f"{oembed.url}/oembed",
            allow_hosts=("127.0.0.1", "localhost"),
            mastodon_base=lambda host: peers.mastodon_url,
        )
        app, store = open_server(
            url, tmp_path / "key.pem", public_url="https://dir.example", checker=checker
        )
        with Served(app) as served:
            served.peers, served.store, served.database = peers, store, url
            yield served
        store.close()
        checker.close()


def person_workspace(tmp_path, name="person"):
    writer = ArchiveWriter(PERSON, HANDLE, "Ville Exemple")
    writer.following = ["1800000000000000099"]
    path = tmp_path / f"{name}.sqlite3"
    writer.write_zip(tmp_path / f"{name}.zip")
    import_archive(tmp_path / f"{name}.zip", path)
    return path


def follower_workspace(tmp_path, follows=(PERSON,), name="follower"):
    """Someone who follows the person on X and names them in a tweet (their handle known)."""
    writer = ArchiveWriter("1800000000000000500", "abonne_exemple", "Abonné")
    writer.following = list(follows)
    writer.add_tweet(
        "1800000000000009000",
        "2026-01-05T10:00:00Z",
        f"Bonjour @{HANDLE}",
        mentions=[(PERSON, HANDLE, "Ville Exemple")],
    )
    path = tmp_path / f"{name}.sqlite3"
    writer.write_zip(tmp_path / f"{name}.zip")
    import_archive(tmp_path / f"{name}.zip", path)
    return path


def logged_in(devnet, prefix="ville"):
    account = devnet.create_account(prefix)
    client = make_client(devnet)
    client.login(account.handle, account.password)
    return account, client


def statuses(path):
    with Workspace.open(path) as ws:
        match_workspace(ws)
        return {(m["network"], m["status"]) for m in list_matches(ws)}


def test_a_registration_proven_on_bluesky_and_x_confirms_for_followers(devnet, server, tmp_path):
    account, bluesky = logged_in(devnet)
    post = f"https://x.com/{HANDLE}/status/1800000000000012345"

    def x_post(code):
        server.peers.posts[post] = (HANDLE, f"Je pars de X : {code}")
        return post

    with Workspace.open(person_workspace(tmp_path)) as ws:
        entry = register(ws, server.url, bluesky=bluesky, x_post=x_post)
    assert entry["x_proof"] == "post" and entry["bluesky"]["did"] == account.did
    assert entry["bluesky"]["handle"] == account.handle
    assert {p["kind"] for p in entry["proofs"]} == {"bluesky_record", "x_post"}
    # the proof is a record in the person's own repository
    record = bluesky.get_record(RECORD_COLLECTION, entry["proofs"][0]["uri"].rsplit("/", 1)[1])
    assert record is not None and record.value["x_id"] == PERSON

    follower = follower_workspace(tmp_path)
    with Workspace.open(follower) as ws:
        found = look_up(ws, server.url)
        assert found["entries"] == 1 and found["ranges"] == 1
        again = look_up(ws, server.url)  # within the week: not asked again
        assert again["skipped"]
    assert ("bluesky", "confirmed") in statuses(follower)


def test_a_self_declared_entry_is_medium_evidence_only(devnet, server, tmp_path):
    _, bluesky = logged_in(devnet)
    with Workspace.open(person_workspace(tmp_path)) as ws:
        entry = register(ws, server.url, bluesky=bluesky)
    assert entry["x_proof"] == "self"
    follower = follower_workspace(tmp_path)
    with Workspace.open(follower) as ws:
        look_up(ws, server.url)
    assert statuses(follower) == {("bluesky", "probable")}


def test_a_mastodon_profile_field_proves_the_mastodon_account(devnet, server, tmp_path):
    with Served(server.peers.mastodon()) as mastodon:
        server.peers.mastodon_url = mastodon.url

        def ready(code):
            server.peers.field = f"portabilite: {code}"

        with Workspace.open(person_workspace(tmp_path)) as ws:
            entry = register(
                ws, server.url, mastodon="mastodonpy_test@social.example", mastodon_ready=ready
            )
    assert entry["mastodon"] == "mastodonpy_test@social.example"
    assert entry["proofs"][0]["kind"] == "mastodon_profile"


def test_a_recent_public_post_proves_the_mastodon_account_too(devnet, server, tmp_path):
    with Served(server.peers.mastodon()) as mastodon:
        server.peers.mastodon_url = mastodon.url

        def ready(code):
            server.peers.toot = f"Mon code portabilite : {code}"

        with Workspace.open(person_workspace(tmp_path)) as ws:
            entry = register(
                ws, server.url, mastodon="mastodonpy_test@social.example", mastodon_ready=ready
            )
        assert entry["proofs"][0]["kind"] == "mastodon_post"
        server.peers.toot = "rien"  # and without the code anywhere: refused
        with Workspace.open(person_workspace(tmp_path, "again")) as ws:
            with pytest.raises(DirectoryError) as refused:
                register(ws, server.url, mastodon="mastodonpy_test@social.example")
        assert refused.value.key == "service.proof_mastodon_missing"


def test_forged_and_replayed_proofs_are_refused(devnet, server, tmp_path):
    _, victim = logged_in(devnet, "victime")
    _, attacker = logged_in(devnet, "attaquant")
    with ServiceClient(server.url) as client:
        # the attacker names the victim's account, and writes the record in their own repository
        claim = client.start(action="register", x_id=PERSON, x_handle=HANDLE, bluesky=victim.did)
        record = claim["record"]
        attacker.apply_writes(
            [
                {
                    "action": "create",
                    "collection": RECORD_COLLECTION,
                    "rkey": record["rkey"],
                    "value": record["value"],
                }
            ]
        )
        with pytest.raises(DirectoryError) as refused:
            client.settle(claim["claim"])
        assert refused.value.key == "service.proof_bluesky_missing"
        # a record with another code (an older registration's) in the right repository
        claim = client.start(action="register", x_id=PERSON, x_handle=HANDLE, bluesky=victim.did)
        victim.apply_writes(
            [
                {
                    "action": "create",
                    "collection": RECORD_COLLECTION,
                    "rkey": claim["record"]["rkey"],
                    "value": {**claim["record"]["value"], "code": "portabilite-not-this-one"},
                }
            ]
        )
        with pytest.raises(DirectoryError):
            client.settle(claim["claim"])
        # an X post by someone else
        claim = client.start(action="register", x_id=PERSON, x_handle=HANDLE, bluesky=victim.did)
        victim.apply_writes(
            [
                {
                    "action": "create",
                    "collection": RECORD_COLLECTION,
                    "rkey": claim["record"]["rkey"],
                    "value": claim["record"]["value"],
                }
            ]
        )
        post = "https://x.com/usurpateur/status/1800000000000054321"
        server.peers.posts[post] = ("usurpateur", f"code {claim['code']}")
        with pytest.raises(DirectoryError) as refused:
            client.settle(claim["claim"], post)
        assert refused.value.key == "service.proof_x_missing"
        # the same claim, proven, settles once; replayed, it is refused
        entry = client.settle(claim["claim"])
        assert entry["x_proof"] == "self"
        with pytest.raises(DirectoryError) as replayed:
            client.settle(claim["claim"])
        assert replayed.value.key == "service.no_claim"
    assert server.store.counts()["entries"] == 1


def test_a_deletion_is_seen_by_the_next_look_up_and_mirrors_drop_it(devnet, server, tmp_path):
    _, bluesky = logged_in(devnet)
    person = person_workspace(tmp_path)
    with Workspace.open(person) as ws:
        register(ws, server.url, bluesky=bluesky)
    follower = follower_workspace(tmp_path)
    with Workspace.open(follower) as ws:
        assert look_up(ws, server.url)["entries"] == 1
    with Workspace.open(person) as ws:
        tombstone = unregister(ws, server.url, bluesky=bluesky)
    assert tombstone["tombstone"] and tombstone["x_id"] == PERSON
    with Workspace.open(follower) as ws:
        assert look_up(ws, server.url, refresh=True)["entries"] == 0
        assert ws.conn.execute("SELECT count(*) FROM directory_entry").fetchone()[0] == 0
    assert statuses(follower) == set()
    # the export carries the tombstone, signed: a mirror drops the entry too
    with ServiceClient(server.url) as client:
        lines = list(client.export())
    assert lines[0]["public_key"] and any(line.get("tombstone") for line in lines[1:])


def test_entries_a_mirror_copies_stay_verifiable(devnet, server, tmp_path):
    _, bluesky = logged_in(devnet)
    with Workspace.open(person_workspace(tmp_path)) as ws:
        register(ws, server.url, bluesky=bluesky)
    with ServiceClient(server.url) as client:
        lines = list(client.export())
    with database(devnet) as url:
        app, store = open_server(
            url, tmp_path / "mirror-key.pem", public_url="https://mirror.example"
        )
        try:
            assert copy_export(store, lines) == {"entries": 1, "tombstones": 0}
            # a line changed on the way refuses the whole copy
            forged = [lines[0], {**lines[1], "mastodon": "pirate@evil.example"}]
            with pytest.raises(DirectoryError):
                copy_export(store, forged)
            with Served(app) as mirror:
                follower = follower_workspace(tmp_path)
                with Workspace.open(follower) as ws:
                    assert look_up(ws, mirror.url)["entries"] == 1
        finally:
            store.close()


def test_the_client_refuses_entries_not_signed_by_the_server(devnet, server, tmp_path):
    _, bluesky = logged_in(devnet)
    with Workspace.open(person_workspace(tmp_path)) as ws:
        register(ws, server.url, bluesky=bluesky)

    class Tampering(httpx.HTTPTransport):
        def handle_request(self, request):
            answer = super().handle_request(request)
            if request.url.path == "/v1/ranges":
                body = answer.read().replace(b"did:plc:", b"did:plc:x")
                return httpx.Response(
                    200, content=body, headers={"content-type": "application/json"}
                )
            return answer

    follower = follower_workspace(tmp_path)
    with Workspace.open(follower) as ws:
        with pytest.raises(DirectoryError) as refused:
            look_up(ws, server.url, transport=Tampering())
        assert refused.value.key == "service.bad_signature"
        assert ws.conn.execute("SELECT count(*) FROM directory_entry").fetchone()[0] == 0
        look_up(ws, server.url)  # the key is pinned at this first good answer
        ws.conn.execute("UPDATE directory_server SET public_key = 'AAAA', looked_up_at = NULL")
        with pytest.raises(DirectoryError) as changed:
            look_up(ws, server.url)
        assert changed.value.key == "service.key_changed"


def test_look_ups_send_ranges_never_ids_and_leave_only_counts(devnet, server, tmp_path):
    sent: list[bytes] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request):
            sent.append(request.read())
            return super().handle_request(request)

    follows = [str(1800000000000100000 + i) for i in range(300)]
    follower = follower_workspace(tmp_path, follows=follows)
    with Workspace.open(follower) as ws:
        look_up(ws, server.url, transport=Recording())
    everything = b"".join(sent)
    assert all(x_id.encode() not in everything for x_id in follows)
    assert all(x_hash(x_id).encode() not in everything for x_id in follows)  # prefixes only
    assert len({x_hash(x)[:PREFIX_HEX] for x in follows}) == everything.count(b'"') // 2 - 1
    import psycopg

    with psycopg.connect(server.database) as db:
        tables = {
            r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        logged = db.execute("SELECT requests, ranges FROM lookup_count").fetchall()
    assert tables == {"entry", "tombstone", "claim", "mirror", "lookup_count", "alembic_version"}
    assert logged == [(1, len({x_hash(x)[:PREFIX_HEX] for x in follows}))]


def test_a_hundred_clients_at_once(devnet, server, tmp_path):
    _, bluesky = logged_in(devnet)
    with Workspace.open(person_workspace(tmp_path)) as ws:
        register(ws, server.url, bluesky=bluesky)
    prefix = x_hash(PERSON)[:PREFIX_HEX]

    def one(n):
        with ServiceClient(server.url) as client:
            return len(client.ranges([prefix, f"{n:05x}"])["entries"])

    with ThreadPoolExecutor(max_workers=100) as pool:
        found = list(pool.map(one, range(100)))
    assert found.count(0) == 0 and all(n >= 1 for n in found)


def test_the_commands_register_look_up_and_unregister(devnet, server, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from portabilite.cli import cli

    from .processes import logged_in_env

    account = devnet.create_account("cli")
    logged_in_env(devnet, tmp_path, account, monkeypatch)
    person = person_workspace(tmp_path)
    runner = CliRunner()
    # without a terminal: the Bluesky account, proven; the X side self-declared
    done = runner.invoke(cli, ["-w", str(person), "directory", "register", "--server", server.url])
    assert done.exit_code == 0, done.output
    assert (
        f"Registered on {server.url}: X @{HANDLE} is now Bluesky @{account.handle}." in done.output
    )
    assert "self-declared" in done.output
    follower = follower_workspace(tmp_path)
    found = runner.invoke(
        cli, ["-w", str(follower), "match", "--no-search", "--directory-server", server.url]
    )
    assert found.exit_code == 0, found.output
    assert (
        f"Directory server {server.url}: 1 range asked, 1 entry for your accounts." in found.output
    )
    with sqlite3.connect(follower) as db:
        assert db.execute("SELECT url FROM directory_server").fetchall() == [(server.url,)]
    # in French, the next time: the server is remembered
    fr = runner.invoke(
        cli, ["-w", str(follower), "--lang", "fr", "match", "--refresh", "--no-search"]
    )
    assert "1 plage demandée, 1 entrée pour vos comptes" in fr.output
    gone = runner.invoke(
        cli, ["-w", str(person), "directory", "unregister", "--server", server.url]
    )
    assert gone.exit_code == 0, gone.output
    assert "deleted from" in gone.output
    again = runner.invoke(
        cli, ["-w", str(person), "directory", "unregister", "--server", server.url]
    )
    assert again.exit_code == 1
    assert (
        again.output.strip() == f"Error: The directory server has no entry for the X id {PERSON}."
    )


def test_mirror_copies_an_export_file_and_serve_needs_a_database(
    devnet, server, tmp_path, monkeypatch
):
    from click.testing import CliRunner

    from portabilite.cli import cli

    _, bluesky = logged_in(devnet)
    with Workspace.open(person_workspace(tmp_path)) as ws:
        register(ws, server.url, bluesky=bluesky)
    export = tmp_path / "export.ndjson"
    export.write_bytes(httpx.get(f"{server.url}/v1/export").content)
    with database(devnet) as url:
        copied = CliRunner().invoke(cli, ["directory", "mirror", str(export), "--database", url])
        assert copied.exit_code == 0, copied.output
        assert "1 entry and 0 deletions, each signature checked" in copied.output
    monkeypatch.delenv("PORTABILITE_DIRECTORY_DATABASE", raising=False)
    refused = CliRunner().invoke(
        cli, ["directory", "serve", "--key", str(tmp_path / "k.pem"), "--public-url", "https://d"]
    )
    assert refused.exit_code == 1 and "--database postgresql://" in refused.output
