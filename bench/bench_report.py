"""Report benchmark: `portabilite report --html` and `report --json` of a workspace with
1,000,000 followers, beside a floor measured in the same run.

The world: an archive with ``--followers`` followers and ``--following`` followings
(bench/make_archive.py), imported with `portabilite import`; then candidates stored the way the
matcher stores them (``CandidateRun``, the ``match`` table's owner) for a share of them
(``--matched``: 1% of the followers, half of the followings), with the evidence the matcher
gives: confirmed (the X id in a directory, a handle in the X bio, a back-link), probable (up
to three per account and network: a directory row by handle, a guessed handle with the same
name), rejected (a namesake, an impersonator), Bridgy Fed mirrors on either side, Mastodon
accounts spread over 60 fictional servers (a few large ones, a long tail), and some reviews
(``decide_all``: probable accepted, confirmed rejected). By default: 21,000 match rows; of the
followers, 4,400 confirmed on Bluesky and 3,900 on Mastodon (1,700 and 1,600 to review), of
the followings 1,100 and 1,000 (``--matched 0.2``: 335,000 rows, 86,000 and 77,000 followers
confirmed). The workspace is built once and kept in ``--cache`` (keyed by the world's
parameters and the schema's version), so a second run measures at once. The report's figures
are checked against the world (``figures_right``).

The floor is what any report of this workspace must at least do, in a process of its own: start
Python, open the workspace with sqlite3, count the audience (``SELECT kind, count(*) FROM
relation ... GROUP BY kind``: one pass over the relation table's 1,000,000 rows) and count the
matches per network and status among the accounts still followed or following (the group-by of
the match table joined with the relation table, one lookup per match row). No report can say
"n of your 1,000,000 followers are on Bluesky" with less; what the command does beyond that is
its own cost (click, the i18n layer, pygal and Jinja2 for the page, the best status per person,
the servers, the journal, the posts and the reserve).

Each command runs as a separate process, alternated (floor, html, json, floor...) so that the
machine's state is the same for all, after one untimed warm-up of each; the wall time includes
the process start, the peak RSS is the child's own (read by a small wrapper process). Medians
of ``--runs``.

    python bench/bench_report.py [--runs 5] [--followers 1000000] [--matched 0.01]

Target (issue 14): a large workspace (1,000,000 followers) reports in <= 10 s and <= 300 MB,
the page and the JSON alike. Exits 1 when a target is missed or the figures are wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

#: bump when the world below changes, so a cached workspace is built again
WORLD_VERSION = 3
TARGET_SECONDS = 10
TARGET_MB = 300

FLOOR = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
totals = dict(db.execute(
    "SELECT kind, count(*) FROM relation WHERE removed_import IS NULL GROUP BY kind"
))
per = db.execute(
    "SELECT m.relation, m.network, m.status, count(DISTINCT m.x_id) FROM match m"
    " JOIN relation r ON r.kind = m.relation AND r.x_id = m.x_id"
    " WHERE r.removed_import IS NULL GROUP BY 1, 2, 3"
).fetchall()
print(totals["follower"], len(per))
"""

#: fictional Mastodon servers; the first few hold most accounts, as on the real fediverse
INSTANCES = [f"social{k}.example" for k in range(1, 61)]
STATUSES = ("confirmed", "probable", "rejected")


class Counts:
    """What the report must say, per relation: the best status each person has per network
    (after the reviews), the bridged among the confirmed, the confirmed anywhere, the servers."""

    def __init__(self) -> None:
        self.best: dict[tuple[str, str], dict[str, int]] = {}  # (relation, network) -> x_id
        self.bridged: dict[tuple[str, str], set[str]] = {}
        self.hosts: dict[str, dict[str, set[str]]] = {}  # relation -> host -> x_ids

    def add(self, relation: str, network: str, x_id: str, status: str, bridged: bool) -> None:
        rank = {"confirmed": 3, "probable": 2, "rejected": 1}[status]
        best = self.best.setdefault((relation, network), {})
        best[x_id] = max(best.get(x_id, 0), rank)
        if status == "confirmed" and bridged:
            self.bridged.setdefault((relation, network), set()).add(x_id)

    def host(self, relation: str, host: str, x_id: str) -> None:
        self.hosts.setdefault(relation, {}).setdefault(host, set()).add(x_id)

    def expected(self, relation: str, total: int) -> dict:
        out: dict = {"total": total}
        anywhere: set[str] = set()
        for network in ("bluesky", "mastodon"):
            best = self.best.get((relation, network), {})
            per = {s: 0 for s in STATUSES}
            for x_id, rank in best.items():
                per[STATUSES[3 - rank]] += 1
                if rank == 3:
                    anywhere.add(x_id)
            per["bridged"] = len(self.bridged.get((relation, network), ()))
            per["not_found"] = total - len(best)
            out[network] = per
        out["anywhere"] = len(anywhere)
        hosts = sorted(self.hosts.get(relation, {}).items(), key=lambda h: (-len(h[1]), h[0]))
        out["instances"] = [[host, len(ids)] for host, ids in hosts[:10]]
        return out


def _did(n: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    chars = []
    for _ in range(24):
        n, r = divmod(n, 32)
        chars.append(alphabet[r])
    return "did:plc:" + "".join(chars)


def candidates_for(
    rng: random.Random, x_id: str, relation: str, n: int, counts: Counts
) -> tuple[list, list[tuple[str, str, str, str]]]:
    """The candidates of one X account (person ``n`` of the world), and the reviews to record
    as (x_id, network, account, decision)."""
    from portabilite.matching import Candidate, Evidence
    from portabilite.matching._addresses import bridged_bluesky_handle, bridged_mastodon_address

    name = f"Person {n}"
    screen = f"person_{n}"
    directory = Evidence.of("directory_x_id", source="bench-directory.csv", dated="2026-11-01")
    same_name = Evidence.of("name_match", name=name)
    out: list = []
    reviews: list[tuple[str, str, str, str]] = []
    on_sky = rng.random() < 0.7
    on_fedi = not on_sky or rng.random() < 0.45
    confirmed: dict[str, Candidate] = {}
    for network, present in (("bluesky", on_sky), ("mastodon", on_fedi)):
        if not present:
            continue
        roll = rng.random()
        status = "confirmed" if roll < 0.55 else "probable" if roll < 0.85 else "rejected"
        tries = 1 if status != "probable" else rng.choice((1, 1, 2, 3))
        for k in range(tries):
            if network == "bluesky":
                handle = f"person{n}{'-' * k}.bsky.social"
                account = _did(n * 4 + k)
            else:
                host = INSTANCES[min(int(rng.paretovariate(1.1)) - 1, len(INSTANCES) - 1)]
                account = handle = f"person{n}{'_' * k}@{host}"
            cand = Candidate(x_id, relation, network, account, handle, name)
            guess = Evidence.through("handle_guess", screen, True, handle=handle)
            if status == "confirmed":
                evidence = rng.choice(
                    [
                        [directory],
                        [Evidence.of("bio_handle", account=f"@{handle}", where="bio")],
                        [Evidence.through("back_link", screen, True, network=network), same_name],
                    ]
                )
            elif status == "probable":
                evidence = (
                    [Evidence.through("directory_x_handle", screen, True, source="bench.csv")]
                    if k == 0 and rng.random() < 0.5
                    else [guess, same_name]
                )
            else:
                evidence = (
                    [same_name, Evidence.of("search_hit", query=name)]
                    if rng.random() < 0.8
                    else [guess, Evidence.of("impersonation_label")]
                )
            for item in evidence:
                cand.add(item)
            out.append(cand)
            effective = status
            review = rng.random()
            if status == "probable" and k == 0 and review < 0.15:
                reviews.append((x_id, network, account, "accepted"))
                effective = "confirmed"
            elif status == "probable" and review > 0.95:
                reviews.append((x_id, network, account, "rejected"))
                effective = "rejected"
            elif status == "confirmed" and review < 0.01:
                reviews.append((x_id, network, account, "rejected"))
                effective = "rejected"
            counts.add(relation, network, x_id, effective, False)
            if status == effective == "confirmed":  # mirrors are of proven accounts only
                confirmed[network] = cand
            if effective == "confirmed":
                if network == "mastodon":
                    counts.host(relation, account.split("@", 1)[1].lower(), x_id)
    # Bridgy Fed mirrors, for people proven on one network only (a tenth of them)
    for network, other in (("bluesky", "mastodon"), ("mastodon", "bluesky")):
        native = confirmed.get(network)
        if native is None or (on_sky and on_fedi) or rng.random() >= 0.1:
            continue
        if other == "mastodon":
            account = handle = bridged_mastodon_address(native.handle or "")
        else:
            handle = bridged_bluesky_handle(native.account)
            account = _did(10**9 + n)
        mirror = Candidate(x_id, relation, other, account, handle, name, bridged=True)
        for item in native.evidence:
            mirror.add(item)
        out.append(mirror)
        counts.add(relation, other, x_id, "confirmed", True)
        if other == "mastodon":
            counts.host(relation, account.split("@", 1)[1], x_id)
    return out, reviews


def build_workspace(path: str, args: argparse.Namespace) -> dict:
    """Import a generated archive into a new workspace at ``path``, store the candidates and
    the reviews; return the figures the report must give (``--json``'s following/followers)."""
    from make_archive import build

    from portabilite import Workspace
    from portabilite.matching import decide_all
    from portabilite.matching._store import CandidateRun

    folder = os.path.dirname(path)
    start = time.perf_counter()
    writer = build(args.followers, args.following, 20_000, seed=args.seed)
    archive = os.path.join(folder, "archive.zip")
    writer.write_zip(archive, tweets_per_part=50_000)
    exe = os.path.join(os.path.dirname(sys.executable), "portabilite")
    subprocess.run([exe, "-w", path, "import", archive], check=True, capture_output=True, text=True)
    os.remove(archive)
    print(f"archive imported in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    rng = random.Random(args.seed)
    counts = Counts()
    people = [("following", x_id, 0.5) for x_id in writer.following] + [
        ("follower", x_id, args.matched) for x_id in writer.followers
    ]
    reviews: list[tuple[str, str, str, str]] = []
    with Workspace.open(path, create=False) as ws:
        with CandidateRun(ws) as run:
            batch: list = []
            for n, (relation, x_id, share) in enumerate(people):
                if rng.random() >= share:
                    continue
                made, decided = candidates_for(rng, x_id, relation, n, counts)
                batch.extend(made)
                reviews.extend(decided)
                if len(batch) >= 10_000:
                    run.add(batch)
                    batch = []
            run.add(batch)
        ids = {
            (x_id, network, account): id_
            for id_, x_id, network, account in ws.conn.execute(
                "SELECT id, x_id, network, account FROM match"
            )
        }
        decide_all(ws, {ids[key[:3]]: key[3] for key in reviews})
        # a sample of 384 followers read (report --sample 384): the report estimates from it
        from portabilite.matching._hydrate import store_profiles
        from portabilite.networks.x import XProfile
        from portabilite.report import draw_sample

        store_profiles(
            ws,
            [XProfile(x_id, f"u{x_id}", "N", "", None, "") for x_id in draw_sample(ws, 384)],
        )
        stored = ws.conn.execute("SELECT count(*) FROM match").fetchone()[0]
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(
        f"{stored} candidates stored, {len(reviews)} reviews, in"
        f" {time.perf_counter() - start:.0f} s",
        file=sys.stderr,
    )
    return {
        "following": counts.expected("following", len(writer.following)),
        "followers": counts.expected("follower", len(set(writer.followers))),
        "match_rows": stored,
    }


def cached_workspace(args: argparse.Namespace) -> tuple[str, dict]:
    """The world's workspace and its expected figures, built on the first run only."""
    from portabilite.workspace._schema import SCHEMA_VERSION

    key = (
        f"f{args.followers}-g{args.following}-m{args.matched}-s{args.seed}"
        f"-schema{SCHEMA_VERSION}-world{WORLD_VERSION}"
    )
    folder = os.path.join(args.cache, key)
    path = os.path.join(folder, "workspace.sqlite3")
    expected_path = os.path.join(folder, "expected.json")
    if os.path.exists(expected_path) and os.path.exists(path):
        with open(expected_path) as fp:
            return path, json.load(fp)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    expected = build_workspace(path, args)
    with open(expected_path + ".tmp", "w") as fp:
        json.dump(expected, fp)
    os.replace(expected_path + ".tmp", expected_path)  # last: a half-built world is rebuilt
    return path, expected


#: runs one command and writes its wall time and peak RSS (KiB) to a file: a small process of
#: its own, so the peak read is the command's (a child forked from this process, which holds
#: the world it built, would start with this process's pages counted)
WRAPPER = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as fp:
    fp.write(f"{wall} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(code)
"""


def run(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one process, its start included."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = os.path.join(tmp, "figures")
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, figures, *command], capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
        with open(figures) as fp:
            wall, peak_kb = fp.read().split()
    return float(wall), int(peak_kb) / 1024, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--followers", type=int, default=1_000_000)
    parser.add_argument("--following", type=int, default=5_000)
    parser.add_argument(
        "--matched", type=float, default=0.01, help="share of the followers with candidates"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        default=os.path.join(tempfile.gettempdir(), "portabilite-bench-report"),
        help="where the built workspace is kept between runs",
    )
    parser.add_argument("--json", action="store_true", help="print the figures only, as JSON")
    args = parser.parse_args(argv)
    workspace, expected = cached_workspace(args)
    exe = os.path.join(os.path.dirname(sys.executable), "portabilite")
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        commands = {
            "floor": [sys.executable, "-c", FLOOR, workspace],
            "html": [exe, "report", "--html", page, "--workspace", workspace],
            "json": [exe, "report", "--json", "--workspace", workspace],
        }
        for command in commands.values():  # warm the file cache and the bytecode
            run(command)
        times: dict[str, list[float]] = {k: [] for k in commands}
        peaks: dict[str, float] = {k: 0.0 for k in commands}
        outputs: dict[str, str] = {}
        for _ in range(args.runs):
            for name, command in commands.items():
                seconds, peak, outputs[name] = run(command)
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
        page_bytes = os.path.getsize(page)
    report = json.loads(outputs["json"])
    wrong = [
        relation
        for relation in ("following", "followers")
        if report[relation] != expected[relation]
    ]
    floor = statistics.median(times["floor"])
    result = {
        "followers": args.followers,
        "following": args.following,
        "match_rows": expected["match_rows"],
        "workspace_mb": round(os.path.getsize(workspace) / 2**20),
        "runs": args.runs,
        "floor_s": round(floor, 3),
        "floor_peak_mb": round(peaks["floor"]),
        "html_s": round(statistics.median(times["html"]), 3),
        "html_peak_mb": round(peaks["html"]),
        "html_ratio": round(statistics.median(times["html"]) / floor, 2),
        "html_bytes": page_bytes,
        "json_s": round(statistics.median(times["json"]), 3),
        "json_peak_mb": round(peaks["json"]),
        "json_ratio": round(statistics.median(times["json"]) / floor, 2),
        "followers_share_method": report["portable"]["followers"]["method"],
        "figures_right": not wrong and report["portable"]["followers"]["method"] == "sample",
        "targets": {"seconds": TARGET_SECONDS, "peak_mb": TARGET_MB},
    }
    ok = not wrong and all(
        result[f"{k}_s"] <= TARGET_SECONDS and result[f"{k}_peak_mb"] <= TARGET_MB
        for k in ("html", "json")
    )
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
        for relation in wrong:
            print(
                f"{relation}: the report says {report[relation]},"
                f" the world holds {expected[relation]}",
                file=sys.stderr,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
