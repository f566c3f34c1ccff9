#!/usr/bin/env bash
# The whole grid against scikit-learn in one run (experiments/grid_at_scale/README.md).
# For each N: generate N synthetic customers, run the clusterbench grid REPEATS times
# (median wall; wall, user+sys CPU and peak RSS from /usr/bin/time -v), run the same grid
# in scikit-learn once (bench/peers/grid_full_sklearn.py; slow: about 20 min at 20,000),
# then write the table to experiments/grid_at_scale/results.md.
# Usage: experiments/grid_at_scale/compare.sh [N ...] [REPEATS]
#   N defaults to "5000 20000" and REPEATS to 3; with several arguments the last is REPEATS,
#   so `compare.sh 1000 1` is one N = 1000 with one repeat and `compare.sh 5000` is N = 5000.
# Environment: CLUSTERBENCH (default build/src/clusterbench), PYTHON (default /usr/bin/python3,
#   which needs numpy, pandas, scikit-learn, h5py and threadpoolctl), SEED (data seed, default 1),
#   KEEP_WORK=1 (keep the temporary work directory: data, stores, logs, and print its path).
# Run from anywhere; paths are relative to the repository root. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=experiments/grid_at_scale
clusterbench=${CLUSTERBENCH:-build/src/clusterbench}
python=${PYTHON:-/usr/bin/python3}
seed=${SEED:-1}
gnu_time=/usr/bin/time

if [ $# -eq 0 ]; then
  ns=(5000 20000); repeats=3
elif [ $# -eq 1 ]; then
  ns=("$1"); repeats=3
else
  ns=("${@:1:$#-1}"); repeats=${!#}
fi
for v in "${ns[@]}" "$repeats"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: '$v' is not a positive integer" >&2; exit 2; }
done
[ -x "$clusterbench" ] || { echo "compare.sh: $clusterbench not found; build first (scripts/build)" >&2; exit 1; }
[ -x "$gnu_time" ] || { echo "compare.sh: $gnu_time (GNU time) not found" >&2; exit 1; }
cores=$(nproc)

work=$(mktemp -d)
if [ "${KEEP_WORK:-0}" = 1 ]; then
  echo "work directory: $work (kept)" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

for n in "${ns[@]}"; do
  d="$work/$n"
  mkdir -p "$d"
  echo "== n = $n: generating customers (seed $seed)" >&2
  "$python" "$here/customers.py" "$n" "$seed" "$d/customers.csv"
  sed "s|@CSV@|$d/customers.csv|" "$here/grid.yaml.in" > "$d/grid.yaml"

  for r in $(seq "$repeats"); do
    rm -f "$d/ours.h5"                  # no resume: every repeat computes every run
    echo "== n = $n: clusterbench repeat $r/$repeats" >&2
    "$gnu_time" -v -o "$d/ours_$r.time" "$clusterbench" run -q "$d/grid.yaml" -o "$d/ours.h5" >/dev/null 2>"$d/ours_$r.log" \
      || { cat "$d/ours_$r.log" "$d/ours_$r.time" >&2; exit 1; }
    grep -h "runs (" "$d/ours_$r.log" >&2 || true
  done

  echo "== n = $n: scikit-learn (one run)" >&2
  "$gnu_time" -v -o "$d/peer.time" "$python" bench/peers/grid_full_sklearn.py "$d/customers.csv" "$d/peer.json" "$d/peer.npz" \
    >"$d/peer.log" 2>&1 || { cat "$d/peer.log" "$d/peer.time" >&2; exit 1; }
  grep -h "^# \(threadpoolctl\|total\)" "$d/peer.log" >&2
done

"$python" "$here/table.py" "$work" "$cores" "$repeats" "$here/results.md" "${ns[@]}"
echo "table written to $here/results.md" >&2
