#!/usr/bin/env python3
"""Generates N synthetic responses to a mend questionnaire as CSV (deterministic).

    python3 bench/generate.py --rows 10000 --questionnaire communication -o responses.csv

The items come from `mend show <questionnaire> --format json`. The header is `id` followed
by every item id. A cell holds a random option value (choice, yesno), a random subset of
option values joined by `;` (multi), a random whole number in [min, max] (number) or a short
text (text); about 10% of the item cells are blank. Items with a `show_if` condition are
filled like the others: mend ignores an answer to a question that was not shown, and the
generated file checks that the pandas script does the same. The same seed always gives the
same file.
"""

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

TEXTS = [
    "We talked more this week.",
    "Hard to say, it depends on the day",
    'He said "later" again, and then forgot.',
    "Better since we started walking together; still tense at dinner",
    "no",
    "We had one long talk on Sunday.\nIt helped.",
]


def mend_command(given):
    """The mend binary: --mend, $MEND, `mend` on PATH, or this repo's release build."""
    if given:
        return [given]
    if os.environ.get("MEND"):
        return [os.environ["MEND"]]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    built = os.path.join(target, "release", "mend")
    if os.path.exists(built):
        return [built]
    if shutil.which("mend"):
        return ["mend"]
    return ["cargo", "run", "--quiet", "--release", "--manifest-path",
            os.path.join(ROOT, "Cargo.toml"), "--"]


def load_items(mend, questionnaire):
    out = subprocess.run(mend + ["show", questionnaire, "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    return [item for section in json.loads(out)["sections"] for item in section["items"]]


def cell(item, rng):
    kind = item["type"]
    if kind in ("choice", "yesno"):
        return str(rng.choice(item["options"])["value"])
    if kind == "multi":
        values = [str(o["value"]) for o in item["options"]]
        return ";".join(rng.sample(values, rng.randint(1, len(values))))
    if kind == "number":
        return str(rng.randint(int(item["min"]), int(item["max"])))
    if kind == "text":
        return rng.choice(TEXTS)
    raise SystemExit(f"item {item['id']}: unknown type {kind}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, required=True, help="number of respondents")
    p.add_argument("--questionnaire", default="communication",
                   help="a built-in id or a questionnaire file (default: communication)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    p.add_argument("--blank", type=float, default=0.1,
                   help="share of blank item cells (default: 0.1)")
    p.add_argument("--mend", help="the mend binary (default: $MEND, target/release/mend, or mend)")
    p.add_argument("-o", "--output", help="the CSV file to write (default: standard output)")
    args = p.parse_args()

    items = load_items(mend_command(args.mend), args.questionnaire)
    rng = random.Random(args.seed)
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    with out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["id"] + [item["id"] for item in items])
        width = len(str(args.rows))
        for n in range(1, args.rows + 1):
            row = [f"r{n:0{width}d}"]
            for item in items:
                row.append("" if rng.random() < args.blank else cell(item, rng))
            w.writerow(row)


if __name__ == "__main__":
    main()
