"""The declared network seams hold: the real clients and the shipped fakes both provide every
member of their Protocol, with the same parameters, so a fake cannot drift from its client."""

from __future__ import annotations

import inspect

import pytest

from portabilite.networks import BlueskyReader, BlueskyWriter, HostGuard, MastodonWriter
from portabilite.networks.bluesky import BlueskyClient
from portabilite.networks.mastodon import MastodonClient
from portabilite.testing import FakeBluesky, FakeMastodon


def real_bluesky():
    return BlueskyClient(guard=HostGuard(resolver=None))


def real_mastodon():
    return MastodonClient("https://home.example", guard=HostGuard(resolver=None))


CASES = [
    (BlueskyReader, real_bluesky, FakeBluesky),
    (BlueskyWriter, real_bluesky, FakeBluesky),
    (MastodonWriter, real_mastodon, FakeMastodon),
]


def members(protocol):
    names = set()
    for klass in protocol.__mro__:
        if klass in (object,) or klass.__name__ in ("Protocol", "Generic"):
            continue
        names |= {n for n in vars(klass) if not n.startswith("_")}
        names |= set(getattr(klass, "__annotations__", {}))
    return names


def accepts(declared, given, where):
    """``given`` can be called as ``declared`` says: every declared parameter is there, of
    the same kind, with a default where the declaration has one."""
    have = inspect.signature(given).parameters
    for name, param in inspect.signature(declared).parameters.items():
        if name == "self":
            continue
        assert name in have, f"{where}: no parameter {name!r}"
        assert have[name].kind == param.kind, f"{where}: {name!r} is {have[name].kind}"
        if param.default is not inspect.Parameter.empty:
            assert have[name].default is not inspect.Parameter.empty, f"{where}: {name!r}"


@pytest.mark.parametrize("protocol, make_real, make_fake", CASES)
def test_real_clients_and_fakes_provide_their_protocol(protocol, make_real, make_fake):
    real, fake = make_real(), make_fake()
    try:
        assert isinstance(real, protocol) and isinstance(fake, protocol)
        for name in sorted(members(protocol)):
            declared = getattr(protocol, name, None)
            for impl, label in ((real, "real"), (fake, "fake")):
                assert hasattr(impl, name), f"{label} {type(impl).__name__} lacks {name}"
                if callable(declared) and not isinstance(declared, property):
                    accepts(declared, getattr(type(impl), name), f"{label}.{name}")
    finally:
        real.close()


def test_the_check_is_not_vacuous():
    assert {"apply_writes", "follows", "budget", "did"} <= members(BlueskyWriter)
    assert {"follow", "relationships", "follow_budget", "local_domain"} <= members(MastodonWriter)

    class Drifted(FakeMastodon):
        def follow(self, account_id):  # the old fake's signature: no keywords
            return super().follow(account_id)

    with pytest.raises(AssertionError):
        accepts(MastodonWriter.follow, Drifted.follow, "drifted.follow")
