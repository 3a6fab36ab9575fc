"""`portabilite login bluesky` against the real local network, in real processes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def env_for(devnet, tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTABILITE_")}
    env.update(
        {
            "PORTABILITE_CONFIG_DIR": str(tmp_path / "config"),
            "PORTABILITE_KEYRING": "0",
            "PORTABILITE_BLUESKY_APPVIEW": devnet.appview_url,
            "PORTABILITE_PLC_URL": devnet.plc_url,
            "PORTABILITE_ALLOW_HOSTS": "localhost,127.0.0.1",
            "PORTABILITE_LANG": "en",
        }
    )
    env.update(extra)
    return env


def run(args, env, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "portabilite", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_login_then_a_second_process_reuses_the_session(devnet, tmp_path):
    account = devnet.create_account("cli")
    env = env_for(devnet, tmp_path)
    first = run(
        ["login", "bluesky", "--handle", account.handle, "--app-password-stdin"],
        env,
        stdin=account.password + "\n",
    )
    assert first.returncode == 0, first.stderr
    assert f"Logged in to Bluesky as {account.handle}" in first.stdout

    creds = tmp_path / "config" / "credentials.json"
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600
    record = json.loads(creds.read_text())["bluesky"]
    assert record["did"] == account.did and "password" not in json.dumps(record)
    session_parts = record["session"].split(":::")
    access_jwt, refresh_jwt = session_parts[2], session_parts[3]

    # No password anywhere now: only the saved session can work.
    second = run(["accounts", "--check", "--json"], env)
    assert second.returncode == 0, second.stderr
    rows = json.loads(second.stdout)["accounts"]
    assert rows == [
        {
            **rows[0],
            "network": "bluesky",
            "account": account.handle,
            "id": account.did,
            "check": {"ok": True},
        }
    ]

    for proc in (first, second):
        for secret in (account.password, access_jwt, refresh_jwt):
            assert secret not in proc.stdout and secret not in proc.stderr

    third = run(["logout", "bluesky"], env)
    assert third.returncode == 0 and "Logged out of Bluesky" in third.stdout
    assert run(["accounts", "--check"], env).stdout.startswith("Not logged in anywhere")


def test_wrong_password_one_line_no_secret(devnet, tmp_path):
    account = devnet.create_account("wrongpw")
    env = env_for(devnet, tmp_path)
    bad = run(
        ["login", "bluesky", "--handle", account.handle, "--app-password-stdin"],
        env,
        stdin="abcd-efgh-ijkl-mnop\n",
    )
    assert bad.returncode == 1
    assert bad.stdout == "" and bad.stderr.count("\n") == 1 and "refused the login" in bad.stderr
    assert "abcd-efgh-ijkl-mnop" not in bad.stderr
    assert not (tmp_path / "config" / "credentials.json").exists()


def test_environment_credentials_log_in_once_and_are_reused(devnet, tmp_path):
    account = devnet.create_account("envlogin")
    env = env_for(
        devnet,
        tmp_path,
        PORTABILITE_BLUESKY_HANDLE=account.handle,
        PORTABILITE_BLUESKY_APP_PASSWORD=account.password,
    )
    first = run(["accounts", "--check", "--json"], env)
    assert first.returncode == 0, first.stderr
    saved = json.loads((tmp_path / "config" / "credentials.json").read_text())["bluesky"]["session"]
    second = run(["accounts", "--check", "--json"], env)
    assert second.returncode == 0
    again = json.loads((tmp_path / "config" / "credentials.json").read_text())["bluesky"]["session"]
    assert again == saved  # reused, not a second login
    assert account.password not in first.stdout + first.stderr + second.stdout + second.stderr
