"""Who may drive the page: whoever holds the token ``portabilite web`` printed, from this
machine, through the page itself.

- **The token.** A random 256-bit token is in the address the command prints and opens. The
  first request that carries it (``?token=``) gets it back as a cookie (HttpOnly,
  SameSite=Strict, named after the port so that two pages at once keep theirs) and is sent
  to the same address without it, so that it leaves the address bar and the history. Every
  other request must carry the cookie: another user of the machine, or a page of another
  site in the same browser, has neither. (Browsers send a cookie of 127.0.0.1 to every port
  of 127.0.0.1: a server another user runs there would receive it if the user opened that
  server's address themselves; SameSite=Strict keeps other sites from making the browser
  do it. The key changes with every ``portabilite web``.)
- **The host.** The server listens on 127.0.0.1 only, and answers only requests addressed to
  ``127.0.0.1:PORT`` or ``localhost:PORT`` (a DNS name pointed at 127.0.0.1 by a hostile site,
  "DNS rebinding", is refused).
- **Forms.** Every POST carries a CSRF field derived from the token (HMAC), and a browser's
  ``Origin`` / ``Sec-Fetch-Site`` must say the page itself sent it.
- **What the browser may do.** A strict Content-Security-Policy: scripts and styles from the
  page's own files only (no inline script), no frame, forms to the page only, images from the
  page (and, when the user allowed avatars, from the networks' servers over https).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Callable
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp as App
from starlette.types import Message, Receive, Scope, Send

__all__ = ["COOKIE", "Guard", "csp", "new_token"]

COOKIE = "portabilite"  # and the port: "portabilite-8123"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_of(token: str) -> str:
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()


def csp(avatars: bool = False, report: bool = False) -> str:
    """The Content-Security-Policy of a page (the report is one file: its styles inline)."""
    if report:
        return (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
    images = "'self' data: https:" if avatars else "'self' data:"
    connect = "'self' https:" if avatars else "'self'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src {connect}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookie(header: str, port: int) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == f"{COOKIE}-{port}":
            return value
    return None


def _same(given: str, token: str) -> bool:
    """A constant-time comparison that any text can be given to (compare_digest refuses
    non-ASCII text: anyone could have made the page fail with ?token=é)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode())


def _local_path(path: str) -> str:
    """A path of this page to send the browser to: never another host (``//evil.example``)."""
    from urllib.parse import quote

    return "/" + quote(path.lstrip("/\\"), safe="/-._~")


class Guard:
    """ASGI middleware: the token, the host, the origin of writes, the security headers."""

    def __init__(self, app: App, token: str, port: Callable[[], int]) -> None:
        self.app = app
        self.token = token
        self.port = port  # known once the server is bound (port 0: any free one)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        port = self.port()
        if headers.get("host") not in {f"127.0.0.1:{port}", f"localhost:{port}"}:
            await _refuse(send, 421, "web.refused_host")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.pop("token", None)
        if given is not None and _same(given, self.token):
            rest = urlencode(query)
            where = _local_path(scope["path"]) + (f"?{rest}" if rest else "")
            await _redirect(send, where, f"{COOKIE}-{port}", self.token)
            return
        cookie = _cookie(headers.get("cookie", ""), port)
        if cookie is None or not _same(cookie, self.token):
            await _refuse(send, 403, "web.refused_token")
            return
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            if (
                origin and origin not in {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
            ) or (site and site not in ("same-origin", "none")):
                await _refuse(send, 403, "web.refused_origin")
                return
        scope.setdefault("state", {})["csrf"] = csrf_of(self.token)
        await self.app(scope, receive, _with_headers(send))


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            for name, value in (
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"same-origin"),  # no-referrer would make Origin "null"
                (b"cache-control", b"no-store"),
                (b"cross-origin-opener-policy", b"same-origin"),
                (b"cross-origin-resource-policy", b"same-origin"),
                (b"content-security-policy", csp().encode()),
            ):
                if name not in names:
                    headers.append((name, value))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _redirect(send: Send, location: str, name: str, token: str) -> None:
    cookie = f"{name}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"cache-control", b"no-store"),
                (b"referrer-policy", b"same-origin"),  # no-referrer would make Origin "null"
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _refuse(send: Send, status: int, key: str) -> None:
    from ..i18n import t

    # both languages: the page does not know the reader yet
    body = f"{t(key, 'fr')}\n{t(key, 'en')}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
