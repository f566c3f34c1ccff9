#!/usr/bin/env bash
# The million-customer acceptance run (README.md in this folder):
#   1. N generated customers (experiments/grid_at_scale/customers.py), the grid
#      of grid.yaml.in (raw / pca / tree × four algorithms × k = 2..11):
#      `plan`, then `run` under /usr/bin/time -v; steps.py tabulates the steps.
#   2. The first SUBSET customers of the same file, raw space only, scored on a
#      sample as at full size; check_sampled.py scores every run exactly and
#      checks each exact silhouette against the run's recorded interval.
#   3. t-SNE and the UMAP-style layout at N points, one space each (time, memory).
# usage: experiments/scale_1m/run.sh [N] [SUBSET] [PARTS]   (defaults 1000000 100000 "grid subset embeddings")
# Writes into $WORK (default: a new temporary directory, kept); prints markdown.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-1000000}
subset=${2:-100000}
parts=${3:-grid subset embeddings}
cb=${CLUSTERBENCH:-$root/build/src/clusterbench}
python=${PYTHON:-/usr/bin/python3}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
echo "work directory: $work" >&2
[ -f "$work/customers.csv" ] || "$python" "$root/experiments/grid_at_scale/customers.py" "$n" 1 "$work/customers.csv"
echo "clusterbench $(git -C "$root" rev-parse --short=12 HEAD), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ " $parts " == *" grid "* ]]; then
  sed "s|@CSV@|$work/customers.csv|" "$here/grid.yaml.in" > "$work/grid.yaml"
  "$cb" plan "$work/grid.yaml" --format json > "$work/plan.json"
  rm -f "$work/grid.h5"
  /usr/bin/time -v "$cb" run -q "$work/grid.yaml" -o "$work/grid.h5" 2> "$work/grid.time"
  echo; echo "## Grid, $n customers"; echo
  "$python" "$here/steps.py" "$work/grid.h5" "$work/plan.json" "$work/grid.time"
fi

if [[ " $parts " == *" subset "* ]]; then
  head -n $((subset + 1)) "$work/customers.csv" > "$work/subset.csv"
  sed "s|@CSV@|$work/subset.csv|" "$here/grid.yaml.in" | sed '/^  - name: pca/,/^  - tree/d' > "$work/subset.yaml"
  rm -f "$work/subset.h5"
  "$cb" run -q "$work/subset.yaml" -o "$work/subset.h5"
  echo; echo "## Sampled against exact silhouettes, first $subset customers, raw space"; echo
  PYTHONPATH="$root/build/python" "$python" "$here/check_sampled.py" "$work/subset.h5"
fi

if [[ " $parts " == *" embeddings "* ]]; then
  echo; echo "## Embeddings at $n points"; echo
  echo "| space | seconds (stored) | process wall | process CPU | peak memory | trustworthiness (sampled) |"
  echo "|---|---|---|---|---|---|"
  for space in tsne umap; do
    sed "s|@CSV@|$work/customers.csv|; s|@SPACE@|$space|" "$here/embeddings.yaml.in" > "$work/$space.yaml"
    rm -f "$work/$space.h5"
    /usr/bin/time -f "%e %U %S %M" -o "$work/$space.time" "$cb" run -q "$work/$space.yaml" -o "$work/$space.h5"
    "$python" - "$work/$space.h5" "$work/$space.time" "$space" <<'PY'
import json, sys, h5py
f = h5py.File(sys.argv[1], "r")
wall, user, system, peak_kb = open(sys.argv[2]).read().split()
s = f["spaces"][sys.argv[3]].attrs
values = json.loads(s["values"])
print(f"| {sys.argv[3]} | {float(s['seconds']):.0f} | {float(wall):.0f} s | {float(user) + float(system):.0f} s | "
      f"{int(peak_kb) / 1048576:.2f} GiB | {values.get('trustworthiness', float('nan')):.4f} |")
PY
  done
fi
