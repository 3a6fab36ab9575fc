"""The host guard: hosts from other people's bios never reach private addresses."""

from __future__ import annotations

import pytest

from portabilite.errors import BlockedHostError
from portabilite.networks import HostGuard

PUBLIC = lambda host: ["93.184.215.14"]  # noqa: E731


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/.well-known/webfinger",
        "http://[::1]:8080/",
        "https://10.1.2.3/",
        "https://localhost/",
        "https://printer.local/",
        "https://metadata.internal/",
        "https://169.254.169.254/latest/meta-data",
        "https://intranet/",
    ],
)
def test_literal_and_local_hosts_are_refused(url):
    with pytest.raises(BlockedHostError):
        HostGuard(resolver=PUBLIC).check(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.8",
        "192.168.1.1",
        "172.20.0.1",
        "169.254.1.1",
        "::1",
        "fd00::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
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


# -- DNS rebinding: the connection goes to the address the guard checked ----------------------


@pytest.fixture
def listener():
    """A local TCP server that counts the connections it gets (the private service a
    rebinding name would point to)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    got = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            got.append(1)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], got
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def rebinding_dns(monkeypatch):
    """``rebind.example`` resolves to a public address once, then to 127.0.0.1: what a hostile
    name server with a zero TTL does between a check and a connection."""
    import socket

    real = socket.getaddrinfo
    answers = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        address = "93.184.215.14" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_a_rebinding_name_never_reaches_the_private_address(listener, rebinding_dns):
    import httpx

    from portabilite.networks._connect import guarded_transport

    port, got = listener
    guard = HostGuard()
    url = f"http://rebind.example:{port}/"
    guard.check(url)  # the check sees the public address
    with httpx.Client(transport=guarded_transport(guard)) as client:
        with pytest.raises(BlockedHostError, match="127.0.0.1"):
            client.get(url)  # the connection resolves through the guard, which refuses
    assert got == []  # nothing reached the local service


def test_webfinger_look_ups_connect_to_the_checked_address(listener, rebinding_dns):
    import asyncio

    import httpx

    from portabilite.networks._connect import guarded_async_transport
    from portabilite.networks._web import guarded_get

    port, got = listener
    guard = HostGuard()

    async def run():
        async with httpx.AsyncClient(transport=guarded_async_transport(guard)) as client:
            return await guarded_get(
                client,
                f"https://rebind.example:{port}/.well-known/webfinger",
                guard=guard,
                accept="application/json",
                timeout=2,
                max_body=1000,
            )

    with pytest.raises(BlockedHostError, match="127.0.0.1"):
        asyncio.run(run())
    assert got == [] and rebinding_dns == ["93.184.215.14", "127.0.0.1"]


def test_the_pinned_transport_connects_to_the_checked_address(listener, monkeypatch):
    """A name that stays public is connected to at the address the guard returned, never
    resolved a second time (here: the guard's own resolver says 127.0.0.1 is the checked
    address of an explicitly trusted test name, and the system's DNS knows nothing of it)."""
    import httpx

    from portabilite.networks import _connect

    port, got = listener
    guard = HostGuard(resolver=lambda host: ["93.184.215.14"])
    seen = []

    class Recording(_connect.httpcore.SyncBackend):
        def connect_tcp(self, host, port, *args, **kwargs):
            seen.append(host)
            return super().connect_tcp("127.0.0.1", port, *args, **kwargs)

    transport = _connect.guarded_transport(guard)
    transport._pool._network_backend._inner = Recording()
    with httpx.Client(transport=transport) as client, pytest.raises(httpx.HTTPError):
        client.get(f"http://public.example:{port}/")  # our listener closes at once
    assert seen == ["93.184.215.14"] and got == [1]
