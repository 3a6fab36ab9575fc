"""Directory-service benchmark (issue 15): a server holding 1,000,000 signed entries in
PostgreSQL, and a user with 5,000 followings and 100,000 followers looked up against it, beside
a floor measured in the same run.

The world: a PostgreSQL cluster of its own (Debian's server binaries, started by this script
and kept in ``--cache`` between runs), 1,000,000 entries signed by the server's key, of which
30% are accounts of the user's (both networks for a tenth of them); the user's workspace is an
archive from bench/make_archive.py, imported. The server runs as ``portabilite directory serve``
in its own process.

The measure: ``look_up()`` in a fresh process (start-up included), as ``match
--directory-server`` runs it: hash every id, ask every range (4,096 a request), check every
signature of the user's entries, store them in the workspace. The floor, in the same run: a
fresh process that hashes the same ids and reads the same ranges straight from PostgreSQL
(``SELECT body::text ... WHERE prefix = ANY(...)``) and parses them: what any look-up must do,
without HTTP, signatures or the workspace. Medians of ``--runs``, alternated.

    python bench/bench_directory_service.py [--entries 1000000] [--runs 3]

Target: <= 10 s for the look-up. Also printed: the table's size on disk per million entries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TARGET_SECONDS = 10
WORLD_VERSION = 1

LOOK_UP = r"""
import sys, time
start = time.perf_counter()
from portabilite import Workspace
from portabilite.directory_service.client import look_up
with Workspace.open(sys.argv[1]) as ws:
    found = look_up(ws, sys.argv[2], refresh=True)
print(found["entries"], found["ranges"], time.perf_counter() - start)
"""

FLOOR = r"""
import hashlib, sqlite3, sys, time
start = time.perf_counter()
import orjson, psycopg
ids = [r[0] for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT DISTINCT x_id FROM relation WHERE kind IN ('following', 'follower')")]
prefixes = sorted({hashlib.sha256(b"portabilite-directory:" + i.encode()).hexdigest()[:5] for i in ids})
wanted, kept = set(ids), 0
with psycopg.connect(sys.argv[2]) as db:
    for n in range(0, len(prefixes), 4096):
        for (body,) in db.execute("SELECT body::text FROM entry WHERE prefix = ANY(%s)", (prefixes[n:n + 4096],)):
            kept += orjson.loads(body)["x_id"] in wanted
print(kept, len(prefixes), time.perf_counter() - start)
"""


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL's server is needed: apt-get install postgresql")
    return found[-1].parent


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(folder: Path) -> tuple[str, Path]:
    data = folder / "data"
    bin_ = pg_bin()
    if not data.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        subprocess.run(
            as_postgres(
                [
                    str(bin_ / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-locale",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
    port = free_port()
    subprocess.run(
        as_postgres(
            [
                str(bin_ / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(folder / "log"),
                "-o",
                f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                " -c fsync=off -c max_connections=200",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    return f"postgresql://postgres@127.0.0.1:{port}/postgres", data


def stop_cluster(data: Path) -> None:
    subprocess.run(
        as_postgres([str(pg_bin() / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
        capture_output=True,
    )


def build_world(url: str, key_path: Path, workspace: Path, args: argparse.Namespace) -> None:
    """The user's workspace, and the server's 1,000,000 signed entries (COPY)."""
    import orjson
    import psycopg
    from make_archive import build

    from portabilite import import_archive
    from portabilite.directory_service import load_key
    from portabilite.directory_service._db import migrate
    from portabilite.directory_service._protocol import prefix_of, public_key_text, sign

    writer = build(followers=args.followers, following=args.following, tweets=100)
    with tempfile.TemporaryDirectory() as tmp:
        writer.write_zip(Path(tmp) / "a.zip")
        import_archive(Path(tmp) / "a.zip", workspace)
    rng = random.Random(7)
    mine = writer.following + writer.followers
    ids = set(rng.sample(mine, int(len(mine) * 0.3)))
    while len(ids) < args.entries:
        ids.add(str(10**18 + rng.randrange(10**18)))
    key = load_key(key_path)
    public = public_key_text(key.public_key())
    migrate(url)
    start = time.perf_counter()
    with psycopg.connect(url) as db, db.cursor() as cursor:
        with cursor.copy(
            "COPY entry (x_id, prefix, x_handle, x_proof, bluesky, mastodon,"
            " signed_by, body) FROM STDIN"
        ) as copy:
            for n, x_id in enumerate(sorted(ids)):
                did = "did:plc:" + format(n, "024d")
                entry = sign(
                    key,
                    {
                        "x_id": x_id,
                        "prefix": prefix_of(x_id),
                        "x_handle": f"h{n}",
                        "x_proof": "post" if n % 3 else "self",
                        "bluesky": {"did": did, "handle": f"h{n}.bsky.social"},
                        "mastodon": f"h{n}@social.example" if n % 10 == 0 else None,
                        "proofs": [{"kind": "bluesky_record", "uri": f"at://{did}/x/{n}"}],
                        "created_at": "2026-11-01T00:00:00Z",
                        "updated_at": "2026-11-01T00:00:00Z",
                        "server": "https://bench.example",
                        "signed_by": public,
                    },
                )
                copy.write_row(
                    (
                        x_id,
                        entry["prefix"],
                        entry["x_handle"],
                        entry["x_proof"],
                        did,
                        entry["mastodon"],
                        public,
                        orjson.dumps(entry).decode(),
                    )
                )
        db.execute("ANALYZE entry")
    print(
        f"{len(ids)} entries signed and stored in {time.perf_counter() - start:.0f} s",
        file=sys.stderr,
    )


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) of the child, and its output."""
    import resource

    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True,"
            " text=True); print(r.stdout, end=''); print(r.stderr, end='', file=sys.stderr);"
            " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr);"
            " sys.exit(r.returncode)",
            *command,
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[:3]} failed: {done.stderr[-2000:]}")
    del resource
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--following", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--cache", default=os.path.join(tempfile.gettempdir(), "portabilite-bench-dirsvc")
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    folder = Path(args.cache) / f"v{WORLD_VERSION}-{args.entries}-{args.followers}-{args.following}"
    fresh = not (folder / "world.done").exists()
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chmod(folder, 0o755)
    url, data = start_cluster(folder / "pg")
    workspace, key = folder / "user.sqlite3", folder / "key.pem"
    server = None
    try:
        if fresh:
            build_world(url, key, workspace, args)
            (folder / "world.done").write_text("ok")
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portabilite",
                "directory",
                "serve",
                "--database",
                url,
                "--key",
                str(key),
                "--public-url",
                "https://bench.example",
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        import httpx

        for _ in range(300):
            try:
                httpx.get(base + "/.well-known/portabilite-directory", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        times: dict[str, list[float]] = {"floor": [], "look_up": []}
        peaks = {"floor": 0.0, "look_up": 0.0}
        outputs = {}
        commands = {
            "floor": [sys.executable, "-c", FLOOR, str(workspace), url],
            "look_up": [sys.executable, "-c", LOOK_UP, str(workspace), base],
        }
        for command in commands.values():  # warm the caches
            timed(command)
        for _ in range(args.runs):
            for name, command in commands.items():
                seconds, peak, outputs[name] = timed(command)
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
        import psycopg

        with psycopg.connect(url) as db:
            size = db.execute("SELECT pg_total_relation_size('entry')").fetchone()[0]
        kept = int(outputs["look_up"].split()[0])
        floor_kept = int(outputs["floor"].split()[0])
        floor = statistics.median(times["floor"])
        result = {
            "entries": args.entries,
            "followers": args.followers,
            "following": args.following,
            "ranges": int(outputs["look_up"].split()[1]),
            "entries_kept": kept,
            "floor_s": round(floor, 2),
            "floor_peak_mb": round(peaks["floor"]),
            "look_up_s": round(statistics.median(times["look_up"]), 2),
            "look_up_peak_mb": round(peaks["look_up"]),
            "ratio": round(statistics.median(times["look_up"]) / floor, 2),
            "table_mb_per_million": round(size / 2**20 / (args.entries / 1e6)),
            "figures_right": kept >= floor_kept,  # the floor counts rows, we count accounts
            "target_s": TARGET_SECONDS,
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        stop_cluster(data)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0 if result["figures_right"] and result["look_up_s"] <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
