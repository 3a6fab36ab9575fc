"""The one rate-limit policy: header styles, retries, budgets."""

from __future__ import annotations

import random

import pytest

from portabilite.errors import RateLimitedError, RefusedError, UnreachableError
from portabilite.networks import (
    BLUESKY_WRITE_WINDOWS,
    MASTODON_FOLLOW_WINDOWS,
    Budget,
    Decision,
    MemoryLedger,
    RetryPolicy,
    Verdict,
    Window,
    call_with_retry,
    wait_from_headers,
)
from portabilite.networks._ratelimit import parse_reset, remaining_from_headers

NOW = 1_790_000_000.0  # 2026-09-21T...Z


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"Retry-After": "120"}, 120),
        ({"retry-after": "Mon, 21 Sep 2026 14:13:20 GMT"}, 0),  # in the past: no wait
        ({"RateLimit-Reset": str(int(NOW) + 300)}, 300),  # Bluesky: epoch seconds
        ({"ratelimit-reset": "45"}, 45),  # IETF draft: delta seconds
        ({"X-RateLimit-Reset": "2026-09-21T14:23:20.000Z"}, 600),  # Mastodon: ISO 8601
        ({"x-rate-limit-reset": str(int(NOW) + 900)}, 900),  # X: epoch seconds
        ({"Retry-After": "10", "RateLimit-Reset": str(int(NOW) + 60)}, 60),  # the longest wins
        ({"content-type": "application/json"}, None),
        ({"retry-after": "soon"}, None),
    ],
)
def test_every_header_style(headers, expected):
    wait = wait_from_headers(headers, now=NOW)
    assert (wait is None and expected is None) or abs(wait - expected) < 1


def test_parse_reset_never_negative():
    assert parse_reset(str(int(NOW) - 50), NOW) == 0.0
    assert parse_reset("2001-01-01T00:00:00Z", NOW) == 0.0
    assert parse_reset("nan", NOW) is None
    assert remaining_from_headers({"X-RateLimit-Remaining": "299"}) == 299


def _verdicts(sequence):
    calls = []

    def fn():
        calls.append(1)
        item = sequence[len(calls) - 1]
        if isinstance(item, Exception):
            raise item
        return item

    return fn, calls


def classify(exc):
    kind, wait = exc.args
    return Verdict(
        Decision(kind),
        {
            "wait": RateLimitedError("network.rate_limited", network="x"),
            "backoff": UnreachableError("network.unreachable", network="x", host="h", reason="r"),
            "fail": RefusedError("network.refused", network="x", status=403, reason="no"),
        }[kind],
        wait,
    )


def test_waits_then_succeeds_and_backoff_grows_with_jitter():
    fn, calls = _verdicts(
        [Exception("wait", 30.0), Exception("backoff", None), Exception("backoff", None), "ok"]
    )
    slept = []
    assert (
        call_with_retry(fn, classify, network="x", sleep=slept.append, rng=random.Random(1)) == "ok"
    )
    assert len(calls) == 4
    assert 30 <= slept[0] <= 31 and 1 <= slept[1] + 1 and slept[2] > slept[1] * 1.0 - 0.5


def test_a_no_is_raised_at_once():
    fn, calls = _verdicts([Exception("fail", None), "never"])
    with pytest.raises(RefusedError):
        call_with_retry(fn, classify, network="x", sleep=lambda s: pytest.fail("slept"))
    assert len(calls) == 1


def test_a_long_wait_becomes_an_error_with_the_time():
    fn, _ = _verdicts([Exception("wait", 5 * 3600.0)])
    with pytest.raises(RateLimitedError) as err:
        call_with_retry(
            fn, classify, network="x", sleep=lambda s: pytest.fail("slept"), clock=lambda: NOW
        )
    assert abs(err.value.retry_at.timestamp() - (NOW + 5 * 3600)) < 2


def test_gives_up_after_the_attempts():
    fn, calls = _verdicts([Exception("backoff", None)] * 10)
    with pytest.raises(UnreachableError):
        call_with_retry(
            fn, classify, network="x", policy=RetryPolicy(attempts=3), sleep=lambda s: None
        )
    assert len(calls) == 3


class Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


def test_bluesky_budget_hourly_and_daily_rolling():
    clock = Clock(NOW)
    budget = Budget("b", BLUESKY_WRITE_WINDOWS, MemoryLedger(), network="bluesky", clock=clock)
    for _ in range(8):
        budget.take(600)  # 8 batches of 200 creates = 4,800 points
    assert budget.available() == 200
    with pytest.raises(RateLimitedError) as err:
        budget.take(600)
    assert err.value.retry_at.timestamp() == pytest.approx(
        NOW + 3600
    )  # the first spend leaves the hour


def test_bluesky_daily_cap_holds_over_a_day_of_hourly_windows():
    clock = Clock(NOW)
    budget = Budget("d", BLUESKY_WRITE_WINDOWS, MemoryLedger(), network="bluesky", clock=clock)
    spent = 0
    while clock.t < NOW + 23 * 3600:
        try:
            budget.take(600)
            spent += 600
        except RateLimitedError as err:
            clock.t = err.retry_at.timestamp() + 1
    assert 34_000 <= spent <= 35_000  # the day's cap, reached through hourly windows


def test_margin_keeps_a_reserve():
    budget = Budget("m", [Window(1000, 3600)], network="bluesky", margin=0.2, clock=Clock(NOW))
    assert budget.available() == 800


def test_mastodon_follow_window_is_the_utc_day():
    day = 86_400
    start = (NOW // day) * day
    clock = Clock(start + 23 * 3600)  # 23:00 UTC
    budget = Budget("acct", MASTODON_FOLLOW_WINDOWS, network="mastodon", clock=clock)
    for _ in range(400):
        budget.take(1)
    with pytest.raises(RateLimitedError) as err:
        budget.take(1)
    assert err.value.retry_at.timestamp() == start + day  # midnight UTC, not 24 h later
    clock.t = start + day + 1
    budget.take(1)


def test_take_can_wait_when_asked():
    clock = Clock(NOW)
    budget = Budget("w", [Window(3, 60)], network="bluesky", clock=clock)
    budget.take(3)
    slept = []

    def sleep(s):
        slept.append(s)
        clock.t += s

    budget.take(3, wait=True, sleep=sleep)
    assert slept == [pytest.approx(60)]


def test_budget_spent_in_one_run_holds_in_the_next(tmp_path):
    """The ledger lives in the workspace: a second process sees what the first spent."""
    from portabilite.networks._ratelimit import bluesky_write_budget
    from portabilite.workspace import Workspace, WorkspaceLedger

    clock = Clock(NOW)
    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        budget = bluesky_write_budget("did:plc:x", WorkspaceLedger(ws), margin=0.1, clock=clock)
        for _ in range(7):
            budget.take(600)  # 4,200 of the 4,500 the margin allows
    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        budget = bluesky_write_budget("did:plc:x", WorkspaceLedger(ws), margin=0.1, clock=clock)
        assert budget.available() == 300
        with pytest.raises(RateLimitedError):
            budget.take(600)


def test_refund_gives_back_what_the_server_refused():
    clock = Clock(NOW)
    budget = Budget("r", MASTODON_FOLLOW_WINDOWS, network="mastodon", clock=clock)
    for _ in range(400):
        budget.take(1)
    budget.refund(1)  # the 400th follow was refused: Mastodon did not count it
    budget.take(1)
    with pytest.raises(RateLimitedError):
        budget.take(1)
