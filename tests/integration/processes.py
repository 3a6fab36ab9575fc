"""Running the real command in real processes against the local network, and killing it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from portabilite.accounts import Accounts
from portabilite.secrets import CredentialStore


def logged_in_env(devnet, tmp_path, account, monkeypatch) -> dict[str, str]:
    """An environment for `python -m portabilite` pointing at the local network, with the
    account's session saved (in this process too, through monkeypatch)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTABILITE_")}
    env.update(
        {
            "PORTABILITE_CONFIG_DIR": str(tmp_path / "cfg"),
            "PORTABILITE_KEYRING": "0",
            "PORTABILITE_BLUESKY_APPVIEW": devnet.appview_url,
            "PORTABILITE_PLC_URL": devnet.plc_url,
            "PORTABILITE_ALLOW_HOSTS": "localhost,127.0.0.1",
            "PORTABILITE_LANG": "en",
        }
    )
    for key, value in env.items():
        if key.startswith("PORTABILITE_"):
            monkeypatch.setenv(key, value)
    Accounts(CredentialStore(tmp_path / "cfg", keyring_backend=None)).login_bluesky(
        account.handle, account.password
    )
    return env


def kill_at_random_then_finish(
    args: list[str], env: dict[str, str], *, rounds: int, window: tuple[float, float], seed: int
) -> int:
    """Start the command `rounds` times, SIGKILL it at a random moment in `window` seconds,
    then run it to the end (which must succeed). Returns how many runs were killed."""
    command = [sys.executable, "-m", "portabilite", *args]
    rng = random.Random(seed)
    kills = 0
    for _ in range(rounds):
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(*window))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    return kills
