"""Secrets: where they are kept, and how they are kept out of every message.

* ``CredentialStore`` keeps one JSON record per network ("bluesky", "mastodon", "x") in the
  system keyring when one is available, else in ``credentials.json`` (mode 0600, written
  atomically) in the per-user config folder (``PORTABILITE_CONFIG_DIR`` overrides it;
  ``PORTABILITE_KEYRING=0`` skips the keyring). Never in the workspace.
* ``register_secret(value)`` makes ``redact()`` replace that value anywhere; every error message
  goes through ``redact()``, which also hides anything shaped like a token (JWTs, bearer
  credentials, ``access_token=`` parameters, Bluesky app passwords). Both live in ``_redact``
  (which ``errors`` imports too) and are re-exported here.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson

from ._reasons import because
from ._redact import MASK, redact, register_secret
from .errors import CredentialsError

__all__ = ["Secret", "register_secret", "redact", "CredentialStore", "SECRET_FIELDS"]

#: record fields that hold secrets (registered for redaction when loaded or saved)
SECRET_FIELDS = frozenset(
    {
        "session",
        "app_password",
        "password",
        "access_token",
        "refresh_token",
        "client_secret",
        "consumer_key",
        "consumer_secret",
        "access_token_secret",
        "code_verifier",
        "bearer_token",
    }
)


class Secret:
    """A string that does not show itself: ``repr``/``str`` print a mask; ``reveal()`` tells."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _config_dir() -> Path:
    env = os.environ.get("PORTABILITE_CONFIG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_config_path("portabilite")


def _keyring_backend() -> Any | None:
    if os.environ.get("PORTABILITE_KEYRING", "").strip().lower() in ("0", "no", "false", "off"):
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - no usable keyring is an ordinary situation
        return None
    if isinstance(backend, fail.Keyring):
        return None
    try:
        if float(getattr(backend, "priority", 0)) <= 0:
            return None
    except Exception:  # noqa: BLE001
        return None
    if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
        return None
    return backend


class CredentialStore:
    """One record (a dict) per network, in the keyring or a 0600 file."""

    SERVICE = "portabilite"

    def __init__(
        self, directory: str | os.PathLike[str] | None = None, keyring_backend: Any | None = "auto"
    ) -> None:
        self.directory = Path(directory) if directory is not None else _config_dir()
        self.path = self.directory / "credentials.json"
        self._keyring = _keyring_backend() if keyring_backend == "auto" else keyring_backend

    @property
    def location(self) -> str:
        """Where secrets go, for people: "system keyring (...)" or the file's path."""
        if self._keyring is not None:
            return f"keyring:{type(self._keyring).__name__}"
        return str(self.path)

    # -- file -------------------------------------------------------------------------------
    def _read_file(self) -> dict[str, Any]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise CredentialsError(
                "credentials.unreadable", path=str(self.path), reason=because(exc)
            ) from None
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise CredentialsError(
                "credentials.unreadable", path=str(self.path), reason=because(exc)
            ) from None
        return value if isinstance(value, dict) else {}

    def _write_file(self, records: dict[str, Any]) -> None:
        from ._files import write_private

        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_private(self.path, orjson.dumps(records, option=orjson.OPT_INDENT_2))
        except OSError as exc:
            raise CredentialsError(
                "credentials.unwritable", path=str(self.path), reason=because(exc)
            ) from None

    # -- records ----------------------------------------------------------------------------
    def load(self, network: str) -> dict[str, Any] | None:
        record: Any = None
        if self._keyring is not None:
            try:
                raw = self._keyring.get_password(self.SERVICE, network)
            except Exception:  # noqa: BLE001 - a locked or broken keyring: use the file
                raw = None
            if raw:
                with contextlib.suppress(orjson.JSONDecodeError):
                    record = orjson.loads(raw)
        if record is None:
            record = self._read_file().get(network)
        if not isinstance(record, dict):
            return None
        for key in SECRET_FIELDS & record.keys():
            register_secret(record[key])
        return record

    def save(self, network: str, record: dict[str, Any]) -> None:
        for key in SECRET_FIELDS & record.keys():
            register_secret(record[key])
        if self._keyring is not None:
            try:
                self._keyring.set_password(self.SERVICE, network, orjson.dumps(record).decode())
                return
            except Exception:  # noqa: BLE001 - fall back to the file
                self._keyring = None
        records = self._read_file()
        records[network] = record
        self._write_file(records)

    def delete(self, network: str) -> bool:
        """Forget the record; True if there was one."""
        found = False
        if self._keyring is not None:
            with contextlib.suppress(Exception):
                if self._keyring.get_password(self.SERVICE, network):
                    self._keyring.delete_password(self.SERVICE, network)
                    found = True
        records = self._read_file()
        if network in records:
            del records[network]
            self._write_file(records)
            found = True
        return found

    def networks(self) -> list[str]:
        names = set(self._read_file())
        if self._keyring is not None:
            for network in ("bluesky", "mastodon", "x"):
                with contextlib.suppress(Exception):
                    if self._keyring.get_password(self.SERVICE, network):
                        names.add(network)
        return sorted(names)
