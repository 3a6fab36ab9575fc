"""The follow plan and the Mastodon route: reasons, contract, CSV for the importer, journal."""

from __future__ import annotations

import pytest
import respx
from click.testing import CliRunner

from portabilite import Workspace, import_archive
from portabilite.cli import cli
from portabilite.errors import RateLimitedError
from portabilite.follow import (
    CSV_HEADER,
    apply_mastodon,
    build_plan,
    failures,
    journal_counts,
    retry_failed,
    write_mastodon_csv,
)
from portabilite.matching import decide, import_directory, list_matches, match_workspace
from portabilite.migration import Migration
from portabilite.testing import FakeBluesky, FakeMastodon

from .conftest import ROOT, fictional_writer


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "w.sqlite3"
    import_archive(ROOT / "examples" / "fictional-archive.zip", path)
    with Workspace.open(path) as ws:
        import_directory(ws, ROOT / "examples" / "directory.csv")
        match_workspace(ws)
    return path


def test_plan_contract_and_reasons(example):
    with Workspace.open(example) as ws:
        plan = build_plan(ws).to_json()
        bsky = plan["networks"]["bluesky"]
        assert [e["handle_or_address"] for e in bsky["to_follow"]] == [
            "camille.fictiveville.example",
            "mediatheque.fictiveville.example",
            "journal-fictif.example",
        ]
        for entry in bsky["to_follow"] + plan["networks"]["mastodon"]["to_follow"]:
            assert set(entry) >= {"x_id", "handle_or_address", "status", "evidence"}
        assert {s["reason"] for s in bsky["skipped"]} == {"awaiting_review"}
        assert set(plan["estimate"]) == {"bluesky", "mastodon"}
        assert plan["estimate"]["bluesky"]["write_calls"] == 1
        assert len(build_plan(ws, include_probable=True).networks["bluesky"].to_follow) == 4
        assert (
            len(
                build_plan(ws, only_confirmed=True, include_probable=True)
                .networks["bluesky"]
                .to_follow
            )
            == 3
        )
        limited = build_plan(ws, limit=1)
        assert len(limited.networks["mastodon"].to_follow) == 1
        assert [s["reason"] for s in limited.networks["mastodon"].skipped] == ["limit"] * 3
        followed = build_plan(ws, current={"mastodon": {"univ@piaille.example"}})
        assert "already_followed" in {s["reason"] for s in followed.networks["mastodon"].skipped}
        lea = next(m for m in list_matches(ws) if m["x_handle"] == "lea_modele")
        decide(ws, lea["id"], "accepted")
        assert len(build_plan(ws).networks["bluesky"].to_follow) == 4


def test_blocked_on_x_and_the_mastodon_cap(tmp_path):
    writer = fictional_writer(n_following=3)
    writer.blocks = [writer.following[0]]
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    (tmp_path / "d.csv").write_text(
        "x_id,mastodon\n"
        + "".join(f"{x},@p{i}@m.example\n" for i, x in enumerate(writer.following))
    )
    with Workspace.open(path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
        plan = build_plan(
            ws,
            networks=["mastodon"],
            current={"mastodon": {f"x{i}@a.example" for i in range(7_499)}},
        )
    reasons = {s["handle_or_address"]: s["reason"] for s in plan.networks["mastodon"].skipped}
    assert reasons["p0@m.example"] == "blocked_on_x"
    assert [e["handle_or_address"] for e in plan.networks["mastodon"].to_follow] == ["p1@m.example"]
    assert reasons["p2@m.example"] == "mastodon_cap"


def test_mastodon_csv_is_what_the_importer_takes(example, tmp_path, monkeypatch):
    with Workspace.open(example) as ws:
        plan = build_plan(ws)
    files = write_mastodon_csv(plan, str(tmp_path / "follows.csv"))
    data = (tmp_path / "follows.csv").read_bytes()
    assert files == [str(tmp_path / "follows.csv")]
    assert data == (
        b"Account address,Show boosts,Notify on new posts,Languages\n"
        b"camille@social.fictiveville.example,true,false,\n"
        b"mediatheque@social.fictiveville.example,true,false,\n"
        b"univ@piaille.example,true,false,\n"
        b"prefecture@social.gouv.example,true,false,\n"
    )
    assert not data.startswith(b"\xef\xbb\xbf") and CSV_HEADER.encode() in data
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    result = CliRunner().invoke(
        cli,
        [
            "follow",
            "--network",
            "mastodon",
            "--mastodon-csv",
            str(tmp_path / "cli.csv"),
            "-w",
            str(example),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "mode MERGE" in result.output and (tmp_path / "cli.csv").read_bytes() == data
    monkeypatch.setattr("portabilite.follow._plan.CSV_ROWS_PER_FILE", 3)
    assert [p.rsplit("/", 1)[1] for p in write_mastodon_csv(plan, str(tmp_path / "f.csv"))] == [
        "f.csv",
        "f-2.csv",
    ]


# the user's instance for the journal's logic (the client itself is tested on real
# Mastodon answers in test_mastodon_client.py): the fake portabilite ships


def test_mastodon_apply_journal_resume_and_failures(example):
    with Workspace.open(example) as ws:
        plan = build_plan(ws, networks=["mastodon"])
        client = FakeMastodon(fail_at="id-prefecture@social.gouv.example", limit_at=1)
        from portabilite.networks import Budget, MemoryLedger, Window

        client.follow_budget = Budget(
            "f", [Window(400, 86400, True)], MemoryLedger(), network="mastodon"
        )
        with pytest.raises(RateLimitedError):
            apply_mastodon(ws, plan, client, "me@home.example", daily_cap=360, sleep=lambda s: None)
        assert journal_counts(ws, "mastodon")["done"] == 1
        client.limit_at = None
        counts = apply_mastodon(
            ws, plan, client, "me@home.example", daily_cap=360, sleep=lambda s: None
        )
        assert counts == {"planned": 4, "done": 2, "failed": 2, "undone": 0, "remaining": 0}
        errors = dict(
            ws.conn.execute("SELECT target, error FROM follow_op WHERE state = 'failed'").fetchall()
        )
        # kept as a message key and its values, shown in the reader's language
        from portabilite._reasons import shown

        assert "suspended" in shown(errors["prefecture@social.gouv.example"], "en")
        assert shown(errors["univ@piaille.example"], "en") == "not found from your instance"
        assert shown(errors["univ@piaille.example"], "fr") == "introuvable depuis votre instance"
        assert shown("an older English text") == "an older English text"
        assert len(client.followed) == len(set(client.followed)) == 2
        reasons = dict(failures(ws, "mastodon"))  # what `follow` prints, one line each
        assert reasons["not found from your instance"] == 1 and len(reasons) == 2
        # --retry-failed: back in the plan, tried again, never followed twice
        client.fail_at = None
        assert retry_failed(ws, ["mastodon"]) == 2
        counts = apply_mastodon(
            ws, plan, client, "me@home.example", daily_cap=360, sleep=lambda s: None
        )
        assert counts["done"] == 3 and counts["failed"] == 1  # univ is still not found
        assert len(client.followed) == len(set(client.followed)) == 3


# a PDS for the journal's logic, the fake portabilite ships: it can lose an answer after
# applying, refuse a bad record (atomically, like applyWrites), or say 429 before writing
FakePDS = FakeBluesky


def bluesky_world(tmp_path, n):
    writer = fictional_writer(n_following=n)
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    dids = [
        "did:plc:" + f"{i:024d}".translate(str.maketrans("0123456789", "abcdefghij"))
        for i in range(n)
    ]
    (tmp_path / "d.csv").write_text(
        "x_id,bluesky\n" + "".join(f"{x},{d}\n" for x, d in zip(writer.following, dids))
    )
    with Workspace.open(path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
    return path, dids


def test_lost_answer_is_reconciled_and_never_duplicated(tmp_path):
    from portabilite.errors import UnreachableError
    from portabilite.follow import apply_bluesky

    path, dids = bluesky_world(tmp_path, 450)
    pds = FakePDS()
    pds.lose_answer_of_call = 2  # the PDS applies the second batch, the answer never arrives
    with Workspace.open(path) as ws:
        plan = build_plan(ws, networks=["bluesky"])
        with pytest.raises(UnreachableError):
            apply_bluesky(ws, plan, pds, daily_cap=5000, sleep=lambda s: None)
        assert journal_counts(ws, "bluesky")["done"] == 400  # reconciled from the repository
        counts = apply_bluesky(ws, plan, pds, daily_cap=5000, sleep=lambda s: None)
    assert counts["done"] == 450 and counts["remaining"] == 0
    assert sorted(pds.follow_subjects.values()) == sorted(dids) and pds.calls == 3


def test_a_refused_batch_is_split_to_find_the_bad_record(tmp_path):
    from portabilite.follow import apply_bluesky

    path, dids = bluesky_world(tmp_path, 40)
    pds = FakePDS()
    pds.bad_subject = dids[17]
    with Workspace.open(path) as ws:
        counts = apply_bluesky(
            ws, build_plan(ws, networks=["bluesky"]), pds, daily_cap=5000, sleep=lambda s: None
        )
        error = ws.conn.execute("SELECT error FROM follow_op WHERE state = 'failed'").fetchone()[0]
    assert counts["done"] == 39 and counts["failed"] == 1
    assert "bad subject" in error
    assert set(pds.follow_subjects.values()) == set(dids) - {dids[17]}


def test_429_before_writing_puts_the_batch_back_and_daily_cap_holds(tmp_path):
    from portabilite.follow import apply_bluesky

    path, dids = bluesky_world(tmp_path, 300)
    pds = FakePDS()
    pds.rate_limit_call = 1
    with Workspace.open(path) as ws:
        plan = build_plan(ws, networks=["bluesky"])
        with pytest.raises(RateLimitedError):
            apply_bluesky(ws, plan, pds, daily_cap=5000, sleep=lambda s: None)
        assert journal_counts(ws, "bluesky")["remaining"] == 300 and pds.follow_subjects == {}
        counts = apply_bluesky(ws, plan, pds, daily_cap=250, sleep=lambda s: None)
        assert counts["done"] == 250 and counts["remaining"] == 50  # the daily cap


def test_wait_sleeps_through_the_daily_cap_instead_of_stopping(tmp_path):
    from portabilite.follow import apply_plan

    path, dids = bluesky_world(tmp_path, 30)
    pds = FakePDS()
    slept = []
    with Workspace.open(path) as ws:
        plan = build_plan(ws, networks=["bluesky"])
        import portabilite.follow._journal as engine

        days = iter(["2026-11-22T10:00:00Z"] * 3 + ["2026-11-23T10:00:00Z"] * 20)
        original = engine.now_iso
        engine.now_iso = lambda: next(days, "2026-11-24T10:00:00Z")
        try:
            result = apply_plan(
                ws,
                plan,
                {"bluesky": pds},
                daily_caps={"bluesky": 20},
                wait=True,
                sleep=slept.append,
                clock=lambda: 1_795_000_000.0,
            )
        finally:
            engine.now_iso = original
    assert (
        result["networks"]["bluesky"]["done"] == 30
        and result["networks"]["bluesky"]["remaining"] == 0
    )
    assert any(s > 3600 for s in slept)  # it waited for the next UTC day


def test_blocks_and_mutes_on_mastodon_only_confirmed_never_followed(tmp_path):
    writer = fictional_writer(n_following=2)
    blocked, muted = str(1_500_000_000_000_000_800), writer.following[1]
    writer.blocks = [blocked, str(1_500_000_000_000_000_801)]
    writer.mutes = [muted]
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    (tmp_path / "d.csv").write_text(
        "x_id,x_handle,mastodon\n"
        f"{blocked},,@troll@m.example\n"
        ",someone_else,@maybe@m.example\n"  # by handle only: probable, never blocked
        f"{muted},,@noisy@m.example\n"
    )
    with Workspace.open(path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
        plan = build_plan(ws, networks=["mastodon"], blocks=True, mutes=True)
        part = plan.to_json()["networks"]["mastodon"]
        assert [e["handle_or_address"] for e in part["to_block"]] == ["troll@m.example"]
        assert [e["handle_or_address"] for e in part["to_mute"]] == ["noisy@m.example"]
        assert [e["handle_or_address"] for e in part["to_follow"]] == ["noisy@m.example"]

        class Instance(FakeMastodon):
            def __init__(self):
                super().__init__()
                self.blocked, self.muted = [], []

            def block(self, account_id):
                self.blocked.append(account_id)

            def mute(self, account_id):
                self.muted.append(account_id)

        client = Instance()
        apply_mastodon(
            ws, plan, client, "me@home.example", daily_cap=10, kind="block", sleep=lambda s: None
        )
        apply_mastodon(
            ws, plan, client, "me@home.example", daily_cap=10, kind="mute", sleep=lambda s: None
        )
    assert client.blocked == ["id-troll@m.example"] and client.muted == ["id-noisy@m.example"]


def test_mastodon_lists_made_once_with_followed_members(tmp_path):
    from portabilite.follow import apply_mastodon_lists

    writer = fictional_writer(n_following=3)
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    f = writer.following
    (tmp_path / "d.csv").write_text(f"x_id,mastodon\n{f[0]},@a@m.example\n{f[1]},@b@m.example\n")
    with Workspace.open(path) as ws:
        import_directory(ws, tmp_path / "d.csv")
        match_workspace(ws)
        with ws.transaction() as db:
            db.execute(
                "INSERT INTO x_owned_list (list_id, name, fetched_at) VALUES ('9', 'Amis', 'x')"
            )
            db.executemany(
                "INSERT INTO x_owned_list_member (list_id, x_id) VALUES ('9', ?)", [(x,) for x in f]
            )
        plan = build_plan(ws, networks=["mastodon"], lists=True)

        class Instance(FakeMastodon):
            def __init__(self):
                super().__init__()
                self.made, self.members = [], {}

            def lists(self):
                from portabilite.networks.mastodon import MastodonList

                return [MastodonList(id=f"L{i}", title=t) for i, t in enumerate(self.made)]

            def create_list(self, title):
                from portabilite.networks.mastodon import MastodonList

                self.made.append(title)
                return MastodonList(id=f"L{len(self.made) - 1}", title=title)

            def add_to_list(self, list_id, ids):
                self.members.setdefault(list_id, []).extend(ids)

            def iter_list_accounts(self, list_id):
                return []

        client = Instance()
        counts = apply_mastodon_lists(ws, plan, client, "me@home.example")
        again = apply_mastodon_lists(ws, plan, client, "me@home.example")
    assert client.made == ["Amis"]
    assert client.members == {"L0": ["id-a@m.example", "id-b@m.example"]}
    assert counts["done"] == 2 and again["done"] == 2


@respx.mock
def test_hydrate_lists_reads_owned_lists_and_members(tmp_path, monkeypatch):
    import httpx

    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("PORTABILITE_X_API", "https://api.x.example")
    writer = fictional_writer(n_following=2)
    writer.write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    respx.get("https://api.x.example/2/users/me").mock(
        return_value=httpx.Response(
            200, json={"data": {"id": writer.account_id, "username": "exemple_owner", "name": "O"}}
        )
    )
    respx.get(url__startswith=f"https://api.x.example/2/users/{writer.account_id}/following").mock(
        return_value=httpx.Response(200, json={"data": [], "meta": {"result_count": 0}})
    )
    respx.get(
        url__startswith=f"https://api.x.example/2/users/{writer.account_id}/owned_lists"
    ).mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [{"id": "55", "name": "Presse", "description": "d"}],
                "meta": {"result_count": 1},
            },
        )
    )
    members = respx.get(url__startswith="https://api.x.example/2/lists/55/members").mock(
        side_effect=[
            httpx.Response(
                200, json={"data": [{"id": writer.following[0]}], "meta": {"next_token": "n"}}
            ),
            httpx.Response(200, json={"data": [{"id": writer.following[1]}], "meta": {}}),
        ]
    )
    from portabilite.networks.x import OAuth1Credentials
    from portabilite.secrets import CredentialStore

    CredentialStore(keyring_backend=None).save(
        "x",
        {
            **OAuth1Credentials(
                "ck-AAAAAAAA", "cs-BBBBBBBBBB", "at-CCCCCCCC", "as-DDDDDDDD"
            ).to_record(),
            "username": "o",
        },
    )
    # a script is never asked about a cost, nor is the cost assumed agreed: --yes says so
    script = CliRunner().invoke(cli, ["hydrate", "--lists", "-w", str(path)])
    assert script.exit_code == 1 and "add --yes" in script.output, script.output
    assert members.call_count == 0
    result = CliRunner().invoke(cli, ["hydrate", "--lists", "--yes", "-w", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 list and 2 members read" in result.output and members.call_count == 2
    with Workspace.open(path) as ws:
        assert (
            ws.conn.execute(
                "SELECT count(*) FROM x_owned_list_member WHERE list_id = '55'"
            ).fetchone()[0]
            == 2
        )


def test_a_partial_run_exits_non_zero_with_one_line_per_reason(example, monkeypatch):
    """The CLI skin over the engine: failures are said, one line each with what to do, and
    the exit code tells scripts the run is partial."""
    from click.testing import CliRunner

    import portabilite.follow as follow
    from portabilite.cli import cli

    monkeypatch.setattr(
        follow,
        "apply_plan",
        lambda ws, plan, clients, **kw: {
            "networks": {
                "bluesky": {"planned": 3, "done": 1, "failed": 2, "undone": 0, "remaining": 0}
            }
        },
    )
    monkeypatch.setattr(follow, "failures", lambda ws, network: [("not found on Bluesky", 2)])
    monkeypatch.setattr(Migration, "clients", lambda self, networks: {"bluesky": object()})
    monkeypatch.setattr(Migration, "current_follows", lambda self, networks: ({}, {}))
    result = CliRunner().invoke(cli, ["follow", "--network", "bluesky", "-w", str(example)])
    assert result.exit_code == 1, result.output
    assert "Bluesky: 1 followed, 2 failed" in result.output
    assert "Bluesky: 2 not followed: not found on Bluesky" in result.output
    assert "--retry-failed" in result.output and "Traceback" not in result.output


def test_follow_goes_on_where_logged_in_and_says_what_it_left(tmp_path, monkeypatch):
    """Logged in to Bluesky only: follow follows there and says Mastodon was left, and why;
    asked for Mastodon by name, it refuses."""
    from click.testing import CliRunner

    from portabilite.cli import cli
    from portabilite.errors import NotLoggedInError

    example, _ = bluesky_world(tmp_path, 3)
    sky = FakeBluesky()

    def client(self, network):
        if network == "bluesky":
            return sky
        raise NotLoggedInError("network.not_logged_in", network=network)

    monkeypatch.setattr(Migration, "client", client)
    result = CliRunner().invoke(cli, ["follow", "-w", str(example)])
    assert result.exit_code == 0, result.output
    assert "Bluesky: 3 followed" in result.output
    assert "Mastodon: skipped. You are not logged in to Mastodon" in result.output
    assert len(sky.records.get("app.bsky.graph.follow", {})) == 3
    named = CliRunner().invoke(cli, ["follow", "--network", "mastodon", "-w", str(example)])
    assert named.exit_code == 1 and "not logged in to Mastodon" in named.output
    french = CliRunner().invoke(cli, ["--lang", "fr", "follow", "-w", str(example)])
    assert "Mastodon\u00a0: laissé de côté. Vous n'êtes pas connecté à Mastodon" in french.output
    monkeypatch.setattr(
        Migration,
        "client",
        lambda self, n: (_ for _ in ()).throw(NotLoggedInError("network.not_logged_in", network=n)),
    )
    nowhere = CliRunner().invoke(cli, ["follow", "-w", str(example)])
    assert nowhere.exit_code == 1 and "Bluesky: skipped" in nowhere.output
    csv_only = CliRunner().invoke(
        cli, ["follow", "--mastodon-csv", str(tmp_path / "m.csv"), "-w", str(example)]
    )
    assert csv_only.exit_code == 0, csv_only.output  # the CSV needs no login at all


def test_hydrate_checks_the_x_login_before_the_cost(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    fictional_writer(n_following=2).write_zip(tmp_path / "a.zip")
    path = tmp_path / "w.sqlite3"
    import_archive(tmp_path / "a.zip", path)
    result = CliRunner().invoke(cli, ["hydrate", "-w", str(path)])
    assert result.exit_code == 1 and "not logged in to X" in result.output
    assert "This reads" not in result.output  # no cost shown for a read that cannot run
