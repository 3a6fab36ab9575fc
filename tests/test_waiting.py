"""Waits are said, not silent: what is waited for and when it ends (issue 13)."""

from __future__ import annotations

from portabilite._waiting import observed, wait
from portabilite.errors import NetworkError
from portabilite.networks._ratelimit import Decision, RetryPolicy, Verdict, call_with_retry


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, float, str, float]] = []
        self.ended = 0

    def begin(self, network: str, seconds: float, why: str, until: float) -> None:
        self.seen.append((network, seconds, why, until))

    def end(self) -> None:
        self.ended += 1


def test_a_wait_is_shown_to_the_observer_and_slept():
    slept: list[float] = []
    recorder = Recorder()
    wait("bluesky", 3.0, "pace", slept.append)  # nobody watching: just a sleep
    with observed(recorder):
        wait("mastodon", 90.0, "daily_cap", slept.append, clock=lambda: 1000.0)
    assert slept == [3.0, 90.0]
    assert recorder.seen == [("mastodon", 90.0, "daily_cap", 1090.0)] and recorder.ended == 1


def test_a_rate_limit_retry_says_it_waits_for_the_limit():
    calls = {"n": 0}

    def fn() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("429")
        return "ok"

    def classify(exc: BaseException) -> Verdict:
        error = NetworkError("network.rate_limited", network="bluesky", when="?")
        return Verdict(Decision.WAIT, error, wait=30.0)

    recorder = Recorder()
    with observed(recorder):
        result = call_with_retry(
            fn, classify, network="bluesky", policy=RetryPolicy(), sleep=lambda s: None
        )
    assert result == "ok"
    [(network, seconds, why, _until)] = recorder.seen
    assert network == "bluesky" and why == "rate_limit" and 30.0 <= seconds <= 31.0


def test_the_terminal_says_it_in_the_users_language_and_zone(monkeypatch):
    import time

    import portabilite.cli._root as root
    from portabilite.i18n import set_language

    printed: list[str] = []

    class Bars:  # a progress display on screen: the wait is a line above it
        class console:
            @staticmethod
            def print(text: str, **_: object) -> None:
                printed.append(text)

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    monkeypatch.setattr(root, "_live", [Bars()])
    set_language("fr")
    try:
        screen = root._WaitsOnScreen()
        # 2026-12-02 13:00 UTC, in 45 minutes
        screen.begin("bluesky", 45 * 60, "budget", 1796216400.0)
        screen.begin("bluesky", 4, "pace", 0.0)  # a pause between batches: the bars say it
        screen.end()
    finally:
        set_language(None)
        monkeypatch.delenv("TZ")
        time.tzset()
    assert printed == [
        "Bluesky\u00a0: le budget d'écritures est dépensé pour l'instant\u202f; "
        "reprise à 2026-12-02 14:00 CET (dans environ 45 minutes)…"
    ]
