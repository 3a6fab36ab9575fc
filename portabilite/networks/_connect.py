"""Connections that go where the host guard looked, and answers of a bounded size.

The host guard checks a name by resolving it. Were the connection to resolve it again, a name
whose DNS answers change between the two (DNS rebinding: public for the check, 127.0.0.1 for
the connection) would reach a private address. So the transports built here resolve through
the guard once, at connection time, and connect to the very address it accepted; TLS still
checks the certificate against the name.

httpx has no resolver seam; httpcore's connection pool takes a *network backend* (its public
seam for how sockets are opened), so the transports are httpx's own with that one part
changed. Behind a proxy from the environment (``HTTPS_PROXY``...), the proxy connects, not us:
the transports step aside (``None``) so that httpx applies the environment as it always does,
and the guard still checks every name before a request is made.
"""

from __future__ import annotations

import typing
import urllib.request

import httpcore
import httpx

from ._hosts import HostGuard

__all__ = ["guarded_transport", "guarded_async_transport", "read_capped", "MAX_ANSWER_BYTES"]

#: No answer portabilite reads is near this (a page of 100 records, 25 profiles, a DID
#: document): a server sending more is refused, not buffered.
MAX_ANSWER_BYTES = 16 << 20


def _proxied() -> bool:
    proxies = urllib.request.getproxies()
    return any(scheme in proxies for scheme in ("http", "https", "all"))


class _PinnedBackend(httpcore.NetworkBackend):
    def __init__(self, guard: HostGuard) -> None:
        self._guard = guard
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._guard.addresses(host) or [host]
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - never asked
        raise httpcore.ConnectError("no Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PinnedAsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, guard: HostGuard) -> None:
        self._guard = guard
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        import anyio.to_thread

        addresses = await anyio.to_thread.run_sync(self._guard.addresses, host) or [host]
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover
        raise httpcore.ConnectError("no Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _pool_options() -> dict[str, typing.Any]:
    """What ``httpx.HTTPTransport()`` gives its pool, the network backend aside."""
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    return {
        "ssl_context": httpx.create_ssl_context(),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


def guarded_transport(guard: HostGuard) -> httpx.HTTPTransport | None:
    """httpx's transport, connecting only to addresses ``guard`` accepted (None behind a
    proxy from the environment: see the module's note)."""
    if _proxied():
        return None
    transport = httpx.HTTPTransport()
    # the one private attribute touched: httpx builds its pool without a backend option
    transport._pool = httpcore.ConnectionPool(
        network_backend=_PinnedBackend(guard), **_pool_options()
    )
    return transport


def guarded_async_transport(guard: HostGuard) -> httpx.AsyncHTTPTransport | None:
    """The same for ``httpx.AsyncClient``."""
    if _proxied():
        return None
    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(
        network_backend=_PinnedAsyncBackend(guard), **_pool_options()
    )
    return transport


class AnswerTooLarge(Exception):
    """The server sent more than the cap."""


def read_capped(
    client: httpx.Client, request: httpx.Request, max_bytes: int = MAX_ANSWER_BYTES
) -> httpx.Response:
    """Send ``request`` without following redirects and read at most ``max_bytes`` of the
    answer (``AnswerTooLarge`` beyond): a hostile server cannot fill the memory."""
    response = client.send(request, stream=True, follow_redirects=False)
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise AnswerTooLarge(request.url.host)
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise AnswerTooLarge(request.url.host)
    finally:
        response.close()
    headers = [
        (k, v)
        for k, v in response.headers.multi_items()
        if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=bytes(body),
        request=request,
        extensions=response.extensions,
    )
