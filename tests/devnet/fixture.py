"""pytest plugin: a real local Bluesky network (PLC + PDS + AppView) on 127.0.0.1.

Register it from ``tests/conftest.py``::

    pytest_plugins = ["tests.devnet.fixture"]

and use the session-scoped ``devnet`` fixture in tests marked
``@pytest.mark.integration``.

Where the network comes from, in this order:

1. ``PORTABILITE_DEVNET_READY`` names a ready file (written by
   ``tests/devnet/devnet.sh start DIR``, e.g. from ``.ci/run``): use it.
2. ``tests/devnet/node_modules`` is installed: start a network for this
   session with ``devnet.sh start`` and stop it at the end.
3. ``CI=true``: fail loudly (CI must always run the integration tests).
4. Otherwise skip, telling the developer to run ``tests/devnet/devnet.sh install``.

Everything here talks to 127.0.0.1 only, with proxies from the environment
ignored.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TypeVar

import httpx
import pytest

HERE = Path(__file__).resolve().parent
DEVNET_SH = HERE / "devnet.sh"
INSTALL_STAMP = HERE / "node_modules" / ".portabilite-devnet-installed"
READY_ENV = "PORTABILITE_DEVNET_READY"
INSTALL_HINT = (
    "local Bluesky network not installed: run `tests/devnet/devnet.sh install` (needs npm, ~3 min)"
)

# The PDS allows 3..18 characters before the ".test" handle domain.
_HANDLE_FRONT_MAX = 18
_SUFFIX_HEX = 3  # 3 bytes -> 6 hex characters
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"

T = TypeVar("T")


class DevnetError(RuntimeError):
    """The local network could not be started or reached."""


class DevnetTimeout(AssertionError):
    """``wait_indexed`` ran out of time (an AssertionError, so pytest shows it as a failure)."""


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str
    email: str = field(default="", compare=False)


def _truthy(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


class Devnet:
    """Handle on a running local network; built from its ready file."""

    def __init__(self, ready_file: Path, info: Dict[str, Any], owned_dir: Optional[Path] = None):
        self.ready_file = ready_file
        self.info = info
        self.pds_url: str = info["pds"].rstrip("/")
        self.appview_url: str = info["appview"].rstrip("/")
        self.plc_url: str = info["plc"].rstrip("/")
        self.admin_auth = (
            info.get("admin_user", "admin"),
            info.get("admin_password", "admin-pass"),
        )
        self.handle_domain: str = info.get("handle_domain", ".test")
        self.owned_dir = owned_dir
        # trust_env=False: never route loopback traffic through a proxy from the environment.
        self.http = httpx.Client(timeout=30.0, trust_env=False)

    @property
    def postgres_url(self) -> str:
        """The network's own PostgreSQL server (devnet.sh writes its address beside the
        ready file): other tests make their own databases there."""
        return (self.ready_file.parent / "postgres.url").read_text().strip()

    # -- lifecycle ------------------------------------------------------------
    @classmethod
    def from_ready_file(cls, path: Path, owned_dir: Optional[Path] = None) -> "Devnet":
        try:
            info = json.loads(Path(path).read_text())
        except (OSError, ValueError) as exc:
            raise DevnetError(f"cannot read devnet ready file {path}: {exc}") from exc
        for key in ("pds", "appview", "plc"):
            if key not in info:
                raise DevnetError(f"devnet ready file {path} has no {key!r} url")
        net = cls(Path(path), info, owned_dir)
        net.check_health()
        return net

    def check_health(self) -> None:
        try:
            self.http.get(f"{self.pds_url}/xrpc/_health").raise_for_status()
            self.http.get(f"{self.appview_url}/xrpc/_health").raise_for_status()
        except httpx.HTTPError as exc:
            raise DevnetError(f"devnet from {self.ready_file} is not answering: {exc!r}") from exc

    def close(self) -> None:
        self.http.close()

    # -- helpers ----------------------------------------------------------------
    def wait_indexed(
        self,
        predicate: Callable[[], T],
        timeout: float = 10,
        interval: float = 0.05,
        what: str = "condition",
    ) -> T:
        """Poll ``predicate`` until it returns something truthy and return that.

        The AppView indexes asynchronously (tens of ms to about a second), so
        tests poll rather than sleep. Exceptions raised by the predicate count
        as "not yet" (e.g. 'Profile not found' before indexing); the last one is
        reported if time runs out.
        """
        deadline = time.monotonic() + timeout
        last: Any = None
        delay = interval
        while True:
            try:
                result = predicate()
                if result:
                    return result
                last = result
            except Exception as exc:  # noqa: BLE001 - reported below
                last = exc
            if time.monotonic() >= deadline:
                raise DevnetTimeout(f"{what} not met within {timeout}s; last result: {last!r}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    def _xrpc(
        self, base: str, method: str, nsid: str, token: Optional[str] = None, **kwargs: Any
    ) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["authorization"] = f"Bearer {token}"
        return self.http.request(method, f"{base}/xrpc/{nsid}", headers=headers, **kwargs)

    def appview_profile(self, actor: str) -> Optional[Dict[str, Any]]:
        """app.bsky.actor.getProfile straight from the AppView, or None if unknown."""
        res = self._xrpc(
            self.appview_url, "GET", "app.bsky.actor.getProfile", params={"actor": actor}
        )
        if res.status_code == 200:
            return res.json()
        return None

    def create_account(
        self,
        handle_prefix: str,
        description: Optional[str] = None,
        display_name: Optional[str] = None,
        timeout: float = 15,
    ) -> Account:
        """Create a fresh account on the PDS and wait until the AppView knows it.

        The handle is ``<prefix><6 hex>.test`` (prefix lower-cased, reduced to
        [a-z0-9-] and cut to 12 characters). When ``description`` or
        ``display_name`` is given, an app.bsky.actor.profile record is written
        and this waits until the AppView shows it. Waiting matters: the atproto
        SDK's ``Client.login`` fetches the profile from the AppView and fails
        with "Profile not found" on a not-yet-indexed account.
        """
        front = re.sub(r"[^a-z0-9-]", "", handle_prefix.lower()).strip("-") or "user"
        front = front[: _HANDLE_FRONT_MAX - 2 * _SUFFIX_HEX] + secrets.token_hex(_SUFFIX_HEX)
        handle = f"{front}{self.handle_domain}"
        password = "pw-" + secrets.token_urlsafe(12)
        email = f"{front}@example.com"
        res = self._xrpc(
            self.pds_url,
            "POST",
            "com.atproto.server.createAccount",
            json={"handle": handle, "email": email, "password": password},
        )
        if res.status_code != 200:
            raise DevnetError(f"createAccount {handle} failed: {res.status_code} {res.text}")
        body = res.json()
        did, token = body["did"], body["accessJwt"]

        profile: Dict[str, Any] = {}
        if display_name is not None:
            profile["displayName"] = display_name
        if description is not None:
            profile["description"] = description
        if profile:
            res = self._xrpc(
                self.pds_url,
                "POST",
                "com.atproto.repo.putRecord",
                token=token,
                json={
                    "repo": did,
                    "collection": "app.bsky.actor.profile",
                    "rkey": "self",
                    "record": {"$type": "app.bsky.actor.profile", **profile},
                },
            )
            if res.status_code != 200:
                raise DevnetError(
                    f"putRecord profile for {handle} failed: {res.status_code} {res.text}"
                )

        def indexed() -> bool:
            view = self.appview_profile(did)
            if not view or view.get("handle") != handle:
                return False
            return all(view.get(k) == v for k, v in profile.items())

        self.wait_indexed(indexed, timeout=timeout, what=f"AppView indexing of {handle}")
        return Account(handle=handle, did=did, password=password, email=email)

    def client(self, account: Account) -> Any:
        """An ``atproto.Client`` on this PDS, logged in as ``account``."""
        from atproto import Client

        client = Client(base_url=self.pds_url)
        client.login(account.handle, account.password)
        return client

    @staticmethod
    def fake_did(seed: Optional[str] = None) -> str:
        """A syntactically valid did:plc that no account has (24 base32 chars)."""
        if seed is None:
            raw = secrets.token_bytes(24)
        else:
            import hashlib

            raw = hashlib.sha256(seed.encode()).digest()[:24]
        return "did:plc:" + "".join(_BASE32[b % 32] for b in raw)


# -- starting and stopping ------------------------------------------------------
def _run_devnet_sh(
    *args: str, timeout: float, env: Optional[Dict[str, str]] = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(DEVNET_SH), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def start_devnet(run_dir: Optional[Path] = None, timeout: float = 180) -> Devnet:
    """Start a network with devnet.sh in a fresh directory; caller must ``stop_devnet``."""
    if run_dir is None:
        base = HERE / ".run"
        base.mkdir(exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix=f"session-{os.getpid()}-", dir=base))
        run_dir.chmod(0o755)  # the postgres user must reach its data dir inside
    env = dict(os.environ)
    # If this process dies without teardown, devnet.sh's watchdog stops the network.
    env["DEVNET_OWNER_PID"] = str(os.getpid())
    try:
        proc = _run_devnet_sh("start", str(run_dir), timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        _run_devnet_sh("stop", str(run_dir), timeout=60)
        raise DevnetError(f"devnet.sh start {run_dir} timed out after {timeout}s") from exc
    if proc.returncode != 0:
        raise DevnetError(
            f"devnet.sh start {run_dir} failed (exit {proc.returncode}); logs kept in {run_dir}\n"
            f"{proc.stderr[-6000:]}"
        )
    ready = Path(proc.stdout.strip().splitlines()[-1])
    try:
        return Devnet.from_ready_file(ready, owned_dir=run_dir)
    except Exception:
        _run_devnet_sh("stop", str(run_dir), timeout=60)
        raise


def stop_devnet(net: Devnet) -> None:
    net.close()
    if net.owned_dir is not None:
        proc = _run_devnet_sh("stop", str(net.owned_dir), timeout=90)
        if proc.returncode != 0:
            raise DevnetError(f"devnet.sh stop {net.owned_dir} failed: {proc.stderr[-3000:]}")


@pytest.fixture(scope="session")
def devnet():
    """A running local Bluesky network (see the module docstring)."""
    ready = os.environ.get(READY_ENV)
    if ready:
        try:
            net = Devnet.from_ready_file(Path(ready))
        except DevnetError as exc:
            pytest.fail(f"{READY_ENV}={ready}: {exc}", pytrace=False)
        yield net
        net.close()
        return

    if INSTALL_STAMP.is_file():
        try:
            net = start_devnet()
        except DevnetError as exc:
            pytest.fail(str(exc), pytrace=False)
        try:
            yield net
        finally:
            stop_devnet(net)
        return

    if _truthy(os.environ.get("CI")):
        pytest.fail(
            f"CI=true but no local Bluesky network: set {READY_ENV} (see tests/devnet/devnet.sh start) "
            f"or install it first; {INSTALL_HINT}",
            pytrace=False,
        )
    pytest.skip(INSTALL_HINT)
