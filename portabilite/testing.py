"""Fakes of the network clients, for tests of code that uses portabilite (ours included).

``FakeBluesky`` is an account's repository in memory (``BlueskyWriter``); ``FakeMastodon`` an
account on an instance (``MastodonWriter``). They keep what a real server keeps (records, follows,
lists) and can be told to fail the way real servers do, for fault injection::

    from portabilite.testing import FakeBluesky

    pds = FakeBluesky()
    pds.lose_answer_of_call = 1     # the first write lands, its answer is lost
    apply_bluesky(ws, plan, pds, daily_cap=1000)

They are not servers: the real clients are tested against the real local Bluesky network and
recorded Mastodon answers. ``tests/test_protocols.py`` holds each fake, its Protocol and the real
client together, so they cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .errors import AccountUnavailableError, RateLimitedError, RefusedError, UnreachableError
from .networks.bluesky import Profile, Record
from .networks.mastodon import MastodonAccount, MastodonList, Relationship

if TYPE_CHECKING:
    from .networks import Budget

__all__ = ["FakeBluesky", "FakeMastodon"]


class FakeBluesky:
    """A logged-in Bluesky account's repository, in memory.

    Faults: ``lose_answer_of_call`` (that applyWrites call lands, then its answer is lost:
    ``UnreachableError``), ``bad_subject`` (a call holding a record for it is refused whole, as
    applyWrites is atomic), ``rate_limit_call`` (that call gets a 429 before writing)."""

    did = "did:plc:ownerownerownerownerowne"
    handle = "owner.bsky.social"

    def __init__(self, profiles: Sequence[Profile] = ()) -> None:
        self.budget: Budget | None = None
        self.records: dict[str, dict[str, dict[str, Any]]] = {}  # collection -> rkey -> value
        self.profiles = {p.did: p for p in profiles}
        self.muted: list[str] = []
        self.calls = 0
        self.lose_answer_of_call: int | None = None
        self.bad_subject: str | None = None
        self.rate_limit_call: int | None = None

    @staticmethod
    def sleep(seconds: float) -> None:
        pass

    @staticmethod
    def now_iso() -> str:
        return "2026-11-22T10:00:00.000Z"

    # -- reads ----------------------------------------------------------------------------------
    def get_profiles(self, actors: Sequence[str]) -> list[Profile]:
        by_handle = {p.handle.lower(): p for p in self.profiles.values()}
        found = [self.profiles.get(a) or by_handle.get(a.lower()) for a in actors]
        return [p for p in found if p is not None]

    def search_actors(self, query: str, limit: int = 25) -> list[Profile]:
        words = query.lower()
        hits = [
            p
            for p in self.profiles.values()
            if words in p.handle.lower() or words in (p.display_name or "").lower()
        ]
        return hits[:limit]

    def list_records(self, collection: str, repo: str | None = None) -> Iterator[Record]:
        for rkey, value in sorted(self.records.get(collection, {}).items()):
            yield Record(uri=f"at://{self.did}/{collection}/{rkey}", cid=None, value=value)

    def follows(self) -> list[Record]:
        return list(self.list_records("app.bsky.graph.follow"))

    @property
    def follow_subjects(self) -> dict[str, str]:
        """rkey -> the followed DID: what a test usually checks."""
        return {k: v["subject"] for k, v in self.records.get("app.bsky.graph.follow", {}).items()}

    # -- writes ---------------------------------------------------------------------------------
    def apply_writes(
        self, writes: Iterable[dict[str, Any]], *, wait_for_budget: bool = False
    ) -> list[dict[str, Any]]:
        writes = list(writes)
        self.calls += 1
        if self.calls == self.rate_limit_call:
            raise RateLimitedError("network.rate_limited", network="bluesky")
        if any((w.get("value") or {}).get("subject") == self.bad_subject for w in writes):
            raise RefusedError(
                "network.refused",
                network="bluesky",
                status=400,
                reason="InvalidRequest: bad subject",
            )
        for w in writes:
            held = self.records.setdefault(w["collection"], {})
            if w["action"] == "delete":
                held.pop(w["rkey"], None)
            else:
                held[w["rkey"]] = w["value"]
        if self.calls == self.lose_answer_of_call:
            raise UnreachableError(
                "network.unreachable", network="bluesky", host="pds", reason="lost"
            )
        return [
            {"uri": f"at://{self.did}/{w['collection']}/{w['rkey']}", "cid": None}
            for w in writes
            if w["action"] != "delete"
        ]

    def mute(self, actor: str) -> None:
        self.muted.append(actor)

    def close(self) -> None:
        pass


class FakeMastodon:
    """A Mastodon account on its instance, in memory. ``resolve_account`` finds every address
    but those in ``unknown`` (give a set of address prefixes); ``fail_at`` (a local id) is
    refused as suspended; ``limit_at`` (a count of follows) ends in a spent budget."""

    local_domain = "home.example"

    def __init__(
        self,
        *,
        fail_at: str | None = None,
        limit_at: int | None = None,
        unknown: Iterable[str] = ("univ",),
    ) -> None:
        self.follow_budget: Budget | None = None
        self.request_budget: Budget | None = None
        self.fail_at, self.limit_at = fail_at, limit_at
        self.unknown = tuple(unknown)
        self.followed: list[str] = []
        self.blocked: list[str] = []
        self.muted: list[str] = []
        self.made: list[str] = []
        self.members: dict[str, list[str]] = {}

    def me(self) -> MastodonAccount:
        return MastodonAccount(id="me", acct="me", username="me")

    def resolve_account(self, address: str) -> MastodonAccount | None:
        if address.startswith(self.unknown):
            return None
        return MastodonAccount(id=f"id-{address}", acct=address, username="u")

    def relationships(self, accounts: Iterable[Any]) -> list[Relationship]:
        return [
            Relationship(
                id=i,
                following=i in self.followed,
                blocking=i in self.blocked,
                muting=i in self.muted,
            )
            for i in accounts
        ]

    def follow(self, account: Any, *, reblogs: bool = True, notify: bool = False) -> Relationship:
        if self.limit_at is not None and len(self.followed) == self.limit_at:
            raise RateLimitedError("network.budget_spent", network="mastodon")
        if account == self.fail_at:
            raise AccountUnavailableError(
                "network.account_unavailable",
                network="mastodon",
                account=account,
                reason="suspended",
            )
        self.followed.append(account)
        return Relationship(id=account, following=True)

    def unfollow(self, account: Any) -> Relationship:
        self.followed.remove(account)
        return Relationship(id=account, following=False)

    def block(self, account: Any) -> Relationship:
        self.blocked.append(account)
        return Relationship(id=account, blocking=True)

    def mute(self, account: Any, *, notifications: bool = True) -> Relationship:
        self.muted.append(account)
        return Relationship(id=account, muting=True)

    def iter_following(self, account: Any = None) -> Iterator[MastodonAccount]:
        for local_id in list(self.followed):
            address = local_id.removeprefix("id-")
            yield MastodonAccount(id=local_id, acct=address, username="u")

    def lists(self) -> list[MastodonList]:
        return [MastodonList(id=f"L{i}", title=t) for i, t in enumerate(self.made)]

    def create_list(self, title: str) -> MastodonList:
        self.made.append(title)
        return MastodonList(id=f"L{len(self.made) - 1}", title=title)

    def add_to_list(self, list_id: Any, accounts: Iterable[Any]) -> None:
        self.members.setdefault(str(list_id), []).extend(accounts)

    def iter_list_accounts(self, list_id: Any) -> Iterator[MastodonAccount]:
        for local_id in self.members.get(str(list_id), []):
            yield MastodonAccount(id=local_id, acct=local_id.removeprefix("id-"), username="u")

    def close(self) -> None:
        pass
