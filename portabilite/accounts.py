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
    def __init__(self, store: CredentialStore | None = None, *,
                 env: Mapping[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        self.store = store or CredentialStore()
        self.env = os.environ if env is None else env
        self.transport = transport  # tests inject one; None is the real network
        self.sleep = sleep
        for name in ("PORTABILITE_BLUESKY_APP_PASSWORD", "PORTABILITE_MASTODON_TOKEN"):
            register_secret(self.env.get(name))

    # -- configuration ---------------------------------------------------------------------
    def _env(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def guard(self, network: str, *configured: str | None) -> HostGuard:
        allowed = [c for c in configured if c]
        allowed += [h.strip() for h in (self._env("PORTABILITE_ALLOW_HOSTS") or "").split(",")
                    if h.strip()]
        return HostGuard(allowed, network=network)

    def _client_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.transport is not None:
            options["transport"] = self.transport
        if self.sleep is not None:
            options["sleep"] = self.sleep
        return options

    # -- Bluesky ---------------------------------------------------------------------------
    def _bluesky_client(self, record: Mapping[str, Any] | None, *, pds: str | None = None,
                        appview: str | None = None, plc: str | None = None) -> BlueskyClient:
        record = record or {}
        pds = pds or self._env("PORTABILITE_BLUESKY_PDS") or record.get("pds")
        appview = appview or self._env("PORTABILITE_BLUESKY_APPVIEW") or record.get("appview") \
            or DEFAULT_APPVIEW
        plc = plc or self._env("PORTABILITE_PLC_URL") or record.get("plc") or DEFAULT_PLC
        return BlueskyClient(pds=pds, appview=appview, plc=plc,
                             guard=self.guard("bluesky", pds, appview, plc),
                             **self._client_options())

    def _save_bluesky(self, client: BlueskyClient, session: str, appview: str, plc: str,
                      explicit_pds: bool) -> dict[str, Any]:
        record = {"handle": client.handle, "did": client.did, "pds": client.pds,
                  "appview": appview, "plc": plc, "session": session,
                  "logged_in_at": now_iso(), "explicit_pds": explicit_pds}
        self.store.save("bluesky", record)
        return record

    def login_bluesky(self, identifier: str, app_password: str | Secret, *,
                      pds: str | None = None, appview: str | None = None,
                      plc: str | None = None) -> AccountInfo:
        """Log in with a handle (or DID) and an app password; save the session."""
        client = self._bluesky_client(None, pds=pds, appview=appview, plc=plc)
        with client:
            session = client.login(identifier, app_password)
            record = self._save_bluesky(client, session, client.appview, client.plc,
                                        explicit_pds=bool(pds))
        return self._info("bluesky", record)

    def bluesky(self) -> BlueskyClient:
        """A logged-in client: the saved session, else the environment's app password."""
        record = self.store.load("bluesky")
        env_handle = (self._env("PORTABILITE_BLUESKY_HANDLE") or "").lstrip("@").lower()
        env_password = self._env("PORTABILITE_BLUESKY_APP_PASSWORD")
        if record and env_handle and env_handle not in (str(record.get("handle")).lower(),
                                                        str(record.get("did")).lower()):
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

    # -- everyone --------------------------------------------------------------------------
    def check(self, network: str) -> None:
        """Ask the network whether the saved session works (refreshing it if needed)."""
        if network == "bluesky":
            with self.bluesky() as client:
                client.check_session()
        else:
            raise NotLoggedInError("network.not_logged_in", network=network)

    def logout(self, network: str) -> bool:
        """Forget the saved credentials of ``network`` (the remote session simply expires)."""
        return self.store.delete(network)

    def _info(self, network: str, record: Mapping[str, Any], source: str | None = None) -> AccountInfo:
        source = source or self.store.location
        if network == "bluesky":
            return AccountInfo("bluesky", str(record.get("handle")), record.get("did"),
                               record.get("pds"), record.get("logged_in_at"), source)
        if network == "mastodon":
            return AccountInfo("mastodon", str(record.get("acct")), record.get("id"),
                               record.get("instance"), record.get("logged_in_at"), source)
        return AccountInfo("x", f"@{record.get('username')}", record.get("id"),
                           record.get("api"), record.get("logged_in_at"), source)

    def list(self) -> list[AccountInfo]:
        """Every saved account, and the ones the environment provides. No secrets."""
        infos = []
        for network in NETWORKS:
            record = self.store.load(network)
            if record:
                infos.append(self._info(network, record))
        saved = {i.network for i in infos}
        if "bluesky" not in saved and self._env("PORTABILITE_BLUESKY_HANDLE") \
                and self._env("PORTABILITE_BLUESKY_APP_PASSWORD"):
            infos.append(AccountInfo("bluesky", self._env("PORTABILITE_BLUESKY_HANDLE") or "",
                                     None, self._env("PORTABILITE_BLUESKY_PDS"), None,
                                     "environment"))
        if "mastodon" not in saved and self._env("PORTABILITE_MASTODON_TOKEN") \
                and self._env("PORTABILITE_MASTODON_INSTANCE"):
            infos.append(AccountInfo("mastodon", "?", None,
                                     self._env("PORTABILITE_MASTODON_INSTANCE"), None,
                                     "environment"))
        return infos
