#!/usr/bin/env bash
# DBSCAN at n=100,000, d=3 (eps=0.4, min_samples=10): bench_dbscan vs scikit-learn
# DBSCAN, same points, same run, medians of repeats. Then target-k for k=2..11
# from one structure vs scikit-learn run once per eps found. Wall and CPU (whole
# process, all threads) ratios; the peer is single-threaded.
# Usage: bench/compare_dbscan.sh [build-dir] [repeats]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
repeats="${2:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python=/usr/bin/python3
$python -c "import threadpoolctl, numpy; print('BLAS:', [(i['internal_api'], i['num_threads']) for i in threadpoolctl.threadpool_info()])"
$python "$here/peers/dbscan_sklearn.py" prepare "$dir"
CB_BENCH_DIR="$dir" "$build/bench/bench_dbscan" --benchmark_filter='BM_dbscan_100k_d3' \
  --benchmark_repetitions="$repeats" --benchmark_format=json > "$dir/ours.json"
$python "$here/peers/dbscan_sklearn.py" time "$dir" 0.4 10 "$repeats" > "$dir/peer.json"
CB_BENCH_DIR="$dir" "$build/bench/bench_dbscan" --benchmark_filter='BM_dbscan_target' \
  --benchmark_repetitions="$repeats" --benchmark_format=json > "$dir/target.json"
$python "$here/peers/dbscan_sklearn.py" target "$dir" 10 "$repeats" > "$dir/peer_target.json"
$python - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
def medians(path):
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name") == "median":
            out[b["run_name"]] = b
    return out
ours = medians(f"{d}/ours.json")
peer = json.load(open(f"{d}/peer.json"))
for name, b in sorted(ours.items()):
    s, c = b["real_time"] / 1000, b["cpu_time"] / 1000
    threads = "all threads" if "/0/" in name else "1 thread"
    print(f"clusterbench dbscan ({threads}): median wall {s:.3f} s, CPU {c:.3f} s, {b['clusters']:.0f} clusters,"
          f" {b['noise']:.0f} noise; speed-up vs scikit-learn wall {peer['median_s'] / s:.2f}x,"
          f" CPU {peer['median_cpu_s'] / c:.2f}x")
print(f"{peer['peer']}: median wall {peer['median_s']:.3f} s, CPU {peer['median_cpu_s']:.3f} s,"
      f" {peer['clusters']} clusters, {peer['noise']} noise")
target = list(medians(f"{d}/target.json").values())[0]
pt = json.load(open(f"{d}/peer_target.json"))
ts, tc = target["real_time"] / 1000, target["cpu_time"] / 1000
print(f"clusterbench dbscan target-k k=2..11: median wall {ts:.3f} s, CPU {tc:.3f} s ({target['exact']:.0f}/10 exact)")
print(f"{pt['peer']} ({pt['eps']} fits, clusters {pt['clusters']}): median wall {pt['median_s']:.3f} s,"
      f" CPU {pt['median_cpu_s']:.3f} s; speed-up wall {pt['median_s'] / ts:.2f}x, CPU {pt['median_cpu_s'] / tc:.2f}x")
PY
