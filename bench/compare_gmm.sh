#!/usr/bin/env bash
# GMM full covariances, n=100,000, d=8, k=10, 20 EM iterations from the same start:
# bench_gmm vs scikit-learn GaussianMixture, same inputs, same run; medians of repeats.
# Usage: bench/compare_gmm.sh [build-dir] [repeats]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
repeats="${2:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python=/usr/bin/python3
$python -c "import threadpoolctl, numpy; print('BLAS:', [(i['internal_api'], i['num_threads']) for i in threadpoolctl.threadpool_info()])"
$python "$here/peers/gmm_sklearn.py" prepare "$dir"
CB_BENCH_DIR="$dir" "$build/bench/bench_gmm" --benchmark_filter='BM_gmm_full_100k_d8_k10/0' \
  --benchmark_repetitions="$repeats" --benchmark_format=json > "$dir/ours.json"
$python "$here/peers/gmm_sklearn.py" time "$dir" "$repeats" > "$dir/peer.json"
$python - "$dir/ours.json" "$dir/peer.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
median = [b for b in ours["benchmarks"] if b.get("aggregate_name") == "median"][0]
peer = json.loads(open(sys.argv[2]).read())
ours_s = median["real_time"] / 1000.0  # ms -> s
print(f"clusterbench gmm full: median {ours_s:.3f} s  (lower bound {median['lower_bound']:.6f})")
print(f"{peer['peer']}: median {peer['median_s']:.3f} s  (lower bound {peer['lower_bound']:.6f}, {peer['iterations']} iterations)")
print(f"speed-up vs scikit-learn: {peer['median_s'] / ours_s:.2f}x")
PY
