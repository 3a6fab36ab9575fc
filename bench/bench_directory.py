"""Directory import benchmark: rows per second and peak memory of `directory import` against
a floor measured in the same run.

The floor is the least any importer must do: a plain sqlite3 bulk insert of the same rows
(parsed by the csv module) into a table with the same indexes. Each measurement runs in a
fresh process, so its peak RSS is its own.

    python bench/bench_directory.py [--rows 3000000]

Target (issue 12): >= 100,000 rows/s, peak RSS <= 300 MB whatever the file size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

FLOOR = r"""
import csv, resource, sqlite3, sys, time
start = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.executescript('''
CREATE TABLE d (x_id TEXT, x_handle TEXT, network TEXT, account TEXT, source TEXT,
                dated TEXT, imported_at TEXT);
CREATE UNIQUE INDEX du ON d (COALESCE(x_id, ''), lower(COALESCE(x_handle, '')), network,
                             lower(account), source);
CREATE INDEX di ON d (x_id);
CREATE INDEX dh ON d (lower(x_handle));
''')
with open(sys.argv[1], newline="") as fp:
    rows = csv.reader(fp)
    next(rows)
    batch = []
    for x_id, account in rows:
        batch.append((x_id, None, "bluesky", account, "bench", None, "now"))
        if len(batch) >= 20000:
            db.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", batch)
            batch.clear()
    db.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", batch)
db.commit()
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

OURS = r"""
import resource, sys, time
from portabilite import Workspace
from portabilite.matching import import_directory
start = time.perf_counter()
with Workspace.open(sys.argv[2]) as ws:
    import_directory(ws, sys.argv[1])
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str, *args: str) -> tuple[float, int]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]) // 1024  # seconds, MB (ru_maxrss is in KiB on Linux)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="portabilite-directory-")
    csv_path = os.path.join(folder, "directory.csv")
    with open(csv_path, "w") as fp:
        fp.write("x_id,bluesky\n")
        for i in range(args.rows):
            fp.write(f"{1_000_000_000_000_000 + i},user{i}.bsky.social\n")
    floor_s, floor_mb = run(FLOOR, csv_path, os.path.join(folder, "floor.sqlite3"))
    ours_s, ours_mb = run(OURS, csv_path, os.path.join(folder, "ours.sqlite3"))
    result = {
        "rows": args.rows,
        "file_mb": os.path.getsize(csv_path) >> 20,
        "floor_s": round(floor_s, 1),
        "floor_rows_per_s": round(args.rows / floor_s),
        "floor_peak_mb": floor_mb,
        "import_s": round(ours_s, 1),
        "import_rows_per_s": round(args.rows / ours_s),
        "import_peak_mb": ours_mb,
        "ratio": round(ours_s / floor_s, 2),
    }
    print(json.dumps(result, indent=2))
    ok = result["import_rows_per_s"] >= 100_000 and ours_mb <= 300
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
