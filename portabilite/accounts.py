"""Logging in, staying logged in, and knowing who is logged in where.

``Accounts`` is what the ``login``, ``logout`` and ``accounts`` commands call, and what later
steps use to get a ready client: ``Accounts().bluesky()`` resumes the saved session (refreshed
transparently, saved again when it changes) instead of logging in again.

Configuration, each overriding what was saved (for scripts, CI and self-hosters):

========================================  ==================================================
``PORTABILITE_BLUESKY_HANDLE`` and        log in with these when no session for that handle
``PORTABILITE_BLUESKY_APP_PASSWORD``      is saved (the session is saved, not the password)
``PORTABILITE_BLUESKY_PDS``               the PDS (default: discovered from the handle)
``PORTABILITE_BLUESKY_APPVIEW``           the AppView for reads (default: the public one)
``PORTABILITE_PLC_URL``                   the PLC directory (default: plc.directory)
``PORTABILITE_MASTODON_INSTANCE``,        a Mastodon instance and an existing access token
``PORTABILITE_MASTODON_TOKEN``
``PORTABILITE_X_API``                     the X API base (default: https://api.x.com)
``PORTABILITE_ALLOW_HOSTS``               hosts to contact even if private (comma-separated):
                                          your own servers
========================================  ==================================================
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any, Callable, Mapping

import httpx

from ._reasons import Reason
from ._time import now_iso
from .errors import NotLoggedInError, SessionExpiredError
from .networks import HostGuard
from .networks.bluesky import DEFAULT_APPVIEW, DEFAULT_PLC, BlueskyClient
from .secrets import CredentialStore, Secret, register_secret

__all__ = ["Accounts", "AccountInfo", "NETWORKS"]

NETWORKS = ("bluesky", "mastodon", "x")


@dataclass(frozen=True)
class AccountInfo:
    """Who is logged in where. Never holds a secret."""

    network: str
    account: str  # Bluesky handle, Mastodon user@instance, X @username
    id: str | None  # DID, Mastodon account id, X user id
    server: str | None  # PDS, instance, API base
    logged_in_at: str | None
    source: str  # "keyring:...", the credentials file, or "environment"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Accounts:
    def __init__(
        self,
        store: CredentialStore | None = None,
        *,
        env: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        requests_session: Any | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.store = store or CredentialStore()
        self.env = os.environ if env is None else env
        self.transport = transport  # tests inject one; None is the real network
        self.requests_session = requests_session  # the same for Mastodon.py (requests)
        self.sleep = sleep
        for name in ("PORTABILITE_BLUESKY_APP_PASSWORD", "PORTABILITE_MASTODON_TOKEN"):
            register_secret(self.env.get(name))

    # -- configuration ---------------------------------------------------------------------
    def setting(self, name: str) -> str | None:
        """An environment setting (``PORTABILITE_...``), stripped; None when unset or empty."""
        value = self.env.get(name, "").strip()
        return value or None

    _env = setting

    def addresses(self) -> dict[str, str | None]:
        """The user's saved addresses (Bluesky handle, Mastodon ``user@instance``), read from
        the saved accounts: no request is made."""
        return {
            "bluesky": (self.store.load("bluesky") or {}).get("handle"),
            "mastodon": (self.store.load("mastodon") or {}).get("acct"),
        }

    def public_bluesky(self) -> BlueskyClient:
        """A client of the public AppView, logged out (reads need no account)."""
        return self._bluesky_client(None)

    def guard(self, network: str, *configured: str | None) -> HostGuard:
        allowed = [c for c in configured if c]
        allowed += [
            h.strip() for h in (self._env("PORTABILITE_ALLOW_HOSTS") or "").split(",") if h.strip()
        ]
        return HostGuard(allowed, network=network)

    def _client_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.transport is not None:
            options["transport"] = self.transport
        if self.sleep is not None:
            options["sleep"] = self.sleep
        return options

    # -- Bluesky ---------------------------------------------------------------------------
    def _bluesky_client(
        self,
        record: Mapping[str, Any] | None,
        *,
        pds: str | None = None,
        appview: str | None = None,
        plc: str | None = None,
    ) -> BlueskyClient:
        record = record or {}
        pds = pds or self._env("PORTABILITE_BLUESKY_PDS") or record.get("pds")
        appview = (
            appview
            or self._env("PORTABILITE_BLUESKY_APPVIEW")
            or record.get("appview")
            or DEFAULT_APPVIEW
        )
        plc = plc or self._env("PORTABILITE_PLC_URL") or record.get("plc") or DEFAULT_PLC
        return BlueskyClient(
            pds=pds,
            appview=appview,
            plc=plc,
            guard=self.guard("bluesky", pds, appview, plc),
            **self._client_options(),
        )

    def _save_bluesky(
        self, client: BlueskyClient, session: str, appview: str, plc: str, explicit_pds: bool
    ) -> dict[str, Any]:
        record = {
            "handle": client.handle,
            "did": client.did,
            "pds": client.pds,
            "appview": appview,
            "plc": plc,
            "session": session,
            "logged_in_at": now_iso(),
            "explicit_pds": explicit_pds,
        }
        self.store.save("bluesky", record)
        return record

    def login_bluesky(
        self,
        identifier: str,
        app_password: str | Secret,
        *,
        pds: str | None = None,
        appview: str | None = None,
        plc: str | None = None,
    ) -> AccountInfo:
        """Log in with a handle (or DID) and an app password; save the session."""
        client = self._bluesky_client(None, pds=pds, appview=appview, plc=plc)
        with client:
            session = client.login(identifier, app_password)
            record = self._save_bluesky(
                client, session, client.appview, client.plc, explicit_pds=bool(pds)
            )
        return self._info("bluesky", record)

    def bluesky(self) -> BlueskyClient:
        """A logged-in client: the saved session, else the environment's app password."""
        record = self.store.load("bluesky")
        env_handle = (self._env("PORTABILITE_BLUESKY_HANDLE") or "").lstrip("@").lower()
        env_password = self._env("PORTABILITE_BLUESKY_APP_PASSWORD")
        if (
            record
            and env_handle
            and env_handle
            not in (str(record.get("handle")).lower(), str(record.get("did")).lower())
        ):
            record = None  # the environment names another account
        if record and record.get("session"):
            client = self._bluesky_client(record)
            client.on_session = lambda session: self._update_session("bluesky", session)
            try:
                client.resume(record["session"])
                return client
            except SessionExpiredError:
                client.close()
                if not (env_handle and env_password):
                    raise
        if env_handle and env_password:
            client = self._bluesky_client(None)
            session = client.login(env_handle, env_password)
            self._save_bluesky(client, session, client.appview, client.plc, explicit_pds=False)
            client.on_session = lambda session: self._update_session("bluesky", session)
            return client
        raise NotLoggedInError("network.not_logged_in", network="bluesky")

    def _update_session(self, network: str, session: str) -> None:
        record = self.store.load(network) or {}
        if record.get("session") != session:
            record["session"] = session
            self.store.save(network, record)

    # -- Mastodon ----------------------------------------------------------------------------
    def _mastodon_client(self, instance: str, token: Any = None) -> Any:
        from .networks.mastodon import MastodonClient

        options: dict[str, Any] = {}
        if self.requests_session is not None:
            options["session"] = self.requests_session
        if self.sleep is not None:
            options["sleep"] = self.sleep
        return MastodonClient(
            instance, token, guard=self.guard("mastodon", instance), configured=True, **options
        )

    def _save_mastodon(self, client: Any, token: Secret, app: Any | None = None) -> dict[str, Any]:
        me = client.verify_credentials(login=True)
        acct = me.acct if "@" in me.acct else f"{me.acct}@{client.local_domain}"
        record: dict[str, Any] = {
            "instance": client.base_url,
            "acct": acct,
            "id": me.id,
            "access_token": token.reveal(),
            "logged_in_at": now_iso(),
        }
        if app is not None:
            record["app"] = app.to_record()
        self.store.save("mastodon", record)
        return record

    def login_mastodon_token(self, instance: str, token: str | Secret) -> AccountInfo:
        """Use an access token the person already has (Preferences > Development)."""
        secret = token if isinstance(token, Secret) else Secret(token)
        with self._mastodon_client(instance, secret) as client:
            client.instance()  # learn the address domain before naming the account
            return self._info("mastodon", self._save_mastodon(client, secret))

    def start_mastodon_oauth(self, instance: str, lang: str | None = None) -> dict[str, Any]:
        """Register portabilite on the instance (once: the registration is kept) and return
        the page where the person allows it and gets a code."""
        from .networks.mastodon import AppRegistration, normalize_instance_url

        base = normalize_instance_url(instance)
        apps = self.store.load("mastodon_apps") or {}
        with self._mastodon_client(base) as client:
            app = AppRegistration.from_record(apps[base]) if base in apps else None
            if app is None:
                app = client.register_app()
                apps[base] = app.to_record()
                self.store.save("mastodon_apps", apps)
            return {"instance": base, "url": client.authorize_url(app, lang=lang), "app": app}

    def finish_mastodon_oauth(self, pending: Mapping[str, Any], code: str) -> AccountInfo:
        with self._mastodon_client(pending["instance"]) as client:
            token = client.log_in(pending["app"], code)
            client.instance()
            return self._info("mastodon", self._save_mastodon(client, token, pending["app"]))

    def mastodon(self) -> Any:
        """A client for the saved Mastodon account (or the environment's token)."""
        record = self.store.load("mastodon")
        instance = self._env("PORTABILITE_MASTODON_INSTANCE")
        token = self._env("PORTABILITE_MASTODON_TOKEN")
        if instance and token:
            return self._mastodon_client(instance, Secret(token))
        if record and record.get("access_token"):
            return self._mastodon_client(record["instance"], Secret(record["access_token"]))
        raise NotLoggedInError("network.not_logged_in", network="mastodon")

    # -- X -------------------------------------------------------------------------------
    def _x_api(self, record: Mapping[str, Any] | None = None) -> str:
        from .networks.x import X_API

        return self._env("PORTABILITE_X_API") or (record or {}).get("api") or X_API

    def _x_client(self, auth: Any, record: Mapping[str, Any] | None = None, **extra: Any) -> Any:
        from .networks.x import XClient

        return XClient(auth, api_base=self._x_api(record), **self._client_options(), **extra)

    def _save_x(self, user: Any, auth_record: dict[str, Any], **extra: Any) -> dict[str, Any]:
        record = {
            **auth_record,
            **extra,
            "username": user.username,
            "id": user.id,
            "api": self._x_api(),
            "logged_in_at": now_iso(),
        }
        self.store.save("x", {k: v for k, v in record.items() if v is not None})
        return record

    def login_x_oauth1(
        self, consumer_key: str, consumer_secret: str, access_token: str, access_token_secret: str
    ) -> AccountInfo:
        """OAuth 1.0a user credentials (from the X developer portal)."""
        from .networks.x import OAuth1Credentials

        credentials = OAuth1Credentials(
            Secret(consumer_key),
            Secret(consumer_secret),
            Secret(access_token),
            Secret(access_token_secret),
        )
        with self._x_client(credentials) as client:
            user = client.me(at_login=True)
        return self._info("x", self._save_x(user, credentials.to_record()))

    def start_x_oauth2(self, client_id: str, redirect_uri: str) -> dict[str, Any]:
        """Begin OAuth 2.0 with PKCE: returns the URL to open and what ``finish`` needs."""
        from .networks.x import authorize_url, code_challenge, make_code_verifier, new_state

        verifier = make_code_verifier()
        state = new_state()
        url = authorize_url(
            client_id=client_id,
            redirect_uri=redirect_uri,
            state=state,
            challenge=code_challenge(verifier),
        )
        return {
            "url": url,
            "state": state,
            "verifier": verifier,
            "client_id": client_id,
            "redirect_uri": redirect_uri,
        }

    def finish_x_oauth2(
        self, pending: Mapping[str, Any], answer: str, client_secret: str | None = None
    ) -> AccountInfo:
        """``answer`` is the address X redirected to (or just its ``code``)."""
        from urllib.parse import parse_qs, urlsplit

        from .errors import AuthenticationError
        from .networks.x import exchange_code

        answer = answer.strip()
        code = answer
        if "code=" in answer:
            query = parse_qs(urlsplit(answer).query or answer.split("?", 1)[-1])
            if query.get("state", [pending["state"]])[0] != pending["state"]:
                raise AuthenticationError(
                    "network.auth_failed", network="x", reason=Reason("reason.state_mismatch")
                )
            code = query.get("code", [""])[0]
        register_secret(code)
        token = exchange_code(
            code,
            client_id=pending["client_id"],
            redirect_uri=pending["redirect_uri"],
            code_verifier=pending["verifier"],
            client_secret=client_secret,
            api_base=self._x_api(),
            **self._client_options(),
        )
        with self._x_client(token) as client:
            user = client.me(at_login=True)
        record = self._save_x(
            user, token.to_record(), client_id=pending["client_id"], client_secret=client_secret
        )
        return self._info("x", record)

    def x(self) -> Any:
        """A client for the saved X account (OAuth 2.0 tokens are refreshed and saved)."""
        from .networks.x import OAuth1Credentials, OAuth2Token

        record = self.store.load("x")
        if not record:
            raise NotLoggedInError("network.not_logged_in", network="x")
        if record.get("auth") == "oauth1":
            return self._x_client(OAuth1Credentials.from_record(record), record)

        def save(token: Any) -> None:
            current = self.store.load("x") or {}
            self.store.save(
                "x", {**current, **{k: v for k, v in token.to_record().items() if v is not None}}
            )

        return self._x_client(
            OAuth2Token.from_record(record),
            record,
            client_id=record.get("client_id"),
            client_secret=record.get("client_secret"),
            on_token_refresh=save,
        )

    # -- everyone --------------------------------------------------------------------------
    def check(self, network: str) -> None:
        """Ask the network whether the saved session works (refreshing it if needed)."""
        if network == "bluesky":
            with self.bluesky() as client:
                client.check_session()
        elif network == "x":
            with self.x() as client:
                client.me()
        elif network == "mastodon":
            with self.mastodon() as client:
                client.verify_credentials()
        else:
            raise NotLoggedInError("network.not_logged_in", network=network)

    def logout(self, network: str) -> bool:
        """Forget the saved credentials of ``network`` (the remote session simply expires)."""
        return self.store.delete(network)

    def _info(
        self, network: str, record: Mapping[str, Any], source: str | None = None
    ) -> AccountInfo:
        source = source or self.store.location
        if network == "bluesky":
            return AccountInfo(
                "bluesky",
                str(record.get("handle")),
                record.get("did"),
                record.get("pds"),
                record.get("logged_in_at"),
                source,
            )
        if network == "mastodon":
            return AccountInfo(
                "mastodon",
                str(record.get("acct")),
                record.get("id"),
                record.get("instance"),
                record.get("logged_in_at"),
                source,
            )
        return AccountInfo(
            "x",
            f"@{record.get('username')}",
            record.get("id"),
            record.get("api"),
            record.get("logged_in_at"),
            source,
        )

    def list(self) -> list[AccountInfo]:
        """Every saved account, and the ones the environment provides. No secrets."""
        infos = []
        for network in NETWORKS:
            record = self.store.load(network)
            if record:
                infos.append(self._info(network, record))
        saved = {i.network for i in infos}
        if (
            "bluesky" not in saved
            and self._env("PORTABILITE_BLUESKY_HANDLE")
            and self._env("PORTABILITE_BLUESKY_APP_PASSWORD")
        ):
            infos.append(
                AccountInfo(
                    "bluesky",
                    self._env("PORTABILITE_BLUESKY_HANDLE") or "",
                    None,
                    self._env("PORTABILITE_BLUESKY_PDS"),
                    None,
                    "environment",
                )
            )
        if (
            "mastodon" not in saved
            and self._env("PORTABILITE_MASTODON_TOKEN")
            and self._env("PORTABILITE_MASTODON_INSTANCE")
        ):
            infos.append(
                AccountInfo(
                    "mastodon",
                    "?",
                    None,
                    self._env("PORTABILITE_MASTODON_INSTANCE"),
                    None,
                    "environment",
                )
            )
        return infos
