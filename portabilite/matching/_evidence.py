"""Evidence, scores and decisions: why we believe an X account is a given Bluesky or Mastodon
account, in plain rules (docs/matching.md says the same in words).

* Each piece of evidence has a kind and a weight. Positive weights combine as independent
  clues (``1 - Π(1 - w)``): two weak clues are worth more than one, never more than certainty.
* ``confirmed`` (safe to follow without review) needs one STRONG piece of evidence (weight ≥
  0.8): the X id in a directory, a handle the person wrote in their own X profile, a profile
  pointing back to the X account's *current* handle, the same personal domain, a ``rel="me"``
  link from the X profile's website, or the person's proven account on the other network
  naming this one. Similar names, guessed handles and search hits can never confirm, however
  many. Evidence that went through a *stale* handle (one the X account no longer uses:
  someone else may hold it now) is at most medium.
* Scoring is monotonic: adding a positive clue never lowers the score nor the status. Penalties
  (a display name unlike the X one) lower the score of weak candidates only: strong evidence
  stays confirmed.
* ``conflict`` (the same account proven for two X ids, or two accounts proven for one X id on
  one network) caps a candidate at ``probable``: a person decides. ``outranked`` (a fourth
  candidate, or one beside a confirmed account) sends it to ``rejected``, out of the review.
* ``probable`` (shown for review): a score of at least 0.4, two weak clues together (a guessed
  handle and the same name; a back-link through a stale handle; a directory row by handle). A
  display name alone, even found by a search, is a coin flip between namesakes: it is shown
  only as an ``alternative`` beside a probable candidate for the same X account (0.3).
* ``rejected``: anything less, or any disqualifying evidence (an impersonation label, a
  deactivated, suspended or ``handle.invalid`` account, an opt-out from the bridge).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = [
    "Evidence",
    "KINDS",
    "STRONG",
    "score",
    "status_of",
    "CONFIRM_AT",
    "PROBABLE_AT",
    "ALTERNATIVE_AT",
    "STALE_KINDS",
    "RANK",
]

#: kind -> default weight. Negative weights at or below -1 disqualify.
KINDS: dict[str, float] = {
    # strong: each can confirm
    "user_accepted": 1.0,  # the person said so in review
    "directory_x_id": 1.0,  # a directory row keyed by the numeric X id
    # a directory server saw a post of the account's current handle on X with its code
    "directory_x_post": 0.9,
    "bio_handle": 0.9,  # the person wrote this account in their own X bio / name / website
    "back_link": 0.9,  # the profile points back to the X account's current handle
    "same_domain": 0.85,  # the X profile's website domain is this Bluesky handle or its DID
    "rel_me": 0.85,  # the X profile's website links this profile with rel="me"
    "cross_link": 0.85,  # the person's proven account on the other network names this one
    # medium
    "directory_x_handle": 0.6,  # a directory row keyed by the current X handle
    # a directory server's entry the person registered without proving the X side
    "directory_self_declared": 0.6,
    "directory_x_post_stale": 0.5,  # a server saw a post of a handle the account no longer uses
    "back_link_stale": 0.5,  # the profile names a handle this X account no longer uses
    "directory_x_handle_stale": 0.4,  # a directory row keyed by an old handle of the account
    # weak: never enough alone
    "handle_guess": 0.35,  # the handle derived from the X screen name exists (squatters!)
    "name_match": 0.3,  # the display names are alike (people share names)
    "handle_guess_stale": 0.2,  # guessed from a handle the X account no longer uses
    "search_hit": 0.1,  # found by a name search
    # leads: they say how an account was found; its own evidence (inherited) decides
    "moved_from": 0.0,  # a Mastodon account that moved here from a candidate: inherits its evidence
    "linked_from": 0.0,  # named by a candidate (not proven) account on the other network
    # caps: no weight, they bound the status
    "conflict": 0.0,  # proven for two X ids, or two proven accounts for one: a person decides
    "shared_account": 0.0,  # the same account proven for several X accounts
    "alternative": 0.0,  # weak alone, but shown beside the probable ones for the same X account
    "outranked": 0.0,  # a better candidate for the same X account on this network
    # disqualifying
    "user_rejected": -1.0,  # the person said no in review
    "impersonation_label": -1.0,
    "account_unavailable": -1.0,  # deactivated, suspended, taken down, handle.invalid
    "bridge_opt_out": -1.0,
    # a nudge down, for weak candidates only
    "name_mismatch": -0.25,  # the display name is nothing like the X one
}
#: evidence that went through a handle: kind -> its form through a stale handle
STALE_KINDS = {
    "back_link": "back_link_stale",
    "handle_guess": "handle_guess_stale",
    "directory_x_handle": "directory_x_handle_stale",
}
STRONG = 0.8
CONFIRM_AT = 0.8
PROBABLE_AT = 0.4
#: an alternative shown beside a probable candidate for the same X account
ALTERNATIVE_AT = 0.3
#: status order, for "never lower"
RANK = {"rejected": 0, "probable": 1, "confirmed": 2}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One clue. ``detail`` is a sentence in the current language, made from ``params``."""

    kind: str
    weight: float
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: str, **params: object) -> "Evidence":
        return cls(kind, KINDS[kind], tuple(sorted((k, str(v)) for k, v in params.items())))

    @classmethod
    def through(cls, kind: str, name: str, current: bool, **params: object) -> "Evidence":
        """Evidence that went through X handle ``name``: strong through the current handle,
        weaker through a stale one. The record says which handle, and whether it was current."""
        return cls.of(
            kind if current else STALE_KINDS[kind],
            name=name,
            current="yes" if current else "no",
            **params,
        )

    @property
    def strong(self) -> bool:
        return self.weight >= STRONG

    @property
    def detail(self) -> str:
        from .._catalog import MESSAGES
        from ..i18n import t

        params = dict(self.params)
        why = f"unavailable.{params.get('reason')}"
        if why in MESSAGES:  # a code, in words (older workspaces stored the English)
            params["reason"] = t(why, **params)
        try:
            return t(f"evidence.{self.kind}", **params)
        except (KeyError, IndexError):  # a record missing a parameter: still show the kind
            return self.kind

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "detail": self.detail,
            "weight": self.weight,
            "params": dict(self.params),
        }

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "weight": self.weight, "params": dict(self.params)}

    @classmethod
    def from_record(cls, value: dict[str, Any]) -> "Evidence":
        params = value.get("params") or {}
        return cls(
            str(value["kind"]),
            float(value["weight"]),
            tuple(sorted((str(k), str(v)) for k, v in params.items())),
        )


def score(evidence: Iterable[Evidence]) -> float:
    """0..1: positive clues combined as independent; penalties subtracted unless a strong
    clue is there (a different display name does not undo a proof)."""
    return status_of(evidence)[0]


def status_of(evidence: Iterable[Evidence]) -> tuple[float, str]:
    """(score, status): every candidate is judged here, so in one pass over its evidence."""
    missing = 1.0
    penalty = 0.0
    strong = disqualified = False
    kinds = set()
    for item in evidence:
        weight = item.weight
        kinds.add(item.kind)
        if weight > 0:
            missing *= 1 - min(weight, 1.0)
            strong = strong or weight >= STRONG
        elif weight > -1:
            penalty -= weight
        else:
            disqualified = True
    combined = 1 - missing
    if not strong:
        combined -= penalty
    value = round(max(0.0, min(1.0, combined)), 3)
    if disqualified or "outranked" in kinds:
        return value, "rejected"
    if strong:
        return value, "probable" if kinds & {"conflict", "shared_account"} else "confirmed"
    if value >= PROBABLE_AT or ("alternative" in kinds and value >= ALTERNATIVE_AT):
        return value, "probable"
    return value, "rejected"
