"""Start-up benchmark: `portabilite --help` against the floor of importing click and rich.

The floor is what any click + rich command-line tool pays before doing anything. Both are run as
fresh processes, alternated (floor, help, floor, help...) so that the machine's state is the
same for both, and the medians compared.

    python bench/bench_help.py [--runs 21]

Target (issue 11): `portabilite --help` <= 2 x the floor, and it imports neither httpx nor the
network SDKs (atproto, Mastodon.py, keyring): the benchmark checks that too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

FLOOR = "import click, rich.console"
HELP = (
    "import sys\n"
    "sys.argv = ['portabilite', '--help']\n"
    "from portabilite.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "heavy = [m for m in ('httpx', 'httpcore', 'atproto', 'mastodon', 'keyring', 'requests')"
    " if m in sys.modules]\n"
    "import json\n"
    "sys.stderr.write(json.dumps(heavy))\n"
)


def run(code: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    run(FLOOR)  # warm the file cache for both
    run(HELP)
    floors, helps, heavy = [], [], ""
    for _ in range(args.runs):
        floors.append(run(FLOOR)[0])
        seconds, heavy = run(HELP)
        helps.append(seconds)
    floor, help_ = statistics.median(floors), statistics.median(helps)
    result = {
        "floor_s": round(floor, 4),
        "help_s": round(help_, 4),
        "ratio": round(help_ / floor, 2),
        "heavy_modules_loaded": json.loads(heavy or "[]"),
        "runs": args.runs,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"floor (import click, rich) {floor * 1000:.0f} ms, portabilite --help "
            f"{help_ * 1000:.0f} ms: {result['ratio']}x (target <= 2x); heavy modules loaded: "
            f"{result['heavy_modules_loaded'] or 'none'}"
        )
    return 0 if result["ratio"] <= 2 and not result["heavy_modules_loaded"] else 1


if __name__ == "__main__":
    sys.exit(main())
