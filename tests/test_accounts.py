"""The accounts layer and the login commands for X (respx: no X server runs here).
Bluesky's login runs against the real local network (tests/integration/test_login_cli.py)."""

from __future__ import annotations

import json
import os
import stat
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from click.testing import CliRunner

from portabilite.cli import cli

API = "https://api.x.example"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("PORTABILITE_X_API", API)
    return tmp_path / "cfg" / "credentials.json"


def me_ok():
    return httpx.Response(
        200, json={"data": {"id": "2244994945", "username": "exemple_x", "name": "Exemple"}}
    )


@respx.mock
def test_login_x_oauth1_saves_keys_privately_and_never_prints_them(env):
    me = respx.get(f"{API}/2/users/me").mock(return_value=me_ok())
    keys = ["ck-AAAAAAAAAA", "cs-BBBBBBBBBBBBBB", "at-CCCCCCCCCCCC", "ats-DDDDDDDDDDDD"]
    result = CliRunner().invoke(
        cli, ["login", "x", "--oauth1", "--secrets-stdin"], input="\n".join(keys) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Logged in to X as @exemple_x" in result.output
    assert me.called and me.calls[0].request.headers["authorization"].startswith("OAuth ")
    assert stat.S_IMODE(os.stat(env).st_mode) == 0o600
    record = json.loads(env.read_text())["x"]
    assert record["auth"] == "oauth1" and record["username"] == "exemple_x"
    listing = CliRunner().invoke(cli, ["accounts", "--json"])
    for key in keys:
        assert key not in result.output and key not in listing.output
    assert json.loads(listing.output)["accounts"][0]["account"] == "@exemple_x"


@respx.mock
def test_login_x_oauth2_pkce_checks_the_state(env):
    token = respx.post(f"{API}/2/oauth2/token").mock(
        return_value=httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "access_token": "acc-TOKEN-123456",
                "refresh_token": "ref-TOKEN-654321",
                "expires_in": 7200,
                "scope": "tweet.read tweet.write users.read offline.access",
            },
        )
    )
    respx.get(f"{API}/2/users/me").mock(return_value=me_ok())
    from portabilite.accounts import Accounts

    accounts = Accounts()
    pending = accounts.start_x_oauth2("client-123", "http://127.0.0.1:8765/callback")
    query = parse_qs(urlsplit(pending["url"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["client-123"]
    from portabilite.errors import AuthenticationError

    with pytest.raises(AuthenticationError, match="state mismatch"):
        accounts.finish_x_oauth2(pending, "http://127.0.0.1:8765/callback?state=forged&code=abc")
    assert not token.called
    info = accounts.finish_x_oauth2(
        pending, f"http://127.0.0.1:8765/callback?state={pending['state']}&code=the-code-42"
    )
    assert info.account == "@exemple_x"
    form = parse_qs(token.calls[0].request.content.decode())
    assert (
        form["code"] == ["the-code-42"] and form["code_verifier"][0] == pending["verifier"].reveal()
    )
    with accounts.x() as client:
        assert client.auth_mode == "oauth2"
    assert "acc-TOKEN-123456" not in repr(info.to_json())


def test_logout_and_not_logged_in(env):
    result = CliRunner().invoke(cli, ["logout", "x"])
    assert result.exit_code == 0 and "No saved session for X" in result.output
    from portabilite.accounts import Accounts
    from portabilite.errors import NotLoggedInError

    with pytest.raises(NotLoggedInError, match="portabilite login x"):
        Accounts().x()
    with pytest.raises(NotLoggedInError, match="portabilite login bluesky"):
        Accounts().bluesky()


@respx.mock
def test_accounts_check_exits_1_when_a_session_fails(env):
    respx.get(f"{API}/2/users/me").mock(
        side_effect=[
            me_ok(),
            httpx.Response(
                401, json={"title": "Unauthorized", "detail": "Unauthorized", "status": 401}
            ),
        ]
    )
    CliRunner().invoke(
        cli,
        ["login", "x", "--oauth1", "--secrets-stdin"],
        input="ck-AAAAAAAAAA\ncs-BBBBBBBBBBBBBB\nat-CCCCCCCCCCCC\nats-DDDDDDDDDDDD\n",
    )
    result = CliRunner().invoke(cli, ["accounts", "--check"])
    assert result.exit_code == 1
    assert "session does not work" in result.output and "portabilite login x" in result.output
