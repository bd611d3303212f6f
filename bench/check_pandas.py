#!/usr/bin/env python3
"""Checks that bench/pandas_score.py scores as `mend batch` does: compares the two CSVs row by
row (by id) on the safety flag and every scale's score (to 2 decimals) and band.

    python3 bench/generate.py --rows 5000 -o r.csv
    mend batch communication r.csv -o mend.csv
    python3 bench/pandas_score.py r.csv -o pandas.csv
    python3 bench/check_pandas.py mend.csv pandas.csv

Exits 1 and lists the first mismatches if any cell differs.
"""

import csv
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def same(column, a, b):
    if column.endswith("_score") and a and b:
        return round(float(a), 2) == round(float(b), 2)
    return a == b


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mend, pandas = rows(sys.argv[1]), rows(sys.argv[2])
    columns = [c for c in next(iter(pandas.values())) if c != "id"]
    problems = []
    if mend.keys() != pandas.keys():
        problems.append(f"different ids: {len(mend.keys() ^ pandas.keys())} not in both files")
    cells = 0
    for rid in mend.keys() & pandas.keys():
        for c in columns:
            cells += 1
            if not same(c, mend[rid][c], pandas[rid][c]):
                problems.append(f"{rid} {c}: mend {mend[rid][c]!r}, pandas {pandas[rid][c]!r}")
    print(f"compared {len(mend)} rows, {cells} cells ({', '.join(columns)}): "
          f"{len(problems)} mismatches")
    for p in problems[:20]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
