"""The directory server's HTTP interface (Starlette): registration with proofs, private
look-ups by range, the signed export. Every handler is a plain function (Starlette runs it in
its thread pool): PostgreSQL and the proofs' reads block."""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from typing import Any, Iterator

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import DirectoryError, PortabiliteError
from ._db import Store
from ._proofs import Checker
from ._protocol import (
    PREFIX_HEX,
    RECORD_COLLECTION,
    WELL_KNOWN,
    prefix_of,
    public_key_text,
    sign,
)

__all__ = ["create_app", "MAX_PREFIXES"]

MAX_PREFIXES = 4096  # ranges per look-up request
_RANK = {"self": 1, "post": 2, "oauth": 3}
_PREFIX = re.compile(rf"[0-9a-f]{{{PREFIX_HEX}}}")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


def _now() -> str:
    from .._time import now_iso

    return now_iso()


class RateLimit:
    """A token bucket per client address: ``rate`` a second, ``burst`` at once. Kept in the
    instance's memory (behind a load balancer, each instance counts its own)."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = defaultdict(
            lambda: (burst, time.monotonic())
        )

    def take(self, client: str, cost: float = 1.0) -> bool:
        with self._lock:
            tokens, since = self._buckets[client]
            now = time.monotonic()
            tokens = min(self.burst, tokens + (now - since) * self.rate)
            if tokens < cost:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - cost, now)
            return True


def create_app(
    store: Store,
    private_key: Any,
    checker: Checker,
    *,
    public_url: str,
    lookups: RateLimit | None = None,
    claims: RateLimit | None = None,
) -> Starlette:
    """The server, on ``store``, signing with ``private_key`` (Ed25519), proving with
    ``checker``. ``public_url`` names the server in the entries it signs."""
    public_key = public_key_text(private_key.public_key())
    lookups = lookups or RateLimit(rate=20, burst=200)  # requests of up to 4,096 ranges
    claims = claims or RateLimit(rate=0.2, burst=10)

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "?"

    def refused(key: str, status: int = 400, **params: Any) -> JSONResponse:
        from ..i18n import t

        return JSONResponse(
            {"error": key, "message": t(key, "en", **params), "params": params}, status
        )

    def body(request: Request, raw: bytes) -> dict[str, Any]:  # noqa: ARG001
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise DirectoryError("service.bad_request") from None
        if not isinstance(value, dict):
            raise DirectoryError("service.bad_request")
        return value

    def well_known(request: Request) -> Response:
        return JSONResponse(
            {
                "version": 1,
                "server": public_url,
                "public_key": public_key,
                "algorithm": "ed25519",
                "prefix_hex": PREFIX_HEX,
                "max_prefixes": MAX_PREFIXES,
                "record_collection": RECORD_COLLECTION,
                # servers copied here: their entries keep their signatures
                "mirrors": store.mirrors(),
            }
        )

    async def new_claim(request: Request) -> Response:
        if not claims.take(client_of(request)):
            return refused("service.slow_down", 429)
        data = body(request, await request.body())
        return await run_in_threadpool(_new_claim, data)

    def _new_claim(data: dict[str, Any]) -> Response:
        action = data.get("action", "register")
        x_id = str(data.get("x_id") or "")
        if action not in ("register", "delete") or not re.fullmatch(r"\d{1,20}", x_id):
            raise DirectoryError("service.bad_request")
        x_handle = str(data.get("x_handle") or "").lstrip("@") or None
        if x_handle is not None and not _HANDLE.fullmatch(x_handle):
            raise DirectoryError("service.bad_request")
        bluesky = str(data.get("bluesky") or "").strip() or None
        mastodon = str(data.get("mastodon") or "").strip().lstrip("@") or None
        if action == "delete":
            entry = store.entry(x_id)
            if entry is None:
                raise DirectoryError("service.no_entry", x_id=x_id)
            # who may delete: whoever proves an account of the entry again
            bluesky = (entry.get("bluesky") or {}).get("did")
            mastodon = entry.get("mastodon")
            x_handle = entry.get("x_handle")
        elif not (bluesky or mastodon):
            raise DirectoryError("service.no_new_account")
        claim = store.new_claim(action, x_id, x_handle, bluesky, mastodon)
        return JSONResponse(
            {
                "claim": claim["id"],
                "code": claim["code"],
                "action": action,
                "expires_at": claim["expires_at"].isoformat(),
                "bluesky": bluesky,
                "mastodon": mastodon,
                "x_handle": x_handle,
                # what to write in the Bluesky repository (the client does it for the user)
                "record": {
                    "collection": RECORD_COLLECTION,
                    "rkey": claim["id"],
                    "value": {
                        "$type": RECORD_COLLECTION,
                        "code": claim["code"],
                        "x_id": x_id,
                        "server": public_url,
                    },
                },
            },
            201,
        )

    async def settle_claim(request: Request) -> Response:
        if not claims.take(client_of(request)):
            return refused("service.slow_down", 429)
        data = body(request, await request.body())
        return await run_in_threadpool(_settle, request.path_params["claim"], data)

    def _settle(claim_id: str, data: dict[str, Any]) -> Response:
        claim = store.claim(claim_id)
        if claim is None:  # unknown, expired, or used already: a replay is refused here
            raise DirectoryError("service.no_claim")
        proofs: list[dict[str, Any]] = []
        bluesky = mastodon = None
        problems: list[PortabiliteError] = []
        if claim["bluesky"]:
            try:
                bluesky = checker.bluesky(claim["bluesky"], claim)
                proofs.append(bluesky.pop("proof"))
            except PortabiliteError as exc:
                problems.append(exc)
        if claim["mastodon"]:
            try:
                mastodon = checker.mastodon(claim["mastodon"], claim)
                proofs.append(mastodon["proof"])
            except PortabiliteError as exc:
                problems.append(exc)
        x_proof = "self"
        if data.get("x_post_url"):
            proofs.append(checker.x_post(str(data["x_post_url"]), claim))
            x_proof = "post"
        if claim["action"] == "delete":
            if not proofs:
                raise problems[0] if problems else DirectoryError("service.no_proof")
            tombstone = sign(
                private_key,
                {
                    "x_id": claim["x_id"],
                    "prefix": prefix_of(claim["x_id"]),
                    "tombstone": True,
                    "deleted_at": _now(),
                    "server": public_url,
                    "signed_by": public_key,
                },
            )
            if not store.settle(claim_id, None, tombstone):
                raise DirectoryError("service.no_claim")
            return JSONResponse(tombstone)
        # every new account named must be proven: a half-proven entry is not made
        if problems:
            raise problems[0]
        known = store.entry(claim["x_id"])
        if known is not None and _RANK[known["x_proof"]] > _RANK[x_proof]:
            raise DirectoryError("service.weaker_proof")
        now = _now()
        entry = sign(
            private_key,
            {
                "x_id": claim["x_id"],
                "prefix": prefix_of(claim["x_id"]),
                "x_handle": claim["x_handle"],
                "x_proof": x_proof,
                "bluesky": bluesky,
                "mastodon": mastodon["address"] if mastodon else None,
                "proofs": proofs,
                "created_at": (known or {}).get("created_at", now),
                "updated_at": now,
                "server": public_url,
                "signed_by": public_key,
            },
        )
        if not store.settle(claim_id, entry, None):
            raise DirectoryError("service.no_claim")
        return JSONResponse(entry, 201)

    def entry(request: Request) -> Response:
        found = store.entry(request.path_params["x_id"])
        if found is None:
            return refused("service.no_entry", 404, x_id=request.path_params["x_id"])
        return JSONResponse(found)

    async def ranges(request: Request) -> Response:
        data = body(request, await request.body())
        prefixes = data.get("prefixes")
        if (
            not isinstance(prefixes, list)
            or not 0 < len(prefixes) <= MAX_PREFIXES
            or not all(isinstance(p, str) and _PREFIX.fullmatch(p) for p in prefixes)
        ):
            return refused("service.bad_ranges", max=MAX_PREFIXES, digits=PREFIX_HEX)
        if not lookups.take(client_of(request)):
            return refused("service.slow_down", 429)
        entries, tombstones = await run_in_threadpool(store.ranges, sorted(set(prefixes)))
        # the stored JSON as it is: no decoding and encoding again of a million entries
        text = '{"entries":[' + ",".join(entries) + '],"tombstones":[' + ",".join(tombstones) + "]}"
        return Response(text, media_type="application/json")

    def export(request: Request) -> Response:
        def lines() -> Iterator[bytes]:
            head = {"server": public_url, "public_key": public_key, "exported_at": _now()}
            yield orjson.dumps(head) + b"\n"
            for line in store.export():
                yield line.encode() + b"\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    routes = [
        Route(WELL_KNOWN, well_known),
        Route("/v1/claims", new_claim, methods=["POST"]),
        Route("/v1/claims/{claim}", settle_claim, methods=["POST"]),
        Route("/v1/entries/{x_id}", entry),
        Route("/v1/ranges", ranges, methods=["POST"]),
        Route("/v1/export", export),
    ]

    async def refuse_errors(request: Request, exc: Exception) -> Response:
        if isinstance(exc, PortabiliteError):
            return refused(exc.key, 400, **{k: str(v) for k, v in exc.params.items()})
        return refused("service.internal", 500)  # the operator's log has the rest

    return Starlette(
        routes=routes,
        exception_handlers={PortabiliteError: refuse_errors, Exception: refuse_errors},
    )
