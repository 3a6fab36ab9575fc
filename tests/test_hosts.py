"""The host guard: hosts from other people's bios never reach private addresses."""
from __future__ import annotations

import pytest

from portabilite.errors import BlockedHostError
from portabilite.networks import HostGuard

PUBLIC = lambda host: ["93.184.215.14"]  # noqa: E731


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/.well-known/webfinger", "http://[::1]:8080/", "https://10.1.2.3/",
    "https://localhost/", "https://printer.local/", "https://metadata.internal/",
    "https://169.254.169.254/latest/meta-data", "https://intranet/",
])
def test_literal_and_local_hosts_are_refused(url):
    with pytest.raises(BlockedHostError):
        HostGuard(resolver=PUBLIC).check(url)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "192.168.1.1", "172.20.0.1",
                                     "169.254.1.1", "::1", "fd00::1", "::ffff:10.0.0.1", "224.0.0.1"])
def test_names_resolving_to_private_addresses_are_refused(address):
    with pytest.raises(BlockedHostError, match="private address"):
        HostGuard(resolver=lambda h: ["93.184.215.14", address]).check("https://rebind.example/")


def test_public_hosts_and_explicit_configuration_pass():
    assert HostGuard(resolver=PUBLIC).check("https://mastodon.example/@me") == "mastodon.example"
    guard = HostGuard(["http://localhost:3000", "127.0.0.1"], resolver=PUBLIC)
    assert guard.check("http://localhost:3000/api/v1/instance") == "localhost"
    assert guard.check("http://127.0.0.1:2583/xrpc") == "127.0.0.1"
    guard.allow("me@my.lan")
    assert guard.check("https://my.lan/") == "my.lan"


def test_message_is_bilingual_and_names_the_host():
    with pytest.raises(BlockedHostError) as err:
        HostGuard(resolver=PUBLIC).check("https://192.168.0.10/")
    assert "192.168.0.10" in err.value.message("en") and "192.168.0.10" in err.value.message("fr")


def test_a_host_that_does_not_resolve_is_refused_not_waved_through():
    with pytest.raises(BlockedHostError) as err:
        HostGuard(resolver=lambda host: []).check("https://nowhere.example/")
    assert "does not resolve" in str(err.value)
