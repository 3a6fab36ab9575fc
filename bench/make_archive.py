"""Write a synthetic X archive of a chosen size (fictional accounts only).

    python bench/make_archive.py OUT.zip --followers 1000000 --following 5000 \
        --tweets 200000 --tweets-per-part 50000

Tweets mention accounts the user follows (so handle hints are exercised as in real archives).
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from portabilite.archive.synthetic import ArchiveWriter

BASE = 1_600_000_000_000_000_000


def build(followers: int, following: int, tweets: int, seed: int = 1) -> ArchiveWriter:
    rng = random.Random(seed)
    writer = ArchiveWriter(
        str(BASE),
        "bench_owner",
        "Bench Owner",
        bio="Synthetic benchmark account",
        location="Nowhere",
    )
    writer.following = [str(BASE + 1_000 + i) for i in range(following)]
    writer.followers = [str(BASE + rng.randrange(10**17)) for _ in range(followers)]
    writer.blocks = writer.followers[:50]
    writer.mutes = writer.followers[50:80]
    for i in range(tweets):
        who = rng.randrange(following) if following else 0
        day = 1 + i % 28
        mentions = (
            [(str(BASE + 1_000 + who), f"person_{who}", f"Person {who} é")]
            if following and i % 3
            else []
        )
        writer.add_tweet(
            str(BASE + 10**12 + i),
            f"2024-{1 + i % 12:02d}-{day:02d}T10:{i % 60:02d}:00Z",
            f"Tweet {i} with some text, accents é à ü and an emoji 🚲 " + "x" * (i % 120),
            mentions=mentions,
            reply_to=(str(BASE + 1_000 + who), f"person_{who}")
            if following and i % 5 == 0
            else None,
        )
    return writer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--followers", type=int, default=1_000_000)
    parser.add_argument("--following", type=int, default=5_000)
    parser.add_argument("--tweets", type=int, default=200_000)
    parser.add_argument("--tweets-per-part", type=int, default=50_000)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    build(args.followers, args.following, args.tweets).write_zip(
        args.out, tweets_per_part=args.tweets_per_part
    )
    print(f"wrote {args.out} in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
