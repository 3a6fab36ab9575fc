"""Directory benchmark: `directory import` of a large directory, then `match --offline` of a
large account's followers against it, each beside a floor measured in the same run.

The world: an archive with ``--followers`` followers and 5,000 followings (bench/make_archive.py),
and a directory CSV of ``--rows`` rows in random id order, in which a fifth of the followers and
half of the followings have an entry (every tenth row with a Mastodon address too), the rest
being other people.

The floors are the least any tool must do, in plain sqlite3 with the same indexes: for the
import, parse the CSV with the csv module and bulk-insert its rows; for the match, join the
follower ids (already in a table, as the archive import leaves them) with the directory and read
every matching row. Each measurement runs in its own process, so its peak RSS is its own.

    python bench/bench_directory.py [--rows 10000000] [--followers 1000000]

Targets (issue 12): import >= 100,000 rows/s and peak RSS <= 300 MB whatever the file size;
`match --offline` of 1,000,000 followers against 10,000,000 rows <= 10 s, RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SCHEMA = """
CREATE TABLE d (x_id TEXT, x_handle TEXT, network TEXT, account TEXT, source TEXT,
                dated TEXT, imported_at TEXT);
CREATE UNIQUE INDEX du ON d (COALESCE(x_id, ''), lower(COALESCE(x_handle, '')), network,
                             lower(account), source);
CREATE INDEX di ON d (x_id);
CREATE INDEX dh ON d (lower(x_handle));
CREATE TABLE r (x_id TEXT PRIMARY KEY) WITHOUT ROWID;
"""

FLOOR_IMPORT = r"""
import csv, sqlite3, sys, time
start = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.executescript(sys.argv[4])
sql = "INSERT INTO d VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
with open(sys.argv[1], newline="") as fp:
    rows = csv.reader(fp)
    next(rows)
    batch = []
    for x_id, bluesky, mastodon in rows:
        batch.append((x_id, None, "bluesky", bluesky, "bench", None, "now"))
        if mastodon:
            batch.append((x_id, None, "mastodon", mastodon, "bench", None, "now"))
        if len(batch) >= 20000:
            db.executemany(sql, batch)
            batch.clear()
    db.executemany(sql, batch)
db.commit()
print(time.perf_counter() - start)
with open(sys.argv[3]) as fp:  # the follower ids, as the archive import leaves them (untimed)
    db.executemany("INSERT INTO r VALUES (?)", ((line.strip(),) for line in fp))
db.commit()
"""

FLOOR_MATCH = r"""
import sqlite3, sys, time
start = time.perf_counter()
db = sqlite3.connect(sys.argv[1])
n = 0
for row in db.execute("SELECT d.* FROM r JOIN d ON d.x_id = r.x_id"):
    n += 1
print(time.perf_counter() - start)
print(n, file=sys.stderr)
"""

IMPORT = r"""
import sys, time
from portabilite import Workspace
from portabilite.matching import import_directory
start = time.perf_counter()
with Workspace.open(sys.argv[2]) as ws:
    import_directory(ws, sys.argv[1])
print(time.perf_counter() - start)
"""


def child_peak(*command: str) -> tuple[float, int]:
    """(seconds, peak RSS in MB) of a command: the seconds it prints first, else the wall time
    around it (a command line, start-up included); the peak is its own, read by a wrapper
    process (RUSAGE_CHILDREN is a maximum over every child so far)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "out = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
        "first = (out.split() or [''])[0]\n"
        "try:\n    seconds = float(first)\nexcept ValueError:\n    seconds = wall\n"
        "print(seconds, peak)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def write_world(folder: str, rows: int, followers: int) -> tuple[str, str, str]:
    """The archive, the directory CSV and the follower ids file."""
    from make_archive import build

    writer = build(followers, 5_000, 20_000)
    archive = os.path.join(folder, "archive.zip")
    writer.write_zip(archive, tweets_per_part=50_000)
    ids = os.path.join(folder, "followers.txt")
    with open(ids, "w") as fp:
        fp.writelines(f"{x}\n" for x in writer.followers)
    rng = random.Random(12)
    known = writer.followers[::5] + writer.following[::2]
    rng.shuffle(known)
    directory = os.path.join(folder, "directory.csv")
    with open(directory, "w") as fp:
        fp.write("x_id,bluesky,mastodon\n")
        for i in range(rows):
            # the known people spread evenly at random among the others (random ids too, so
            # the rows reach the index in no order), without holding the rows in memory
            if known and rng.random() < len(known) / (rows - i):
                x_id = known.pop()
            else:
                x_id = str(10**18 + rng.randrange(10**18))
            mastodon = f"user{i}@instance{i % 997}.example" if i % 10 == 0 else ""
            fp.write(f"{x_id},user{i}.bsky.social,{mastodon}\n")
    return archive, directory, ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--followers", type=int, default=1_000_000)
    parser.add_argument("--keep", help="write the world in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="portabilite-directory-")
    os.makedirs(folder, exist_ok=True)
    try:
        return measure(args, folder)
    finally:
        if not args.keep:  # gigabytes at the default size
            shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace, folder: str) -> int:
    start = time.perf_counter()
    archive, directory, ids = write_world(folder, args.rows, args.followers)
    print(f"world written in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    floor_db = os.path.join(folder, "floor.sqlite3")
    ours_db = os.path.join(folder, "ours.sqlite3")
    exe = os.path.join(os.path.dirname(sys.executable), "portabilite")
    subprocess.run(
        [exe, "-w", ours_db, "import", archive], check=True, capture_output=True, text=True
    )
    floor_import = child_peak(sys.executable, "-c", FLOOR_IMPORT, directory, floor_db, ids, SCHEMA)
    ours_import = child_peak(sys.executable, "-c", IMPORT, directory, ours_db)
    floor_match = child_peak(sys.executable, "-c", FLOOR_MATCH, floor_db)
    ours_match = child_peak(exe, "-w", ours_db, "match", "--offline", "--json")
    result = {
        "rows": args.rows,
        "followers": args.followers,
        "file_mb": os.path.getsize(directory) >> 20,
        "import": {
            "floor_s": round(floor_import[0], 1),
            "floor_peak_mb": floor_import[1],
            "s": round(ours_import[0], 1),
            "rows_per_s": round(args.rows / ours_import[0]),
            "peak_mb": ours_import[1],
            "ratio": round(ours_import[0] / floor_import[0], 2),
        },
        "match_offline": {
            "floor_s": round(floor_match[0], 1),
            "floor_peak_mb": floor_match[1],
            "s": round(ours_match[0], 1),
            "peak_mb": ours_match[1],
            "ratio": round(ours_match[0] / floor_match[0], 2),
        },
    }
    print(json.dumps(result, indent=2))
    ok = (
        result["import"]["rows_per_s"] >= 100_000
        and ours_import[1] <= 300
        and ours_match[0] <= 10
        and ours_match[1] <= 300
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
