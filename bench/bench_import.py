"""Import benchmark: wall time and peak memory of `import_archive` against the floor.

The floor is the least any importer must do: read and inflate the same archive members and
`orjson.loads` each of them (after the `window.YTD... =` prefix). Each measurement runs in a
fresh process so peak RSS is its own.

    python bench/make_archive.py /tmp/large.zip                      # 1M followers, 200k tweets
    python bench/bench_import.py /tmp/large.zip [--runs 3]

Targets (issue 2): import time <= 1.5 x floor, peak RSS <= 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

FLOOR = r"""
import sys, time, orjson
from portabilite.archive import open_archive, DATA_TYPES
start = time.perf_counter()
with open_archive(sys.argv[1]) as a:
    for kind in DATA_TYPES:
        for member, _ in a.files(kind):
            data = a.container.read(member.key)
            body = data[data.index(b"=") + 1:].rstrip().rstrip(b";")
            value = orjson.loads(body)
            del value, data, body
print(time.perf_counter() - start)
"""

IMPORT = r"""
import sys, time
from portabilite import import_archive
start = time.perf_counter()
result = import_archive(sys.argv[1], sys.argv[2])
elapsed = time.perf_counter() - start
print(elapsed)
print(result.counts, file=sys.stderr)
"""


def measure(code: str, *args: str) -> tuple[float, float]:
    """(seconds reported by the child, the child's peak RSS in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kb < before:  # ru_maxrss of children is a max over all of them
        peak_kb = before
    return float(proc.stdout.strip()), peak_kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    floors, imports, floor_rss, import_rss = [], [], 0.0, 0.0
    for _ in range(args.runs):
        seconds, rss = measure(FLOOR, args.archive)
        floors.append(seconds)
        floor_rss = max(floor_rss, rss)
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, _ = measure(IMPORT, args.archive, os.path.join(tmp, "ws.sqlite3"))
            imports.append(seconds)
    # peak RSS of the import alone, in a process that never ran the floor
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                IMPORT
                + "\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)",
                args.archive,
                os.path.join(tmp, "ws.sqlite3"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        import_rss = int(proc.stderr.strip().splitlines()[-1]) / 1024
    floor, best = min(floors), min(imports)
    report = {
        "archive": args.archive,
        "archive_bytes": os.path.getsize(args.archive),
        "floor_seconds": round(floor, 2),
        "import_seconds": round(best, 2),
        "ratio": round(best / floor, 2),
        "import_peak_rss_mb": round(import_rss),
        "floor_peak_rss_mb_at_most": round(floor_rss),
        "runs": args.runs,
        "targets": {"ratio": 1.5, "import_peak_rss_mb": 400},
        "ok": best / floor <= 1.5 and import_rss <= 400,
    }
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
