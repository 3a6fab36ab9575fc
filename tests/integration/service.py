"""Helpers for the directory-service tests: a database of its own on the local network's
PostgreSQL server, servers on threads, and the peers the server reads proofs from (a Mastodon
server answering with recorded real bodies, and an oEmbed endpoint shaped like X's)."""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
from pathlib import Path
from typing import Any, Iterator

import orjson
import yaml

SHARED = Path(__file__).resolve().parents[3] / "shared"


@contextlib.contextmanager
def database(devnet) -> Iterator[str]:
    """A new, empty database on the local network's PostgreSQL; dropped afterwards."""
    import psycopg

    admin = devnet.postgres_url
    name = "dir_" + secrets.token_hex(6)
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Served:
    """An ASGI application served by uvicorn on 127.0.0.1, on a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]})

    def __enter__(self) -> Served:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            threading.Event().wait(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def _recorded(name: str, uri_part: str) -> dict[str, Any]:
    """A real Mastodon 4.6.4 answer body from ../shared/real-servers."""
    path = SHARED / "real-servers" / "mastodon-4.6.4" / f"{name}.yaml"
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        if uri_part in interaction["request"]["uri"]:
            return orjson.loads(interaction["response"]["body"]["string"])
    raise LookupError(uri_part)


def mastodon_app(profile_field: Any = lambda: None, post: Any = lambda: None) -> Any:
    """A Mastodon server that answers for ``mastodonpy_test`` with the recorded real account
    (with a profile field holding ``profile_field()`` when it gives one) and its recorded
    public post (with ``post()`` as its content when it gives one): read at each request, as
    the person edits their profile."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    recorded = _recorded("test_account_lookup", "acct=mastodonpy_test")
    status = _recorded("test_status_post_public", "/api/v1/statuses")

    def lookup(request):
        if request.query_params.get("acct") != recorded["username"]:
            return JSONResponse({"error": "Record not found"}, 404)
        field = profile_field()
        extra = [{"name": "portabilite", "value": field, "verified_at": None}] if field else []
        return JSONResponse({**recorded, "fields": [*recorded.get("fields", []), *extra]})

    def statuses(request):
        text = post()
        return JSONResponse([{**status, "content": f"<p>{text}</p>"}] if text else [])

    return Starlette(
        routes=[
            Route("/api/v1/accounts/lookup", lookup),
            Route("/api/v1/accounts/{id}/statuses", statuses),
        ]
    )


def oembed_app(posts: dict[str, tuple[str, str]]) -> Any:
    """An oEmbed endpoint shaped like X's (publish.twitter.com/oembed): ``posts`` maps a post
    address to (its author's handle, its text)."""
    from html import escape

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    def oembed(request):
        url = request.query_params.get("url", "")
        if url not in posts:
            return JSONResponse({"error": "not found"}, 404)
        handle, text = posts[url]
        return JSONResponse(
            {
                "url": url,
                "author_name": handle,
                "author_url": f"https://twitter.com/{handle}",
                "html": f'<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">{escape(text)}</p>'
                f'&mdash; {handle} (@{handle}) <a href="{escape(url)}">December 2, 2026</a>'
                "</blockquote>\n",
                "width": 550,
                "height": None,
                "type": "rich",
                "cache_age": "3153600000",
                "provider_name": "Twitter",
                "provider_url": "https://twitter.com",
                "version": "1.0",
            }
        )

    return Starlette(routes=[Route("/oembed", oembed)])
