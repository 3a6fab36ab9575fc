"""What the engine, the matcher and the poster need from a network, declared.

The real clients (``BlueskyClient``, ``MastodonClient``) provide these, and so do the fakes in
``portabilite.testing``; a test holds all three together (names and parameters), so a fake
cannot drift from the client it stands for. Code that takes a client is typed with these, not
with the concrete class: another tool can hand in its own.

``budget`` (Bluesky) and ``follow_budget`` / ``request_budget`` (Mastodon) are the write budgets
the client spends before each write; the engine gives one (kept in the workspace's ledger)
when the client was built without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Protocol, Sequence, runtime_checkable

if TYPE_CHECKING:
    from ._ratelimit import Budget

__all__ = ["BlueskyReader", "BlueskyWriter", "MastodonWriter"]


@runtime_checkable
class BlueskyReader(Protocol):
    """Profiles and search on an AppView (no login needed): what the matcher reads."""

    def get_profiles(self, actors: Sequence[str]) -> list[Any]: ...

    def search_actors(self, query: str, limit: int = 25) -> list[Any]: ...

    def close(self) -> None: ...


@runtime_checkable
class BlueskyWriter(BlueskyReader, Protocol):
    """A logged-in account's repository: what the follow engine and the poster write."""

    budget: Budget | None

    @property
    def did(self) -> str | None: ...

    def now_iso(self) -> str: ...

    def follows(self) -> list[Any]: ...

    def list_records(self, collection: str, repo: str | None = None) -> Iterator[Any]: ...

    def apply_writes(
        self, writes: Iterable[dict[str, Any]], *, wait_for_budget: bool = False
    ) -> list[dict[str, Any]]: ...

    def mute(self, actor: str) -> None: ...


@runtime_checkable
class MastodonWriter(Protocol):
    """The user's account on their instance: what the follow engine needs."""

    follow_budget: Budget | None
    request_budget: Budget | None
    local_domain: str

    def me(self) -> Any: ...

    def resolve_account(self, address: str) -> Any | None: ...

    def relationships(self, accounts: Iterable[Any]) -> list[Any]: ...

    def follow(self, account: Any, *, reblogs: bool = True, notify: bool = False) -> Any: ...

    def unfollow(self, account: Any) -> Any: ...

    def block(self, account: Any) -> Any: ...

    def mute(self, account: Any, *, notifications: bool = True) -> Any: ...

    def iter_following(self, account: Any = None) -> Iterator[Any]: ...

    def lists(self) -> list[Any]: ...

    def create_list(self, title: str) -> Any: ...

    def add_to_list(self, list_id: Any, accounts: Iterable[Any]) -> None: ...

    def iter_list_accounts(self, list_id: Any) -> Iterator[Any]: ...

    def close(self) -> None: ...
