#!/bin/sh
# K-Means: clusterbench vs scikit-learn on the same points, in the same run.
#
#   bench/compare_kmeans.sh [BUILD_DIR]        (default: build)
#
# Writes n = 1,000,000 points in d = 8 (10 Gaussian blobs, std 4: overlapping)
# once, then alternates REPEATS times (default 9): bench_kmeans
# (BM_KMeans/hamerly, 2 threads, seed = repeat) and sklearn.cluster.KMeans
# (algorithm='lloyd', random_state = repeat), both with k = 10 and the same
# n_init (N_INIT, default 3). Prints the median wall time of each side and the
# ratio, and the same for CPU time of all threads (on a loaded machine the
# wall time mostly measures the scheduler). Alternating shares the machine's
# noise between the two sides.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
bench="$build/bench/bench_kmeans"
python=${CB_PYTHON:-/usr/bin/python3}
repeats=${REPEATS:-9}  # seeds differ per repeat, and iteration counts vary several-fold between seeds
n_init=${N_INIT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
data="$work/blobs.f64"

[ -x "$bench" ] || { echo "missing $bench (ninja -C $build bench_kmeans)" >&2; exit 1; }
"$python" "$here/peers/kmeans_sklearn.py" write "$data"

r=0
while [ "$r" -lt "$repeats" ]; do
  CB_KMEANS_DATA="$data" CB_KMEANS_N_INIT="$n_init" CB_KMEANS_SEED="$r" \
    "$bench" --benchmark_filter='^BM_KMeans/hamerly/threads:2' --benchmark_min_time=0 \
    --benchmark_format=json > "$work/ours.$r.json"
  "$python" "$here/peers/kmeans_sklearn.py" time "$data" --k 10 --n-init "$n_init" --repeats 1 \
    --random-state "$r" > "$work/sklearn.$r.json"
  r=$((r + 1))
done

"$python" - "$work" "$repeats" <<'PY'
import json, statistics, sys
work, repeats = sys.argv[1], int(sys.argv[2])
ours, theirs, our_iters, their_iters, our_cpu, their_cpu = [], [], [], [], [], []
for r in range(repeats):
    b = json.load(open(f"{work}/ours.{r}.json"))["benchmarks"][0]
    ours.append(b["real_time"] * {"ms": 1e-3, "s": 1.0, "us": 1e-6, "ns": 1e-9}[b["time_unit"]])
    our_iters.append(int(b["kmeans_iterations"]))
    our_cpu.append(float(b["process_cpu_s"]))
    s = json.load(open(f"{work}/sklearn.{r}.json"))
    theirs.append(s["seconds"][0])
    their_iters.append(s["n_iter"][0])
    their_cpu.append(s["cpu_seconds"][0])
print(f"n = {s['n']}, d = {s['d']}, k = {s['k']}, n_init = {s['n_init']}, repeats = {repeats}")
print("clusterbench (Hamerly, 2 threads) s:", " ".join(f"{t:.3f}" for t in ours),
      "| iterations of the best restart:", our_iters)
print(f"scikit-learn {s['sklearn']} (lloyd) s:", " ".join(f"{t:.3f}" for t in theirs),
      "| iterations of the best restart:", their_iters)
print("scikit-learn thread pools (threadpoolctl):", "; ".join(s["threadpools"]))
mo, mt = statistics.median(ours), statistics.median(theirs)
co, ct = statistics.median(our_cpu), statistics.median(their_cpu)
print(f"median wall: clusterbench {mo:.3f} s, scikit-learn {mt:.3f} s, speed-up x{mt / mo:.2f}")
print(f"median CPU (all threads): clusterbench {co:.3f} s, scikit-learn {ct:.3f} s, ratio x{ct / co:.2f}")
PY
