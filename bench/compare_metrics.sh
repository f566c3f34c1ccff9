#!/usr/bin/env bash
# Times our metrics against scikit-learn on the same data in the same run and
# prints the ratio of medians (sklearn / ours), of wall time and of process CPU
# time (all threads): on a shared, loaded machine the CPU-time ratio is the
# steadier one, since wall time then depends on each side's share of the cores.
#   usage: bench/compare_metrics.sh [BUILD_DIR=build] [REPEATS=3] [N=20000] [D=8] [K=10] [LABELINGS=40]
# The peer script writes the data and the labelings; the C++ benchmark reads
# them (CB_METRICS_BENCH_DIR). Both sides run on 2 threads where they can
# (numpy's BLAS uses its own pool; the silhouette's distance reduction loop in
# scikit-learn is single-threaded Python/numpy).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
repeats=${2:-3}
n=${3:-20000}
d=${4:-8}
k=${5:-10}
labelings=${6:-40}
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -c "import threadpoolctl, numpy; print('numpy BLAS:', [(i['internal_api'], i.get('version'), i['num_threads']) for i in threadpoolctl.threadpool_info()])"
"$python" "$here/peers/metrics_sklearn.py" "$work" --n "$n" --d "$d" --k "$k" --labelings "$labelings" \
  --repeats "$repeats" > "$work/sklearn.jsonl"
CB_METRICS_BENCH_DIR="$work" "$build/bench/bench_metrics" \
  --benchmark_filter='^BM_silhouette/threads:2/labelings:[0-9]+/|^BM_calinski_harabasz/threads:2|^BM_davies_bouldin/threads:2' \
  --benchmark_repetitions="$repeats" --benchmark_report_aggregates_only=false \
  --benchmark_format=json --benchmark_out="$work/ours.json" --benchmark_out_format=json > /dev/null

"$python" - "$work/sklearn.jsonl" "$work/ours.json" <<'PY'
import json, statistics, sys
med = statistics.median
sk = {r["name"]: (med(r["seconds"]), med(r["cpu_seconds"])) for r in map(json.loads, open(sys.argv[1]))}
runs = {}
for b in json.load(open(sys.argv[2]))["benchmarks"]:
    if b.get("run_type") == "iteration":
        runs.setdefault(b["run_name"], []).append(b)
print(f"{'benchmark':<50} {'ours wall':>9} {'sk wall':>9} {'ratio':>6} {'ours cpu':>9} {'sk cpu':>9} {'ratio':>6}  GFLOP/s: naive-eq, executed (wall), executed per CPU-second")
for name, reps in runs.items():
    wall = med(r["real_time"] for r in reps) / 1e3  # ms -> s
    cpu = med(r["cpu_time"] for r in reps) / 1e3
    short = name.removesuffix("/real_time").removesuffix("/process_time").replace("/row_tile:0/col_tile:0", "")
    if name.startswith("BM_silhouette"):
        count = int(name.split("labelings:")[1].split("/")[0])
        ref_wall, ref_cpu = (count * v for v in sk["sklearn_silhouette"])  # sklearn scores one labeling per call
        note = "" if count == 1 else f"  (sklearn = {count} x one call)"
        executed = med(r["executed_GFLOPs"] * r["real_time"] / r["cpu_time"] for r in reps)
        gf = f"{med(r['GFLOPs'] for r in reps):.1f}, {med(r['executed_GFLOPs'] for r in reps):.1f}, {executed:.1f}"
    else:
        (ref_wall, ref_cpu), note, gf = sk["sklearn_" + name.split("/")[0].removeprefix("BM_")], "", ""
    print(f"{short:<50} {wall:9.4f} {ref_wall:9.4f} {ref_wall/wall:5.1f}x {cpu:9.4f} {ref_cpu:9.4f} {ref_cpu/cpu:5.1f}x  {gf}{note}")
print(f"medians of {len(next(iter(runs.values())))} repeats")
PY
