"""Evidence, scores and decisions: why we believe an X account is a given Bluesky or Mastodon
account, in plain rules (docs/matching.md says the same in words).

* Each piece of evidence has a kind and a weight. Positive weights combine as independent
  clues (``1 - Π(1 - w)``): two weak clues are worth more than one, never more than certainty.
* ``confirmed`` (safe to follow without review) needs at least one STRONG piece of evidence
  (weight ≥ 0.8: the X id in a directory, a back-link from the profile to the X account, a
  handle the person wrote in their own X bio, the same personal domain on both sides) and a
  score of at least 0.8. Similar names alone, or a guessed handle alone, can never confirm.
* ``probable`` (shown for review): a score of at least 0.3.
* ``rejected``: anything less, or any disqualifying evidence (an impersonation label, a
  deactivated, suspended or ``handle.invalid`` account, an opt-out from the bridge).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["Evidence", "KINDS", "STRONG", "score", "status_of", "CONFIRM_AT", "PROBABLE_AT"]

#: kind -> default weight. Negative weights at or below -1 disqualify.
KINDS: dict[str, float] = {
    # strong: each can confirm
    "directory_x_id": 1.0,  # a directory row keyed by the numeric X id
    "bio_handle": 0.9,  # the person wrote this account in their own X bio / name / website
    "back_link": 0.9,  # the profile points back to the X account (x.com/handle, "@handle on X")
    "same_domain": 0.85,  # the Bluesky handle is the personal domain of the X profile
    # medium
    "directory_x_handle": 0.6,  # a directory row keyed by the X handle (handles get reused)
    "moved_from": 0.5,  # a Mastodon account that moved here from a matched one
    # weak: never enough alone
    "handle_guess": 0.35,  # the Bluesky handle derived from the X screen name exists (squatters!)
    "name_match": 0.3,  # the display names are the same (people share names)
    "search_hit": 0.1,  # found by a name search
    # disqualifying
    "impersonation_label": -1.0,
    "account_unavailable": -1.0,  # deactivated, suspended, taken down, handle.invalid
    "bridge_opt_out": -1.0,
    # a nudge down
    "name_mismatch": -0.25,  # a guessed handle whose display name is nothing like the X one
}
STRONG = 0.8
CONFIRM_AT = 0.8
PROBABLE_AT = 0.3


@dataclass(frozen=True)
class Evidence:
    """One clue. ``detail`` is a sentence in the current language, made from ``params``."""

    kind: str
    weight: float
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: str, **params: object) -> "Evidence":
        return cls(kind, KINDS[kind], tuple(sorted((k, str(v)) for k, v in params.items())))

    @property
    def detail(self) -> str:
        from ..i18n import t

        try:
            return t(f"evidence.{self.kind}", **dict(self.params))
        except (KeyError, IndexError):  # a record missing a parameter: still show the kind
            return self.kind

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "weight": self.weight,
                "params": dict(self.params)}

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "weight": self.weight, "params": dict(self.params)}

    @classmethod
    def from_record(cls, value: dict[str, Any]) -> "Evidence":
        params = value.get("params") or {}
        return cls(str(value["kind"]), float(value["weight"]),
                   tuple(sorted((str(k), str(v)) for k, v in params.items())))


def score(evidence: Iterable[Evidence]) -> float:
    """0..1: positive clues combined as independent, negatives subtracted."""
    missing = 1.0
    penalty = 0.0
    for item in evidence:
        if item.weight > 0:
            missing *= 1 - min(item.weight, 1.0)
        else:
            penalty += -item.weight
    return round(max(0.0, min(1.0, (1 - missing) - penalty)), 3)


def status_of(evidence: Iterable[Evidence]) -> tuple[float, str]:
    items = list(evidence)
    value = score(items)
    if any(e.weight <= -1 for e in items):
        return value, "rejected"
    if value >= CONFIRM_AT and any(e.weight >= STRONG for e in items):
        return value, "confirmed"
    if value >= PROBABLE_AT:
        return value, "probable"
    return value, "rejected"
