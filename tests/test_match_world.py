"""The matcher against a small simulated world (bench/match_world.py), served on 127.0.0.1.

Floors are what the matcher reached when this test was written, minus a margin: raise them as
the matcher improves. Confirmed precision is the one floor that must never move down.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FOLLOWINGS, SEED = 200, 3
#: never follow the wrong account without asking
CONFIRMED_PRECISION = 0.995
#: what public evidence can prove, `confirmed` must reach (issue 9's goal)
OF_CEILING = 0.90
#: measured on (200, seed 3) on 2026-12-01 (`python bench/match_world.py --followings 200
#: --seed 3`): C rec, C+P rec, P prec: archive bluesky 0.078, 0.289, 0.864; archive mastodon
#: 0.056, 0.056, -; hydrated bluesky 0.578, 0.800, 0.769; hydrated mastodon 0.556, 0.556, -.
#: Each floor is that minus a margin for the next change to spend, never more.
FLOORS = {
    ("archive", "bluesky", "confirmed_recall"): 0.06,
    ("archive", "bluesky", "cp_recall"): 0.25,
    ("archive", "bluesky", "probable_precision"): 0.75,
    ("archive", "mastodon", "confirmed_recall"): 0.04,
    ("hydrated", "bluesky", "confirmed_recall"): 0.50,
    ("hydrated", "bluesky", "cp_recall"): 0.72,
    ("hydrated", "bluesky", "probable_precision"): 0.70,
    ("hydrated", "mastodon", "confirmed_recall"): 0.48,
    ("hydrated", "mastodon", "cp_recall"): 0.48,
}
FIGURES = (
    "with_true_account",
    "confirmed_precision",
    "confirmed_recall",
    "false_confirms_of_none",
    "probable_precision",
    "probable_row_precision",
    "probable_rows_per_account",
    "cp_precision",
    "cp_recall",
    "evidence_ceiling",
    "confirmed_recall_over_ceiling",
)


def _bench():
    path = Path(__file__).resolve().parent.parent / "bench" / "match_world.py"
    spec = importlib.util.spec_from_file_location("match_world", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["match_world"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    mw = _bench()
    world = mw.build_world(FOLLOWINGS, SEED)
    out = {}
    with mw.serve(world) as served:
        for setting in ("archive", "hydrated"):
            out[setting] = mw.run_matcher(world, setting, tmp_path_factory.mktemp(setting), served)
    out["sfb"] = [mw.sfb_baseline(world, setting=s) for s in ("archive", "hydrated")]
    out["table"] = mw.format_report([out["archive"], out["hydrated"]], out["sfb"])
    return out


def test_the_world_is_seeded():
    mw = _bench()
    a, b = mw.build_world(60, 5), mw.build_world(60, 5)
    assert a.truth == b.truth and a.bsky == b.bsky and a.masto == b.masto
    assert mw.build_world(60, 6).truth != a.truth


@pytest.mark.parametrize("setting", ["archive", "hydrated"])
def test_report_has_every_figure(reports, setting):
    report = reports[setting]
    for network in ("bluesky", "mastodon"):
        figures = report["networks"][network]
        assert set(FIGURES) <= set(figures)
        assert figures["with_true_account"] > 0
        assert figures["evidence_ceiling"] is not None
    assert report["requests"]  # the servers were asked
    assert "second_run_requests" in report
    assert "SFB" in reports["table"]


@pytest.mark.parametrize("setting", ["archive", "hydrated"])
@pytest.mark.parametrize("network", ["bluesky", "mastodon"])
def test_confirmed_precision(reports, setting, network):
    figures = reports[setting]["networks"][network]
    precision = figures["confirmed_precision"]
    assert precision is None or precision >= CONFIRMED_PRECISION, reports["table"]
    assert figures["false_confirms_of_none"] == 0, reports["table"]


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floors(reports, key):
    setting, network, figure = key
    assert reports[setting]["networks"][network][figure] >= FLOORS[key], reports["table"]


@pytest.mark.parametrize("setting", ["archive", "hydrated"])
@pytest.mark.parametrize("network", ["bluesky", "mastodon"])
def test_confirmed_reaches_what_evidence_can_prove(reports, setting, network):
    ratio = reports[setting]["networks"][network]["confirmed_recall_over_ceiling"]
    assert ratio is not None and ratio >= OF_CEILING, reports["table"]


@pytest.mark.parametrize("setting", ["archive", "hydrated"])
def test_a_second_run_asks_nothing(reports, setting):
    assert reports[setting]["second_run_requests"] == {}


def test_matches_to_follow_or_review_are_more_often_right_than_sfbs(reports):
    """SFB's recall is bought with namesakes and squatters: its followed accounts are wrong
    far more often than what portabilite confirms or asks about."""
    for sfb in reports["sfb"]:
        ours = reports[sfb["setting"]]["networks"]["bluesky"]
        assert ours["cp_precision"] > sfb["confirmed_precision"] + 0.2, reports["table"]
