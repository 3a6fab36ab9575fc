"""Matcher benchmark: 5,000 followings looked up on a simulated AppView with 50 ms latency.

    python bench/bench_match.py [--followings 5000] [--latency 0.05] [--exists 0.6]

The simulated server (127.0.0.1, a thread per request) answers app.bsky.actor.getProfiles
after `latency` seconds, knowing a share (`--exists`) of the guessed handles. Reports the total
time, the number of requests, and requests per resolved profile. Target (issue 4): <= 30 s.
Name searches are left out (``search=False``): they are one request per query under the read
pace (2,500 requests per 5 minutes), so their time is the pace's, not ours; bench/match_world.py
counts them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from portabilite import Workspace, import_archive
from portabilite.archive.synthetic import ArchiveWriter
from portabilite.matching import match_workspace
from portabilite.networks import HostGuard
from portabilite.networks.bluesky import BlueskyClient

BASE = 1_800_000_000_000_000_000


def make_server(latency: float, known: dict[str, dict]) -> tuple[ThreadingHTTPServer, list[int]]:
    calls: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            if not url.path.endswith("/app.bsky.actor.getProfiles"):
                self.send_error(404)
                return
            actors = parse_qs(url.query).get("actors", [])
            calls.append(len(actors))
            time.sleep(latency)
            body = json.dumps({"profiles": [known[a] for a in actors if a in known]}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followings", type=int, default=5_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--exists", type=float, default=0.6)
    args = parser.parse_args(argv)
    rng = random.Random(4)
    writer = ArchiveWriter(str(BASE), "bench_owner", "Bench")
    known: dict[str, dict] = {}
    for i in range(args.followings):
        x_id, screen = str(BASE + 1 + i), f"person_{i}"
        writer.following.append(x_id)
        writer.add_tweet(
            str(BASE + 10_000_000 + i),
            "2025-01-01T10:00:00Z",
            f"@{screen}",
            mentions=[(x_id, screen, f"Person {i}")],
        )
        if rng.random() < args.exists:
            handle = f"person{i}.bsky.social"
            known[handle] = {
                "did": "did:plc:"
                + f"{i:024d}".translate(str.maketrans("0123456789", "abcdefghij")),
                "handle": handle,
                "displayName": f"Person {i}",
                "description": f"formerly x.com/{screen}" if i % 2 else "hello",
            }
    server, calls = make_server(args.latency, known)
    url = f"http://127.0.0.1:{server.server_port}"
    with tempfile.TemporaryDirectory() as tmp:
        writer.write_zip(Path(tmp) / "a.zip")
        import_archive(Path(tmp) / "a.zip", Path(tmp) / "w.sqlite3")
        with (
            Workspace.open(Path(tmp) / "w.sqlite3") as ws,
            BlueskyClient(appview=url, guard=HostGuard([url], resolver=None)) as client,
        ):
            start = time.perf_counter()
            counts = match_workspace(ws, bluesky=client, fediverse=False, search=False)
            elapsed = time.perf_counter() - start
            again = time.perf_counter()
            match_workspace(ws, bluesky=client, fediverse=False, search=False)
            rerun = time.perf_counter() - again
    server.shutdown()
    resolved = len(known)
    report = {
        "followings": args.followings,
        "latency_s": args.latency,
        "profiles_existing": resolved,
        "requests": len(calls),
        "actors_asked": sum(calls),
        "max_actors_per_request": max(calls) if calls else 0,
        "requests_per_resolved_profile": round(len(calls) / max(resolved, 1), 3),
        "seconds": round(elapsed, 2),
        "rerun_seconds_from_cache": round(rerun, 2),
        "matches": counts["bluesky"],
        "target_seconds": 30,
        "ok": elapsed <= 30,
    }
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
