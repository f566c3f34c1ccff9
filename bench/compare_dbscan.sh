#!/usr/bin/env bash
# DBSCAN at n=100,000, d=3 (eps=0.4, min_samples=10): bench_dbscan vs scikit-learn
# DBSCAN, same points, same run, medians of repeats. Then target-k for k=2..11
# from one structure vs scikit-learn run once per eps found.
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
    s = b["real_time"] / 1000
    threads = "all threads" if name.endswith("/0/real_time") else "1 thread"
    print(f"clusterbench dbscan ({threads}): median {s:.3f} s, {b['clusters']:.0f} clusters, {b['noise']:.0f} noise;"
          f" speed-up vs scikit-learn {peer['median_s'] / s:.2f}x")
print(f"{peer['peer']}: median {peer['median_s']:.3f} s, {peer['clusters']} clusters, {peer['noise']} noise")
target = list(medians(f"{d}/target.json").values())[0]
pt = json.load(open(f"{d}/peer_target.json"))
ts = target["real_time"] / 1000
print(f"clusterbench dbscan target-k k=2..11: median {ts:.3f} s ({target['exact']:.0f}/10 exact)")
print(f"{pt['peer']} ({pt['eps']} fits, clusters {pt['clusters']}): median {pt['median_s']:.3f} s;"
      f" speed-up {pt['median_s'] / ts:.2f}x")
PY
