"""Grouping time against the number of mentions: `extract/grouping.py` `group()` at 2k to 20k.

    .venv/bin/python bench/group_speed.py [--sizes 2000,5000,10000,20000] [--repeats 3]

Mentions are generated: a department, an action (a deed verb and a two-to-four word object
from a vocabulary of a few thousand words), a date and a heading; about a third repeat an
earlier mention's action, so groups form. Objects end in one of a dozen common nouns
("strategy", "review", "scheme"), as real ones do. Linear growth shows as a flat time per mention.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extract.grouping import Unit, group  # noqa: E402

OWNERS = ["Department for Education", "Department of Health and Social Care", "HM Treasury", "Home Office",
          "Ministry of Defence", "Department for Transport", "Cabinet Office", "Ministry of Justice"]
NOUNS = ["strategy", "review", "scheme", "fund", "plan", "programme", "framework", "guidance", "regime",
         "consultation", "report", "pilot"]
VERBS = ["publish", "introduce", "consult on", "review", "bring forward", "set out", "respond to", "deliver"]
SYLLABLES = ["ra", "tel", "mon", "ver", "cas", "lin", "dor", "pex", "sul", "gan", "fir", "bol", "ket", "zan"]


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    return sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))) for _ in range(size)})


def units(count: int, seed: int = 14) -> list[Unit]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    made: list[tuple[str, str]] = []
    out = []
    for n in range(count):
        if made and rng.random() < 0.35:
            owner, action = rng.choice(made)  # the same commitment mentioned again
        else:
            owner = rng.choice(OWNERS)
            action = f"{rng.choice(VERBS)} the {' '.join(rng.sample(words, rng.randrange(2, 5)))} {rng.choice(NOUNS)}"
            made.append((owner, action))
        day = f"{2015 + n * 10 // count}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        out.append(Unit(id=f"m{n}", owner=owner, action=action, date=day,
                        context=" ".join(rng.sample(words, 3))))
    return out


def measure(sizes=(2000, 5000, 10000, 20000), repeats: int = 3, budget: float = 120.0) -> dict:
    """Sizes after one that took longer than `budget` seconds are left out (and listed)."""
    rows, left_out = [], []
    for size in sizes:
        if rows and rows[-1]["seconds"] > budget:
            left_out.append(size)
            continue
        mentions = units(size)
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            groups = group(mentions)
            best = min(best, time.perf_counter() - start)
        rows.append({"mentions": size, "groups": len(groups), "seconds": round(best, 3),
                     "us_per_mention": round(best / size * 1e6, 1)})
    # Linear: the time per mention at the largest size over that at the smallest.
    return {"measure": "grouping", "runs": rows, "left_out_over_budget": left_out,
            "growth": round(rows[-1]["us_per_mention"] / rows[0]["us_per_mention"], 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,5000,10000,20000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    result = measure([int(s) for s in args.sizes.split(",")], args.repeats)
    for row in result["runs"]:
        print(row)
    if result["left_out_over_budget"]:
        print(f"left out (the size before took over the budget): {result['left_out_over_budget']}")
    print(f"time per mention, largest over smallest: {result['growth']} (1.0 is linear)")


if __name__ == "__main__":
    main()
