"""Bluesky, over the atproto SDK.

``BlueskyClient`` logs in once and keeps the session (the SDK's session string, refreshed
transparently, handed to ``on_session`` every time it changes so it can be saved): Bluesky allows
30 logins per 5 minutes and 300 a day. Reads of other people go to an AppView (the public one
by default); the user's own repository and every write go to their PDS. Every call goes through
the shared retry policy; every write through the write budget.

Endpoints are configurable (``pds``, ``appview``, ``plc``) so tests and self-hosters use their
own servers; a transport can be injected (``transport=``) so tests can count or fault-inject
requests.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

import httpx

from .._reasons import because
from ..errors import (
    AccountUnavailableError,
    AuthenticationError,
    NotLoggedInError,
    RateLimitedError,
    RefusedError,
    SessionExpiredError,
    UnreachableError,
)
from ..secrets import Secret, register_secret
from ._connect import MAX_ANSWER_BYTES, AnswerTooLarge, guarded_transport, read_capped
from ._hosts import HostGuard
from ._ratelimit import (
    BLUESKY_POINTS,
    Budget,
    Decision,
    RetryPolicy,
    Verdict,
    call_with_retry,
    wait_from_headers,
)

__all__ = [
    "BlueskyClient",
    "Profile",
    "Record",
    "DEFAULT_APPVIEW",
    "DEFAULT_PLC",
    "PROFILES_PER_CALL",
    "WRITES_PER_CALL",
]

DEFAULT_APPVIEW = "https://public.api.bsky.app"
DEFAULT_PLC = "https://plc.directory"
#: app.bsky.actor.getProfiles takes at most 25 actors.
PROFILES_PER_CALL = 25
#: com.atproto.repo.applyWrites takes at most 200 writes (the PDS refuses 201).
WRITES_PER_CALL = 200
NETWORK = "bluesky"

_SESSION_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}
_ACCOUNT_ERRORS = {
    "AccountTakedown",
    "AccountDeactivated",
    "RepoNotFound",
    "RepoTakendown",
    "RepoDeactivated",
    "RepoSuspended",
    "ActorNotFound",
    "AccountNotFound",
}


@dataclass(frozen=True)
class Profile:
    did: str
    handle: str
    display_name: str | None = None
    description: str | None = None
    labels: tuple[str, ...] = ()
    followers_count: int | None = None
    created_at: str | None = None

    @property
    def handle_invalid(self) -> bool:
        return self.handle == "handle.invalid"


@dataclass(frozen=True)
class Record:
    uri: str
    cid: str | None
    value: dict[str, Any] = field(default_factory=dict)

    @property
    def rkey(self) -> str:
        return self.uri.rsplit("/", 1)[-1]


def spend_tag(write: dict[str, Any]) -> str | None:
    """The budget tag of an applyWrites call that starts with ``write``."""
    rkey = write.get("rkey")
    return f"{write['action']}:{write['collection']}/{rkey}" if rkey else None


def _xrpc_error(exc: Exception) -> tuple[int | None, str, str]:
    """(status, XRPC error name, message) of an SDK request error."""
    response = getattr(exc, "response", None)
    if response is None:
        return None, "", type(exc).__name__
    content = getattr(response, "content", None)
    name = getattr(content, "error", None) or (
        content.get("error") if isinstance(content, dict) else None
    )
    message = getattr(content, "message", None) or (
        content.get("message") if isinstance(content, dict) else None
    )
    return getattr(response, "status_code", None), name or "", message or ""


def _profile(view: Any) -> Profile:
    labels = tuple(getattr(label, "val", "") for label in (getattr(view, "labels", None) or ()))
    return Profile(
        did=view.did,
        handle=view.handle,
        display_name=getattr(view, "display_name", None),
        description=getattr(view, "description", None),
        labels=labels,
        followers_count=getattr(view, "followers_count", None),
        created_at=getattr(view, "created_at", None),
    )


def _to_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    from atproto import models

    return models.get_model_as_dict(value)


def _guarded_request(base: Any) -> Any:
    """The SDK's request class, changed in what it does not let us configure: it follows
    redirects (to any host, past the guard) and buffers answers of any size. Here a redirect is
    refused and an answer is read up to ``MAX_ANSWER_BYTES``."""

    class GuardedRequest(base):
        def _send_request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
            from atproto_client.request import _handle_request_errors, _handle_response

            headers = self.get_headers(kwargs.pop("headers", None))
            try:
                request = self._client.build_request(method, url, headers=headers, **kwargs)
                response = read_capped(self._client, request)
            except AnswerTooLarge:
                raise RefusedError(
                    "network.answer_too_large",
                    network=NETWORK,
                    host=httpx.URL(url).host,
                    limit=MAX_ANSWER_BYTES >> 20,
                ) from None
            except Exception as exc:  # noqa: BLE001 - mapped as the SDK maps them
                _handle_request_errors(exc)
                raise
            if response.is_redirect:
                raise RefusedError(
                    "network.redirect_refused",
                    network=NETWORK,
                    host=httpx.URL(url).host,
                    target=response.headers.get("location", "?")[:200],
                )
            return _handle_response(response)

    return GuardedRequest


class BlueskyClient:
    """One Bluesky account (or none: AppView reads work logged out)."""

    def __init__(
        self,
        *,
        pds: str | None = None,
        appview: str = DEFAULT_APPVIEW,
        plc: str = DEFAULT_PLC,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        policy: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        budget: Budget | None = None,
        guard: HostGuard | None = None,
        on_session: Callable[[str], None] | None = None,
    ) -> None:
        from atproto import Client
        from atproto_client.request import Request

        self.appview = appview.rstrip("/")
        self.plc = plc.rstrip("/")
        self.pds = pds.rstrip("/") if pds else None
        self.policy = policy
        self.sleep = sleep
        self.budget = budget
        self.on_session = on_session
        self.guard = guard or HostGuard(
            [self.appview, self.plc] + ([self.pds] if self.pds else []), network=NETWORK
        )
        if transport is None:  # connect only where the guard looked (DNS rebinding)
            transport = guarded_transport(self.guard)
        self._request_options: dict[str, Any] = {"timeout": timeout}
        if transport is not None:
            self._request_options["transport"] = transport
        self._Client = Client
        self._Request = _guarded_request(Request)
        self._public = Client(
            base_url=f"{self.appview}/xrpc", request=self._Request(**self._request_options)
        )
        self._client: Any = None  # the logged-in SDK client, on the PDS
        self._http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)

    # -- plumbing ---------------------------------------------------------------------------
    def _host(self, exc: BaseException | None = None) -> str:
        """The host a failed request went to (from the httpx error underneath), else ours."""
        cause = exc.__cause__ if exc is not None else None
        for candidate in (exc, cause):
            try:
                return str(candidate.request.url.host)  # type: ignore[union-attr]
            except (AttributeError, RuntimeError):
                continue
        return (self.pds or self.appview).split("://", 1)[-1].split("/", 1)[0]

    def _classify(self, exc: BaseException, *, during_login: bool = False) -> Verdict:
        from atproto_client import exceptions as ax

        status, name, message = _xrpc_error(exc)  # type: ignore[arg-type]
        reason: object = (
            f"{name}: {message}" if name and message else (name or message or str(status))
        )
        if isinstance(exc, ax.NetworkError) and status is None and exc.__cause__ is not None:
            reason = because(exc.__cause__)  # the connection's own failure, in words
        if isinstance(exc, ax.RateLimitExceededError):
            headers = exc.response.headers if exc.response is not None else {}
            return Verdict(
                Decision.WAIT,
                RateLimitedError("network.rate_limited", network=NETWORK),
                wait_from_headers(headers),
            )
        if isinstance(exc, ax.NetworkError) and (status is None or status in (502, 503, 504)):
            return Verdict(
                Decision.BACKOFF,
                UnreachableError(
                    "network.unreachable", network=NETWORK, host=self._host(exc), reason=reason
                ),
            )
        if isinstance(exc, ax.RequestException) and status in (503, 504):
            return Verdict(
                Decision.BACKOFF,
                UnreachableError(
                    "network.unreachable", network=NETWORK, host=self._host(exc), reason=reason
                ),
            )
        if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code >= 500:
            return Verdict(
                Decision.BACKOFF,
                UnreachableError(
                    "network.unreachable",
                    network=NETWORK,
                    host=exc.request.url.host,
                    reason=str(exc.response.status_code),
                ),
            )
        # a connection closed without an answer, or in the middle of one, is transient too:
        # the request may or may not have been applied, and is retried as it was
        if isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)):
            return Verdict(
                Decision.BACKOFF,
                UnreachableError(
                    "network.unreachable",
                    network=NETWORK,
                    host=self._host(exc),
                    reason=because(exc),
                ),
            )
        if isinstance(exc, ax.LoginRequiredError):
            return Verdict(
                Decision.FAIL, NotLoggedInError("network.not_logged_in", network=NETWORK)
            )
        if name in _ACCOUNT_ERRORS:
            return Verdict(
                Decision.FAIL,
                AccountUnavailableError(
                    "network.account_unavailable",
                    network=NETWORK,
                    account=self.handle or "?",
                    reason=reason,
                ),
            )
        if during_login and status in (400, 401, 403):
            return Verdict(
                Decision.FAIL,
                AuthenticationError("network.auth_failed", network=NETWORK, reason=reason),
            )
        if name in _SESSION_ERRORS or status == 401:
            return Verdict(
                Decision.FAIL, SessionExpiredError("network.session_expired", network=NETWORK)
            )
        return Verdict(
            Decision.FAIL,
            RefusedError("network.refused", network=NETWORK, status=status or "?", reason=reason),
        )

    def _call(self, fn: Callable[[], Any], *, during_login: bool = False) -> Any:
        refreshed = False

        def attempt() -> Any:
            nonlocal refreshed
            try:
                return fn()
            except Exception as exc:  # noqa: BLE001 - a stale access token: refresh once
                status, name, _ = _xrpc_error(exc)
                if (
                    not refreshed
                    and not during_login
                    and self._client is not None
                    and name == "ExpiredToken"
                ):
                    refreshed = True
                    self._refresh()
                    return fn()
                raise

        return call_with_retry(
            attempt,
            lambda e: self._classify(e, during_login=during_login),
            network=NETWORK,
            policy=self.policy,
            sleep=self.sleep,
        )

    def _refresh(self) -> None:
        try:
            self._client._refresh_and_set_session()  # the SDK refreshes early on its own too
        except Exception:  # noqa: BLE001
            raise SessionExpiredError("network.session_expired", network=NETWORK) from None

    def _session_changed(self, *_: Any) -> None:
        session = self._client.export_session_string()
        register_secret(session)
        if self.on_session is not None:
            self.on_session(session)

    def _logged_in(self) -> Any:
        if self._client is None:
            raise NotLoggedInError("network.not_logged_in", network=NETWORK)
        return self._client

    # -- identity ---------------------------------------------------------------------------
    def resolve_handle(self, handle: str) -> str:
        """The DID of a handle, through the AppView."""
        from atproto import models

        handle = handle.lstrip("@").lower()
        response = self._call(
            lambda: self._public.com.atproto.identity.resolve_handle(
                models.ComAtprotoIdentityResolveHandle.Params(handle=handle)
            )
        )
        return str(response.did)

    def resolve_pds(self, actor: str) -> str:
        """The PDS endpoint of a handle or DID, from its DID document."""
        did = actor if actor.startswith("did:") else self.resolve_handle(actor)
        if did.startswith("did:plc:"):
            url = f"{self.plc}/{did}"
        elif did.startswith("did:web:"):
            url = f"https://{did[len('did:web:') :]}/.well-known/did.json"
            self.guard.check(url)
        else:
            raise RefusedError(
                "network.refused",
                network=NETWORK,
                status="?",
                reason=f"unsupported DID method: {did}",
            )

        def fetch() -> dict[str, Any]:
            try:
                response = read_capped(
                    self._http, self._http.build_request("GET", url), max_bytes=1 << 20
                )  # a DID document is a few KiB
            except AnswerTooLarge:
                raise RefusedError(
                    "network.answer_too_large", network=NETWORK, host=httpx.URL(url).host, limit=1
                ) from None
            if response.status_code >= 500:
                response.raise_for_status()
            if response.status_code != 200:
                raise AccountUnavailableError(
                    "network.account_unavailable",
                    network=NETWORK,
                    account=actor,
                    reason=f"DID {response.status_code}",
                )
            document: dict[str, Any] = response.json()
            return document

        doc = call_with_retry(
            fetch, self._classify, network=NETWORK, policy=self.policy, sleep=self.sleep
        )
        services = doc.get("service") if isinstance(doc, dict) else None
        for service in services if isinstance(services, list) else ():
            if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
                endpoint = str(service.get("serviceEndpoint", "")).rstrip("/")
                if endpoint:
                    self.guard.check(endpoint)
                    return endpoint
        raise RefusedError(
            "network.refused",
            network=NETWORK,
            status="?",
            reason=f"no PDS in the DID document of {did}",
        )

    # -- session ----------------------------------------------------------------------------
    def login(self, identifier: str, app_password: str | Secret) -> str:
        """Log in with an app password; returns the session string (a secret: save it)."""
        password = app_password.reveal() if isinstance(app_password, Secret) else app_password
        register_secret(password)
        if self.pds is None:
            self.pds = self.resolve_pds(identifier.lstrip("@"))
        client = self._Client(
            base_url=f"{self.pds}/xrpc", request=self._Request(**self._request_options)
        )
        self._call(
            lambda: client.login(identifier.lstrip("@"), password, fetch_bsky_profile=False),
            during_login=True,
        )
        self._client = client
        client.on_session_change(self._session_changed)
        self._session_changed()
        return str(client.export_session_string())

    def resume(self, session: str | Secret) -> None:
        """Use a saved session (no login request: the PDS counts logins)."""
        text = session.reveal() if isinstance(session, Secret) else session
        register_secret(text)
        from atproto_client.client.session import Session

        try:
            pds = Session.decode(text).pds_endpoint
        except Exception:  # noqa: BLE001 - a damaged record
            raise SessionExpiredError("network.session_expired", network=NETWORK) from None
        self.pds = self.pds or (pds.rstrip("/") if pds else None)
        if self.pds is None:
            raise SessionExpiredError("network.session_expired", network=NETWORK)
        client = self._Client(
            base_url=f"{self.pds}/xrpc", request=self._Request(**self._request_options)
        )
        self._call(lambda: client.login(session_string=text, fetch_bsky_profile=False))
        self._client = client
        client.on_session_change(self._session_changed)

    def check_session(self) -> dict[str, str]:
        """Ask the PDS who we are (refreshing the session if needed): did and handle."""
        client = self._logged_in()
        response = self._call(lambda: client.com.atproto.server.get_session())
        return {"did": str(response.did), "handle": str(response.handle)}

    @property
    def did(self) -> str | None:
        session = getattr(self._client, "_session", None) if self._client else None
        return getattr(session, "did", None)

    @property
    def handle(self) -> str | None:
        session = getattr(self._client, "_session", None) if self._client else None
        return getattr(session, "handle", None)

    def export_session(self) -> str:
        return str(self._logged_in().export_session_string())

    # -- reads ------------------------------------------------------------------------------
    def _reader(self) -> Any:
        return self._client if self._client is not None else self._public

    def get_profiles(self, actors: Sequence[str]) -> list[Profile]:
        """Profiles of handles or DIDs, 25 per call; unknown actors are left out."""
        from atproto import models

        reader = self._reader()
        profiles: list[Profile] = []
        actors = list(dict.fromkeys(a.lstrip("@") for a in actors))
        for start in range(0, len(actors), PROFILES_PER_CALL):
            batch = actors[start : start + PROFILES_PER_CALL]
            response = self._call(
                functools.partial(
                    reader.app.bsky.actor.get_profiles,
                    models.AppBskyActorGetProfiles.Params(actors=batch),
                )
            )
            profiles.extend(_profile(view) for view in response.profiles)
        return profiles

    def search_actors(self, query: str, limit: int = 25) -> list[Profile]:
        from atproto import models

        reader = self._reader()
        response = self._call(
            lambda: reader.app.bsky.actor.search_actors(
                models.AppBskyActorSearchActors.Params(q=query, limit=min(max(limit, 1), 100))
            )
        )
        return [_profile(view) for view in response.actors]

    def list_records(self, collection: str, repo: str | None = None) -> Iterator[Record]:
        """Every record of ``collection`` in ``repo`` (default: the user's own), all pages."""
        from atproto import models

        client = self._logged_in()
        repo = repo or self.did
        cursor = None
        while True:
            page = self._call(
                functools.partial(
                    client.com.atproto.repo.list_records,
                    models.ComAtprotoRepoListRecords.Params(
                        repo=repo, collection=collection, limit=100, cursor=cursor
                    ),
                )
            )
            for record in page.records:
                yield Record(
                    uri=record.uri, cid=getattr(record, "cid", None), value=_to_dict(record.value)
                )
            cursor = page.cursor
            if not page.records or not cursor:
                return

    def follows(self) -> list[Record]:
        return list(self.list_records("app.bsky.graph.follow"))

    def blocks(self) -> list[Record]:
        return list(self.list_records("app.bsky.graph.block"))

    def lists(self) -> list[Record]:
        return list(self.list_records("app.bsky.graph.list"))

    # -- writes -----------------------------------------------------------------------------
    def apply_writes(
        self, writes: Iterable[dict[str, Any]], *, wait_for_budget: bool = False
    ) -> list[dict[str, Any]]:
        """Create/update/delete records, 200 per call, spending the write budget.

        Each write is ``{"action": "create"|"update"|"delete", "collection", "rkey", "value"}``
        (``value`` for create/update). Choose ``rkey`` yourself (a TID) so that a batch whose
        answer was lost can be reconciled by reading the records back. A call is atomic: all
        of its writes land, or none. Returns the results (``uri``/``cid``) in order.

        Each call's spend is tagged ``spend_tag(first write)``: a caller that finds the first
        write's record never landed (so none of that call did) gives the points back with
        ``budget.cancel([spend_tag(write)])``.
        """
        from atproto import models

        client = self._logged_in()
        kinds = {
            "create": models.ComAtprotoRepoApplyWrites.Create,
            "update": models.ComAtprotoRepoApplyWrites.Update,
            "delete": models.ComAtprotoRepoApplyWrites.Delete,
        }
        writes = list(writes)
        results: list[dict[str, Any]] = []
        for start in range(0, len(writes), WRITES_PER_CALL):
            batch = writes[start : start + WRITES_PER_CALL]
            ops = []
            points = 0
            for write in batch:
                action = write["action"]
                fields = {"collection": write["collection"], "rkey": write.get("rkey")}
                if action != "delete":
                    fields["value"] = write["value"]
                ops.append(kinds[action](**fields))
                points += BLUESKY_POINTS[action]
            if self.budget is not None:
                self.budget.take(
                    points, wait=wait_for_budget, sleep=self.sleep, tag=spend_tag(batch[0])
                )
            response = self._call(
                functools.partial(
                    client.com.atproto.repo.apply_writes,
                    models.ComAtprotoRepoApplyWrites.Data(repo=self.did, writes=ops),
                )
            )
            for result in response.results or ():
                results.append(
                    {"uri": getattr(result, "uri", None), "cid": getattr(result, "cid", None)}
                )
        return results

    def get_record(self, collection: str, rkey: str, repo: str | None = None) -> Record | None:
        """One record of the user's repository (None when it does not exist)."""
        from atproto import models

        client = self._logged_in()
        try:
            response = self._call(
                lambda: client.com.atproto.repo.get_record(
                    models.ComAtprotoRepoGetRecord.Params(
                        repo=repo or self.did, collection=collection, rkey=rkey
                    )
                )
            )
        except RefusedError as exc:
            if "RecordNotFound" in exc.message("en") or "Could not locate" in exc.message("en"):
                return None
            raise
        return Record(
            uri=response.uri, cid=getattr(response, "cid", None), value=_to_dict(response.value)
        )

    def post(
        self,
        text: str,
        *,
        rkey: str,
        facets: list[dict[str, Any]] | None = None,
        langs: list[str] | None = None,
    ) -> dict[str, Any]:
        """Publish a post under a record key chosen by the caller (so that a lost answer is
        settled by looking for the key, never by posting twice). Returns uri and cid."""
        value: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": self.now_iso(),
        }
        if facets:
            value["facets"] = facets
        if langs:
            value["langs"] = langs
        (result,) = self.apply_writes(
            [{"action": "create", "collection": "app.bsky.feed.post", "rkey": rkey, "value": value}]
        )
        return result

    def update_profile(self, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Read the profile record, ``change`` it, write it back (refused if it changed in
        between: ``swapRecord``)."""
        from atproto import models

        client = self._logged_in()
        current = self.get_record("app.bsky.actor.profile", "self")
        value = change(dict(current.value) if current else {"$type": "app.bsky.actor.profile"})
        self._call(
            lambda: client.com.atproto.repo.put_record(
                models.ComAtprotoRepoPutRecord.Data(
                    repo=self.did,
                    collection="app.bsky.actor.profile",
                    rkey="self",
                    record=value,
                    swap_record=current.cid if current else None,
                )
            )
        )

    def pin(self, uri: str, cid: str) -> None:
        """Pin a post on the profile (``pinnedPost`` of the profile record)."""
        self.update_profile(lambda value: {**value, "pinnedPost": {"uri": uri, "cid": cid}})

    def resolve_mention(self, handle: str) -> str | None:
        """The DID of a handle for a mention facet (None when it does not resolve)."""
        try:
            return self.resolve_handle(handle)
        except (RefusedError, AccountUnavailableError):
            return None

    def mute(self, actor: str) -> None:
        """Mute an account (app.bsky.graph.muteActor: private, no record; idempotent)."""
        from atproto import models

        client = self._logged_in()
        self._call(
            lambda: client.app.bsky.graph.mute_actor(models.AppBskyGraphMuteActor.Data(actor=actor))
        )

    @staticmethod
    def now_iso() -> str:
        return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "BlueskyClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
