"""Secrets stay secret: redaction, the 0600 file, the keyring."""

from __future__ import annotations

import os
import stat

import pytest

from portabilite.errors import RefusedError
from portabilite.secrets import CredentialStore, Secret, redact, register_secret


def test_redact_known_and_token_shaped():
    register_secret("s3cr3t-value-123")
    text = (
        "token s3cr3t-value-123; Authorization: Bearer abcdefgh12345; "
        "eyJhbGciOiJFUzI1NksifQ.eyJzdWIiOiJkaWQ6cGxjOnh4In0.c2ln; "
        "https://x/cb?access_token=zzz999&state=1; app password abcd-efgh-ijkl-mnop; "
        '{"accessJwt": "aaa", "handle": "me"}'
    )
    out = redact(text)
    for secret in (
        "s3cr3t-value-123",
        "abcdefgh12345",
        "eyJhbGciOiJFUzI1NksifQ",
        "zzz999",
        "abcd-efgh-ijkl-mnop",
        '"aaa"',
    ):
        assert secret not in out
    assert "state=1" in out and '"handle": "me"' in out and "Bearer" in out


def test_errors_are_redacted_in_both_languages():
    register_secret("tok_ABCDEF123456")
    err = RefusedError(
        "network.refused", network="mastodon", status=401, reason="invalid token tok_ABCDEF123456"
    )
    assert "tok_ABCDEF123456" not in str(err) and "tok_ABCDEF123456" not in err.message("fr")


def test_secret_does_not_show_itself():
    secret = Secret("hunter2-hunter2")
    assert (
        "hunter2" not in repr(secret)
        and "hunter2" not in str(secret)
        and "hunter2" not in f"{secret}"
    )
    assert secret.reveal() == "hunter2-hunter2"


def test_file_store_is_private_and_atomic(tmp_path):
    store = CredentialStore(tmp_path / "cfg", keyring_backend=None)
    store.save("bluesky", {"handle": "me.example", "session": "sess-xyz-123456"})
    store.save("mastodon", {"instance": "m.example", "access_token": "tok-abc-123456"})
    mode = stat.S_IMODE(os.stat(store.path).st_mode)
    assert mode == 0o600
    assert store.load("bluesky") == {"handle": "me.example", "session": "sess-xyz-123456"}
    assert store.networks() == ["bluesky", "mastodon"]
    assert store.delete("bluesky") and not store.delete("bluesky")
    assert store.load("bluesky") is None and store.load("mastodon")["instance"] == "m.example"
    assert [p.name for p in store.directory.iterdir()] == ["credentials.json"]  # no temp left


class MemoryKeyring:
    priority = 5

    def __init__(self):
        self.data = {}

    def get_password(self, service, name):
        return self.data.get((service, name))

    def set_password(self, service, name, value):
        self.data[(service, name)] = value

    def delete_password(self, service, name):
        del self.data[(service, name)]


def test_keyring_is_used_when_available(tmp_path):
    ring = MemoryKeyring()
    store = CredentialStore(tmp_path, keyring_backend=ring)
    store.save("x", {"username": "me", "access_token": "xtok-0987654321"})
    assert not store.path.exists()  # nothing on disk
    assert ("portabilite", "x") in ring.data
    assert store.load("x")["username"] == "me"
    assert store.location.startswith("keyring:")
    assert store.delete("x") and store.load("x") is None


def test_unreadable_file_is_a_clear_error(tmp_path):
    store = CredentialStore(tmp_path, keyring_backend=None)
    store.path.write_text("{nope")
    from portabilite.errors import CredentialsError

    with pytest.raises(CredentialsError, match="credentials.json"):
        store.load("bluesky")


def test_a_secret_echoed_in_part_or_in_another_case_is_masked():
    from portabilite.secrets import redact, register_secret

    secret = "Tk-9f8e7d6c5b4a3921zzqq"
    register_secret(secret)
    assert secret not in redact(f"token {secret} refused")
    assert "9f8e7d" not in redact("invalid token 'Tk-9f8e7d6c…' (cut)")  # a prefix, cut short
    assert "9F8E7D" not in redact("TOKEN TK-9F8E7D6C5B4A3921ZZQQ")  # upper-cased by a proxy
    assert redact("Tk-9f8e") == "Tk-9f8e"  # fewer than 8 characters: too short to mean it
