#!/usr/bin/env bash
# The batch benchmark: mend batch against the bare CSV read (the floor) and a pandas script,
# at several sizes, with wall time and peak memory. Not part of CI (it takes minutes).
#
#   bench/run.sh                   # 10^4, 10^5 and 10^6 rows
#   bench/run.sh 1000 20000        # other sizes
#
# Environment: REPEAT (runs per measurement, the median time is shown; default 3),
# BENCH_DIR (where data and outputs go; default target/bench), CHECK=0 (skip checking that
# the pandas scores equal mend's), CARGO_TARGET_DIR (as for cargo).
# Needs: a Rust toolchain, python3 with pandas (pip install -r bench/requirements.txt),
# GNU time (/usr/bin/time). See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(10000 100000 1000000); fi
REPEAT=${REPEAT:-3}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DIR=${BENCH_DIR:-$TARGET/bench}
QUESTIONNAIRE=communication
mkdir -p "$DIR"

[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
python3 -c 'import pandas' 2>/dev/null || { echo "bench: pandas is needed: pip install -r bench/requirements.txt" >&2; exit 1; }

echo "building mend and the csv floor (release)..." >&2
cargo build --release --quiet
cargo build --release --quiet --manifest-path bench/csv-floor/Cargo.toml --target-dir "$TARGET"
MEND=$TARGET/release/mend
FLOOR=$TARGET/release/csv-floor

RESULTS=$DIR/results.tsv
: > "$RESULTS"

# measure NAME ROWS COMMAND...: runs the command REPEAT times; records the median wall time
# (seconds, from a nanosecond clock), the median CPU time (user + system, from GNU time) and
# the largest peak resident memory (KiB, GNU time).
measure() {
  local name=$1 rows=$2; shift 2
  local times=() cpus=() peak=0 i start end kib cpu
  for ((i = 0; i < REPEAT; i++)); do
    start=$(date +%s%N)
    if ! /usr/bin/time -f "%M %U %S" -o "$DIR/time.txt" "$@" > "$DIR/stdout.txt" 2> "$DIR/stderr.txt"; then
      echo "bench: $name failed:" >&2; cat "$DIR/stderr.txt" >&2; exit 1
    fi
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
    read -r kib cpu < <(tail -n 1 "$DIR/time.txt" | awk '{print $1, $2 + $3}')
    cpus+=("$cpu")
    (( kib > peak )) && peak=$kib
  done
  local median cpu_median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] / 1e6}')
  cpu_median=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rows" "$median" "$peak" "$cpu_median" >> "$RESULTS"
  printf '  %-8s %9s rows: %8.3f s wall, %8.2f s CPU, %7.1f MB peak\n' "$name" "$rows" "$median" \
    "$cpu_median" "$(awk "BEGIN {print $peak / 1024}")" >&2
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
measure report 0 "$MEND" report "$QUESTIONNAIRE" examples/communication-alex.yaml

for rows in "${SIZES[@]}"; do
  data=$DIR/responses-$rows.csv
  if [ ! -s "$data" ]; then
    echo "generating $rows rows..." >&2
    python3 bench/generate.py --rows "$rows" --questionnaire "$QUESTIONNAIRE" --mend "$MEND" -o "$data.tmp"
    mv "$data.tmp" "$data"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' bytes "$rows" "$(stat -c %s "$data")" 0 0 >> "$RESULTS"
  measure floor "$rows" "$FLOOR" "$data"
  measure batch "$rows" "$MEND" batch "$QUESTIONNAIRE" "$data" -o "$DIR/mend-$rows.csv" --force
  measure batch1 "$rows" "$MEND" batch "$QUESTIONNAIRE" "$data" -o "$DIR/mend1-$rows.csv" --force -j 1
  cmp -s "$DIR/mend-$rows.csv" "$DIR/mend1-$rows.csv" || { echo "bench: -j 1 wrote other scores" >&2; exit 1; }
  measure pandas "$rows" python3 bench/pandas_score.py "$data" -o "$DIR/pandas-$rows.csv"
  if [ "${CHECK:-1}" != 0 ]; then
    python3 bench/check_pandas.py "$DIR/mend-$rows.csv" "$DIR/pandas-$rows.csv" >&2
  fi
done

# The Markdown table, also kept in $DIR/table.md.
echo >&2
python3 - "$RESULTS" "$REPEAT" > "$DIR/table.md" <<'PY'
import sys
from collections import defaultdict
res, repeat = defaultdict(dict), sys.argv[2]
for line in open(sys.argv[1]):
    name, rows, wall, kib, cpu = line.split("\t")
    res[int(rows)][name] = (float(wall), int(kib), float(cpu))
report = res.pop(0, {}).get("report")
mb = lambda kib: f"{kib / 1024:.1f}"
print(f"Wall time (median of {repeat} runs) and peak resident memory (largest of the runs). "
      "mend batch uses a thread per processor (the default); `-j 1` is one scoring thread.\n")
print("| rows | CSV size | csv floor | mend batch | mend batch -j 1 | pandas | batch / floor "
      "| batch -j 1 / floor | pandas / batch | µs per row (batch) | peak MB: floor "
      "| peak MB: batch | peak MB: pandas |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for rows in sorted(res):
    r = res[rows]
    (f, fm, _), (b, bm, _), (p, pm, _) = r["floor"], r["batch"], r["pandas"]
    b1 = r["batch1"][0]
    print(f"| {rows:,} | {r['bytes'][0] / 1e6:.1f} MB | {f:.3f} s | {b:.3f} s | {b1:.3f} s "
          f"| {p:.3f} s | {b / f:.1f}x | {b1 / f:.1f}x | {p / b:.1f}x | {b / rows * 1e6:.2f} "
          f"| {mb(fm)} | {mb(bm)} | {mb(pm)} |")
print(f"\nCPU time (user + system, median of {repeat} runs; less sensitive than wall time to "
      "other work on the machine).\n")
print("| rows | csv floor | mend batch | mend batch -j 1 | pandas | batch / floor | pandas / batch |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for rows in sorted(res):
    r = res[rows]
    f, b, b1, p = r["floor"][2], r["batch"][2], r["batch1"][2], r["pandas"][2]
    ratio = lambda x, y: f"{x / y:.1f}x" if y > 0 else "-"
    print(f"| {rows:,} | {f:.2f} s | {b:.2f} s | {b1:.2f} s | {p:.2f} s | {ratio(b, f)} "
          f"| {ratio(p, b)} |")
if report:
    print(f"\nOne `mend report communication examples/communication-alex.yaml` process: "
          f"{report[0]:.3f} s wall, {report[2]:.2f} s CPU, {mb(report[1])} MB peak.")
PY
cat "$DIR/table.md"
