"""`portabilite login mastodon` with a token, replayed on real Mastodon 4.6.4 answers."""

from __future__ import annotations

import json

import pytest
import vcr
import yaml
from click.testing import CliRunner

from portabilite.cli import cli

from .test_mastodon_client import _query_as_recorded

pytestmark = pytest.mark.conformance

TOKEN = "__MASTODON_PY_TEST_ACCESS_TOKEN"  # the placeholder the recordings carry


@pytest.fixture
def recorded_login(shared_dir, tmp_path):
    """The instance description and the account check, as one replay (in tmp, not the project)."""
    folder = shared_dir / "real-servers" / "mastodon-4.6.4"
    instance = yaml.safe_load((folder / "test_instance.yaml").read_text())
    lookup = yaml.safe_load((folder / "test_account_lookup.yaml").read_text())
    verify = [
        i
        for i in lookup["interactions"]
        if i["request"]["uri"].endswith("/api/v1/accounts/verify_credentials")
    ]
    combined = {"version": instance["version"], "interactions": instance["interactions"] + verify}
    path = tmp_path / "login.yaml"
    path.write_text(yaml.safe_dump(combined))
    player = vcr.VCR(record_mode="none")
    player.register_matcher("query_as_recorded", _query_as_recorded)
    return lambda: player.use_cassette(
        str(path), match_on=["method", "scheme", "host", "port", "path", "query_as_recorded"]
    )


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.delenv("PORTABILITE_MASTODON_TOKEN", raising=False)
    return tmp_path / "cfg" / "credentials.json"


def test_login_mastodon_with_a_token(recorded_login, env):
    with recorded_login() as cassette:
        result = CliRunner().invoke(
            cli,
            ["login", "mastodon", "--instance", "http://localhost:3000", "--token-stdin", "--json"],
            input=TOKEN + "\n",
        )
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["network"] == "mastodon" and info["account"].startswith("mastodonpy_test@")
    assert info["server"] == "http://localhost:3000"
    assert TOKEN not in result.output
    assert cassette.play_count == 2
    record = json.loads(env.read_text())["mastodon"]
    assert record["access_token"] == TOKEN and record["acct"] == info["account"]
    listing = CliRunner().invoke(cli, ["accounts"])
    assert "mastodon: mastodonpy_test@" in listing.output and TOKEN not in listing.output
