#!/usr/bin/env bash
# End-to-end grid vs scikit-learn on the same data, in the same run:
# `clusterbench run` (K-Means n_init=3, k = 2..11, silhouette) against the same loop in scikit-learn.
# Usage: bench/compare_grid.sh [n] [repeats]   (run from the project root after scripts/build)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
repeats=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/blobs.csv" "$n" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(1)
n = int(sys.argv[2])
centers = rng.normal(scale=10.0, size=(6, 8))
x = centers[np.arange(n) % 6] + rng.normal(size=(n, 8))
np.savetxt(sys.argv[1], x, delimiter=",", header=",".join(f"x{j}" for j in range(8)), comments="", fmt="%.17g")
PY
cat > "$work/grid.yaml" <<YAML
name: compare
output: $work/out.h5
dataset: {type: features, path: $work/blobs.csv}
algorithms:
  - name: kmeans
    k: [2, 11]
    params: {n_init: 3}
YAML
ours=()
for _ in $(seq "$repeats"); do
  rm -f "$work/out.h5"
  start=$(date +%s.%N)
  build/src/clusterbench run -q "$work/grid.yaml" > /dev/null 2>&1
  end=$(date +%s.%N)
  ours+=("$(echo "$end - $start" | bc -l)")
done
peer=$(/usr/bin/python3 bench/peers/grid_sklearn.py "$work/blobs.csv" "$repeats")
/usr/bin/python3 - "$n" "$peer" "${ours[@]}" <<'PY'
import json, statistics, sys
n, peer = sys.argv[1], json.loads(sys.argv[2])
ours = statistics.median(float(t) for t in sys.argv[3:])
print(f"grid n={n} d=8, K-Means k=2..11 n_init=3: clusterbench median {ours:.3f}s, scikit-learn median {peer['median_seconds']:.3f}s "
      f"-> {peer['median_seconds'] / ours:.1f}x faster (BLAS: {', '.join(peer['blas']) or 'none reported'})")
PY
