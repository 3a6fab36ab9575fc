"""Follow-engine benchmark against the real local Bluesky network (tests/devnet).

    bash tests/devnet/devnet.sh install && bash tests/devnet/devnet.sh start /tmp/devnet
    python bench/bench_follow.py /tmp/devnet/ready.json [--follows 1000]

Reports write calls per 1,000 follows, follows per write call, and the time, for a plan of
`--follows` confirmed matches (subjects are DIDs with no account: the PDS accepts such
follows, which keeps the benchmark from creating thousands of accounts).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portabilite import Workspace, import_archive  # noqa: E402
from portabilite.archive.synthetic import ArchiveWriter  # noqa: E402
from portabilite.follow import apply_bluesky, build_plan  # noqa: E402
from portabilite.matching import import_directory, match_workspace  # noqa: E402
from portabilite.networks import HostGuard  # noqa: E402
from portabilite.networks.bluesky import BlueskyClient  # noqa: E402
from tests.devnet.fixture import Devnet  # noqa: E402
from tests.integration.test_bluesky_client import CountingTransport  # noqa: E402

BASE = 1_950_000_000_000_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ready_file")
    parser.add_argument("--follows", type=int, default=1000)
    args = parser.parse_args(argv)
    devnet = Devnet.from_ready_file(Path(args.ready_file))
    account = devnet.create_account("bench")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        writer = ArchiveWriter(str(BASE), "bench_owner", "Bench")
        writer.following = [str(BASE + 1 + i) for i in range(args.follows)]
        writer.write_zip(tmp_path / "a.zip")
        import_archive(tmp_path / "a.zip", tmp_path / "w.sqlite3")
        dids = [devnet.fake_did(f"bench-{account.did}-{i}") for i in range(args.follows)]
        (tmp_path / "d.csv").write_text(
            "x_id,bluesky\n" + "".join(f"{x},{d}\n" for x, d in zip(writer.following, dids))
        )
        transport = CountingTransport()
        guard = HostGuard([devnet.pds_url, devnet.appview_url, devnet.plc_url, "localhost"])
        with (
            Workspace.open(tmp_path / "w.sqlite3") as ws,
            BlueskyClient(
                appview=devnet.appview_url, plc=devnet.plc_url, guard=guard, transport=transport
            ) as client,
        ):
            import_directory(ws, tmp_path / "d.csv")
            match_workspace(ws)
            client.login(account.handle, account.password)
            plan = build_plan(ws, networks=["bluesky"], owners={"bluesky": client.did})
            start = time.perf_counter()
            counts = apply_bluesky(ws, plan, client, daily_cap=args.follows, sleep=lambda s: None)
            elapsed = time.perf_counter() - start
            held = len(client.follows())
    calls = transport.count("com.atproto.repo.applyWrites")
    report = {
        "follows": counts["done"],
        "records_in_repo": held,
        "write_calls": calls,
        "follows_per_write_call": round(counts["done"] / max(calls, 1), 1),
        "write_calls_per_1000_follows": round(1000 * calls / max(counts["done"], 1), 2),
        "seconds_without_pacing": round(elapsed, 2),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
