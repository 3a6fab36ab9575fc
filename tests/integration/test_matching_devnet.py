"""The matcher against the real local Bluesky network: handle guesses, batched profiles,
back-links written in real profile descriptions."""

from __future__ import annotations

import pytest

from portabilite import Workspace, import_archive
from portabilite.archive.synthetic import ArchiveWriter
from portabilite.matching import list_matches, match_workspace

from .test_bluesky_client import CountingTransport, make_client

pytestmark = pytest.mark.integration


def test_guesses_and_back_links_on_a_real_appview(devnet, tmp_path):
    # Handles here are random (<prefix><hex>.test), so the X screen names follow them. Camille
    # kept her old X handle as her Bluesky handle, renamed on X since to @camille_maintenant
    # (the archive's newest tweet says so), and links that current handle from her profile.
    linked = devnet.create_account(
        "linked",
        display_name="Camille Exemple",
        description="Ici maintenant. Sur X : x.com/camille_maintenant",
    )
    namesake = devnet.create_account("namesake", display_name="Sam Dupont")
    squatter = devnet.create_account("bigbrand", display_name="free crypto")
    screens = {
        "linked": linked.handle.split(".")[0],
        "namesake": namesake.handle.split(".")[0],
        "squatter": squatter.handle.split(".")[0],
        "nobody": "nobodyhere123",
    }
    names = {
        "linked": "Camille Exemple",
        "namesake": "Sam Dupont",
        "squatter": "Big Brand",
        "nobody": "Nobody",
    }
    base = 1_700_000_000_000_000_000
    writer = ArchiveWriter(str(base), "owner_devnet", "Owner")
    ids = {key: str(base + i + 1) for i, key in enumerate(screens)}
    writer.following = list(ids.values())
    for i, key in enumerate(screens):
        writer.add_tweet(
            str(base + 100 + i),
            "2021-03-01T10:00:00Z",
            f"@{screens[key]}",
            mentions=[(ids[key], screens[key], names[key])],
        )
    writer.add_tweet(
        str(base + 99),
        "2025-03-01T10:00:00Z",
        "@camille_maintenant",
        mentions=[(ids["linked"], "camille_maintenant", "Camille Exemple")],
    )

    writer.write_zip(tmp_path / "a.zip")
    import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")

    transport = CountingTransport()
    with Workspace.open(tmp_path / "w.sqlite3") as ws, make_client(devnet, transport) as client:
        match_workspace(ws, bluesky=client, guess_domains=("test",))
        got = {m["x_id"]: m for m in list_matches(ws, network="bluesky")}
    assert got[ids["linked"]]["status"] == "confirmed"
    assert got[ids["linked"]]["account"] == {"handle": linked.handle, "did": linked.did}
    assert "back_link" in {e["kind"] for e in got[ids["linked"]]["evidence"]}
    link = next(e for e in got[ids["linked"]]["evidence"] if e["kind"] == "back_link")
    assert link["params"]["name"] == "camille_maintenant" and link["params"]["current"] == "yes"
    assert "handle_guess_stale" in {e["kind"] for e in got[ids["linked"]]["evidence"]}
    assert got[ids["namesake"]]["status"] == "probable"  # a guessed handle, the same name
    assert got[ids["squatter"]]["status"] == "rejected"  # a guessed handle, another name
    assert ids["nobody"] not in got
    assert transport.count("app.bsky.actor.getProfiles") == 1  # one batch for every guess
    # the real AppView's search, for the X accounts nothing proved: by name and by handle
    assert transport.count("app.bsky.actor.searchActors") == 6
