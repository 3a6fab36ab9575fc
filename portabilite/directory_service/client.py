"""A directory server, from a workspace: look the accounts up by range (``look_up``), and
register or remove the user's own entry (``register``, ``unregister``).

What is sent: hash prefixes for look-ups (``_protocol``); for a registration, the user's own X
id and handle and the new accounts they name. Answers are verified before anything is kept:
every entry must be signed by the server's key, pinned at the first look-up (a server that
changes key is refused until the user adds it again)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import httpx
import orjson

from .._time import now_iso, parse_any
from ..errors import DirectoryError
from ..workspace import Workspace
from ._protocol import PREFIX_HEX, RECORD_COLLECTION, WELL_KNOWN, verify, x_hash

__all__ = [
    "LOOKUP_DAYS",
    "ServiceClient",
    "look_up",
    "look_up_all",
    "register",
    "servers",
    "unregister",
]

#: a server's answer is asked again after a week: people keep arriving
LOOKUP_DAYS = 7


class ServiceClient:
    """The HTTP calls to one directory server. Its refusals become ``DirectoryError`` with the
    server's message key, shown in the reader's language."""

    def __init__(
        self, url: str, *, transport: httpx.BaseTransport | None = None, timeout: float = 60.0
    ) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, transport=transport, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        from .._reasons import because

        try:
            answer = self.http.request(
                method,
                path,
                content=None if body is None else orjson.dumps(body),
                headers={"content-type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise DirectoryError(
                "service.unreachable", server=self.url, reason=because(exc)
            ) from None
        try:
            value = orjson.loads(answer.content)
        except orjson.JSONDecodeError:
            value = None
        if answer.status_code >= 400:
            if isinstance(value, dict) and str(value.get("error", "")).startswith("service."):
                raise DirectoryError(str(value["error"]), **dict(value.get("params") or {}))
            raise DirectoryError(
                "service.refused", server=self.url, reason=f"HTTP {answer.status_code}"
            )
        if value is None:
            raise DirectoryError("service.refused", server=self.url, reason="not JSON")
        return value

    def info(self) -> dict[str, Any]:
        return dict(self._call("GET", WELL_KNOWN))

    def start(self, **claim: Any) -> dict[str, Any]:
        return dict(self._call("POST", "/v1/claims", claim))

    def settle(self, claim_id: str, x_post_url: str | None = None) -> dict[str, Any]:
        body = {"x_post_url": x_post_url} if x_post_url else {}
        return dict(self._call("POST", f"/v1/claims/{claim_id}", body))

    def ranges(self, prefixes: list[str]) -> dict[str, Any]:
        return dict(self._call("POST", "/v1/ranges", {"prefixes": prefixes}))

    def export(self) -> Iterator[dict[str, Any]]:
        """The server's export: its head first, then each signed entry and tombstone."""
        with self.http.stream("GET", "/v1/export") as answer:
            for line in answer.iter_lines():
                if line.strip():
                    yield orjson.loads(line)


def _source(url: str) -> str:
    return "server:" + (urlsplit(url).netloc or url)


def servers(ws: Workspace) -> list[str]:
    """The directory servers this workspace looks up (``match --directory-server``)."""
    return [url for (url,) in ws.conn.execute("SELECT url FROM directory_server ORDER BY url")]


def look_up(
    ws: Workspace,
    url: str,
    *,
    refresh: bool = False,
    transport: httpx.BaseTransport | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Ask ``url`` for the entries of every account followed and following (by range), keep
    those signed by its key in the workspace's directory (in place of its earlier answer:
    what was deleted there goes here too). Asked again after ``LOOKUP_DAYS`` or with
    ``refresh``. Returns ``entries`` (kept), ``ranges`` (asked) and ``skipped``."""
    now = now or datetime.now(timezone.utc)
    url = url.rstrip("/")
    known = ws.conn.execute(
        "SELECT public_key, looked_up_at FROM directory_server WHERE url = ?", (url,)
    ).fetchone()
    if known and known[1] and not refresh:
        seen = parse_any(known[1])
        if seen is not None and now - seen < timedelta(days=LOOKUP_DAYS):
            return {"server": url, "skipped": True, "entries": None, "ranges": 0}
    ids = {
        x_id
        for (x_id,) in ws.conn.execute(
            "SELECT DISTINCT x_id FROM relation WHERE kind IN ('following', 'follower')"
            " AND removed_import IS NULL"
        )
    }
    prefixes = sorted({x_hash(x_id)[:PREFIX_HEX] for x_id in ids})
    rows: list[tuple[str, str | None, str, str, str, str]] = []
    with ServiceClient(url, transport=transport) as server:
        info = server.info()
        key = str(info.get("public_key") or "")
        if known and known[0] != key:
            raise DirectoryError("service.key_changed", server=url)
        # entries copied from the servers it mirrors keep their own servers' signatures
        trusted = {key} | {
            str(m.get("public_key")) for m in info.get("mirrors") or [] if isinstance(m, dict)
        }
        per_request = int(info.get("max_prefixes") or 1024)
        for start in range(0, len(prefixes), per_request):
            answer = server.ranges(prefixes[start : start + per_request])
            for entry in answer.get("entries") or []:
                if not isinstance(entry, dict) or entry.get("x_id") not in ids:
                    continue  # another account of the same range: not ours to know
                signer = str(entry.get("signed_by"))
                if signer not in trusted or not verify(signer, entry):
                    raise DirectoryError("service.bad_signature", server=url)
                rows.extend(_rows(entry))
    with ws.transaction() as db:
        db.execute(
            "INSERT INTO directory_server (url, public_key, added_at, looked_up_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET looked_up_at ="
            " excluded.looked_up_at",
            (url, key, now_iso(), now_iso()),
        )
    from ..matching._directory import replace_source

    replace_source(ws, _source(url), rows)
    return {"server": url, "skipped": False, "entries": len(rows), "ranges": len(prefixes)}


def look_up_all(ws: Workspace, urls: list[str], **options: Any) -> list[dict[str, Any]]:
    """``look_up`` each of ``urls`` and of the servers the workspace already lists."""
    wanted = list(dict.fromkeys([u.rstrip("/") for u in urls] + servers(ws)))
    return [look_up(ws, url, **options) for url in wanted]


def _rows(entry: dict[str, Any]) -> list[tuple[str, str | None, str, str, str, str]]:
    """The workspace's directory rows of one verified entry (one per new account)."""
    dated = str(entry.get("updated_at") or "")[:10]
    proof = str(entry.get("x_proof") or "self")
    handle = entry.get("x_handle")
    rows = []
    bluesky = entry.get("bluesky") or {}
    if isinstance(bluesky, dict) and bluesky.get("did"):
        rows.append((entry["x_id"], handle, "bluesky", str(bluesky["did"]), dated, proof))
    if entry.get("mastodon"):
        rows.append((entry["x_id"], handle, "mastodon", str(entry["mastodon"]), dated, proof))
    return rows


# -- the user's own entry ----------------------------------------------------------------------


def _prove(
    claim: dict[str, Any],
    bluesky: Any | None,
    mastodon_ready: Callable[[str], None] | None,
) -> None:
    """Put the proofs where the server will read them: the Bluesky record (written with the
    user's session), and the Mastodon code (the user puts it in a profile field)."""
    if claim.get("bluesky") and bluesky is not None:
        record = claim["record"]
        bluesky.apply_writes(
            [
                {
                    "action": "create",
                    "collection": RECORD_COLLECTION,
                    "rkey": record["rkey"],
                    "value": record["value"],
                }
            ]
        )
    if claim.get("mastodon") and mastodon_ready is not None:
        mastodon_ready(claim["code"])


def register(
    ws: Workspace,
    url: str,
    *,
    bluesky: Any | None = None,
    mastodon: str | None = None,
    mastodon_ready: Callable[[str], None] | None = None,
    x_post: Callable[[str], str | None] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """Register the archive's X account on ``url``: with ``bluesky`` (a logged-in client) its
    account, proven by a record written in the user's repository; with ``mastodon`` (an
    address) that account, proven by the code the user puts in a profile field
    (``mastodon_ready(code)`` returns once it is there); ``x_post(code)`` returns the address
    of a public post on X holding the code, or None (the entry is then self-declared).
    Returns the entry the server signed."""
    account = ws.account()
    if account is None:
        from ..errors import NoArchiveImportedError

        raise NoArchiveImportedError("workspace.nothing_imported", path=str(ws.path))
    with ServiceClient(url, transport=transport) as server:
        claim = server.start(
            action="register",
            x_id=account["id"],
            x_handle=account["username"],
            bluesky=(bluesky.did if bluesky is not None else None),
            mastodon=mastodon,
        )
        _prove(claim, bluesky, mastodon_ready if mastodon else None)
        return server.settle(claim["claim"], x_post(claim["code"]) if x_post else None)


def unregister(
    ws: Workspace,
    url: str,
    *,
    bluesky: Any | None = None,
    mastodon_ready: Callable[[str], None] | None = None,
    x_post: Callable[[str], str | None] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """Delete the archive's X account's entry from ``url`` for good (the server keeps a
    signed tombstone so that mirrors drop it too), proven like a registration by one of the
    entry's accounts. Returns the tombstone."""
    account = ws.account()
    if account is None:
        from ..errors import NoArchiveImportedError

        raise NoArchiveImportedError("workspace.nothing_imported", path=str(ws.path))
    with ServiceClient(url, transport=transport) as server:
        claim = server.start(action="delete", x_id=account["id"])
        mine = bluesky is not None and claim.get("bluesky") == bluesky.did
        _prove(claim, bluesky if mine else None, mastodon_ready)
        return server.settle(claim["claim"], x_post(claim["code"]) if x_post else None)
