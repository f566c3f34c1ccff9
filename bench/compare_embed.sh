#!/usr/bin/env bash
# Embedding speed vs scikit-learn in the same run, on the same inputs.
# Usage: bench/compare_embed.sh [build_dir] [repeats]
# Prints the median time of each side, the ratio sklearn/ours, and for t-SNE the
# trustworthiness (k = 5) of both embeddings (computed by our exact implementation).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
repeats="${2:-3}"
py=/usr/bin/python3
dir="$(mktemp -d "${TMPDIR:-/tmp}/cb-embed-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
export CB_EMBED_BENCH_DIR="$dir"

"$py" "$here/peers/embed_data.py" "$dir"
"$build/bench/bench_embed" --benchmark_repetitions="$repeats" --benchmark_report_aggregates_only=true \
  --benchmark_format=csv 2>/dev/null | tee "$dir/ours.csv" >&2
"$py" "$here/peers/embed_sklearn.py" "$dir" "$repeats" | tee "$dir/sklearn.txt" >&2

ours() {  # median real time of a benchmark, in seconds
  awk -F, -v name="\"$1/" 'index($1, name) == 1 && $1 ~ /_median"$/ {
    t = $3; u = $5; gsub(/"/, "", u);
    s = (u == "ns") ? 1e-9 : (u == "us") ? 1e-6 : (u == "ms") ? 1e-3 : 1; printf "%.4f", t * s }' "$dir/ours.csv"
}
theirs() { awk -v name="$1" '$1 == name { printf "%.4f", $2 }' "$dir/sklearn.txt"; }

printf '%-26s %12s %12s %10s\n' case ours_s sklearn_s ratio
row() {
  local o t
  o="$(ours "$1")"; t="$(theirs "$2")"
  if [[ -n "$o" && -n "$t" ]]; then
    printf '%-26s %12s %12s %9.1fx\n' "$2" "$o" "$t" "$(awk -v a="$t" -v b="$o" 'BEGIN { print a / b }')"
  fi
}
row BM_Tsne/5000 tsne_5000
row BM_Tsne/20000 tsne_20000
row BM_Pca pca_1000000
row BM_TreesRandom trees_random_50000
row BM_TreesSupervised trees_supervised_50000
printf '%-26s %12s\n' umap_20000 "$(ours BM_Umap/20000)"
printf '%-26s %12s\n' umap_100000 "$(ours BM_Umap/100000)"
for n in 5000 20000; do
  printf 'trustworthiness(k=5) tsne_%s: ours %s sklearn %s\n' "$n" \
    "$("$build/bench/bench_embed" trustworthiness "$dir/blobs_$n.bin" "$dir/ours_tsne_$n.bin" 5)" \
    "$("$build/bench/bench_embed" trustworthiness "$dir/blobs_$n.bin" "$dir/sklearn_tsne_$n.bin" 5)"
done
grep '^#' "$dir/sklearn.txt" || true
