#!/usr/bin/env bash
# RFM from a raw log, clusterbench vs pandas, in the same run on the same files:
# read + clean + features + rank_first quintile scores + standard11 segments.
#   1. a generated Online-Retail-schema log (default 5,000,000 rows, plain CSV)
#   2. the bundled full Online Retail log (541,909 rows, gzip)
# Each side runs as its own process under /usr/bin/time -v (peak RSS); the
# time is measured in-process (file open to segments) and as user+sys CPU.
# Prints the median of the repeats and the ratios pandas / clusterbench.
# Usage: bench/compare_rfm.sh [build_dir] [rows] [repeats] [threads]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
rows=${2:-5000000}
repeats=${3:-3}
threads=${4:-0}
python=/usr/bin/python3
cd "$root"
ninja -C "$build" bench_rfm > /dev/null
bench="$build/bench/bench_rfm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bench" --generate="$work/generated.csv" --rows="$rows"
echo "numpy BLAS: $($python -c 'import threadpoolctl, numpy; print([(i["internal_api"], i["num_threads"]) for i in threadpoolctl.threadpool_info()])')"
echo "pandas $($python -c 'import pandas; print(pandas.__version__)'), threads for clusterbench: ${threads} (0 = all $(nproc) cores), load: $(cut -d' ' -f1-3 /proc/loadavg)"

# run LABEL FILE COMMAND... : appends "label file seconds cpu rss_kb checksum" to results
run() {
  local label=$1 file=$2
  shift 2
  /usr/bin/time -v "$@" > "$work/out" 2> "$work/err" || { cat "$work/err"; exit 1; }
  local seconds checksum user sys rss
  seconds=$(awk '/^seconds/{print $2}' "$work/out")
  checksum=$(awk '/^seconds/{print $NF}' "$work/out")
  user=$(awk -F': ' '/User time/{print $2}' "$work/err")
  sys=$(awk -F': ' '/System time/{print $2}' "$work/err")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/err")
  echo "$label $file $seconds $(echo "$user + $sys" | bc) $rss $checksum" >> "$work/results"
}

for rep in $(seq "$repeats"); do
  for file in "$work/generated.csv" data/transactions/online_retail.csv.gz; do
    name=$(basename "$file")
    run clusterbench "$name" "$bench" --pipeline="$file" --threads="$threads"
    run pandas "$name" $python bench/peers/rfm_pandas.py "$file"
  done
done

$python - "$work/results" "$rows" "$repeats" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"\nmedian of {sys.argv[3]} repeats ({sys.argv[2]} generated rows)")
print(f"{'input':24} {'tool':13} {'seconds':>9} {'cpu s':>8} {'peak MB':>9}")
for name in dict.fromkeys(r[1] for r in rows):
    med = {}
    for tool in ("clusterbench", "pandas"):
        sel = [r for r in rows if r[0] == tool and r[1] == name]
        med[tool] = [statistics.median(float(r[i]) for r in sel) for i in (2, 3, 4)]
        print(f"{name:24} {tool:13} {med[tool][0]:9.3f} {med[tool][1]:8.2f} {med[tool][2] / 1024:9.1f}")
    same = {r[5] for r in rows if r[1] == name}
    c, p = med["clusterbench"], med["pandas"]
    print(f"{name:24} {'ratio':13} {p[0] / c[0]:8.1f}x {p[1] / c[1]:7.1f}x {'memory 1/%.1f' % (p[2] / c[2]):>9}"
          f"  (same scores and segments: {'yes' if len(same) == 1 else 'NO ' + str(same)})")
PY
