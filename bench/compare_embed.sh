#!/usr/bin/env bash
# Embedding speed vs scikit-learn in the same run, on the same inputs.
# Usage: bench/compare_embed.sh [build_dir] [repeats] [tsne|trees]   (repeats of the scikit-learn side;
# ours are fixed per benchmark in bench/embed_bench.cpp: 3, and 1 for n ≥ 20,000; a third
# argument `tsne` or `trees` runs only those cases of both sides)
# Prints the median wall-clock and whole-process CPU time of each side, the ratios
# sklearn/ours, and for t-SNE the
# trustworthiness (k = 5) of both embeddings (computed by our exact implementation).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
repeats="${2:-3}"
only="${3:-}"
filter=-BM_TsneMethod  # BM_TsneMethod (Barnes-Hut against FFT by size) runs on its own: --benchmark_filter=BM_TsneMethod
sklearn_cases=()
if [[ "$only" == tsne ]]; then filter=BM_Tsne/; sklearn_cases=(tsne_5000 tsne_20000);
elif [[ "$only" == trees ]]; then filter=BM_Trees; sklearn_cases=(trees);
elif [[ -n "$only" ]]; then echo "unknown case group '$only' (known: tsne, trees)" >&2; exit 2; fi
py=/usr/bin/python3
dir="$(mktemp -d "${TMPDIR:-/tmp}/cb-embed-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
export CB_EMBED_BENCH_DIR="$dir"

"$py" "$here/peers/embed_data.py" "$dir"
"$build/bench/bench_embed" --benchmark_filter="$filter" --benchmark_report_aggregates_only=true \
  --benchmark_format=csv 2>/dev/null | tee "$dir/ours.csv" >&2
"$py" "$here/peers/embed_sklearn.py" "$dir" "$repeats" "${sklearn_cases[@]}" | tee "$dir/sklearn.txt" >&2

ours() {  # median wall and process-CPU seconds of a benchmark (the single run when it has one repetition)
  awk -F, -v name="\"$1/" 'index($1, name) == 1 && ($1 ~ /_median"$/ || $1 !~ /_(mean|stddev|cv)"$/) {
    u = $5; gsub(/"/, "", u);
    s = (u == "ns") ? 1e-9 : (u == "us") ? 1e-6 : (u == "ms") ? 1e-3 : 1; printf "%.4f %.4f", $3 * s, $4 * s; exit }' \
    "$dir/ours.csv"
}
theirs() { awk -v name="$1" '$1 == name { printf "%.4f %.4f", $2, $3 }' "$dir/sklearn.txt"; }

printf '%-24s %10s %10s %10s %10s %9s %9s\n' case ours_wall sk_wall ours_cpu sk_cpu wall_x cpu_x
row() {
  local o t
  o="$(ours "$1")"; t="$(theirs "$2")"
  [[ -n "$o" && -n "$t" ]] || return 0
  awk -v name="$2" -v o="$o" -v t="$t" 'BEGIN { split(o, a, " "); split(t, b, " ");
    printf "%-24s %10.3f %10.3f %10.3f %10.3f %8.1fx %8.1fx\n", name, a[1], b[1], a[2], b[2], b[1] / a[1], b[2] / a[2] }'
}
row BM_Tsne/5000 tsne_5000
row BM_Tsne/20000 tsne_20000
row BM_Pca pca_1000000
row BM_TreesRandom trees_random_50000
row BM_TreesSupervised trees_supervised_50000
if [[ -z "$only" ]]; then
  printf '%-24s %s (wall, process CPU seconds)\n' umap_20000 "$(ours BM_Umap/20000)"
  printf '%-24s %s (wall, process CPU seconds)\n' umap_100000 "$(ours BM_Umap/100000)"
fi
[[ "$only" == trees ]] && exit 0
for n in 5000 20000; do
  printf 'trustworthiness(k=5) tsne_%s: ours %s sklearn %s\n' "$n" \
    "$("$build/bench/bench_embed" trustworthiness "$dir/blobs_$n.bin" "$dir/ours_tsne_$n.bin" 5)" \
    "$("$build/bench/bench_embed" trustworthiness "$dir/blobs_$n.bin" "$dir/sklearn_tsne_$n.bin" 5)"
done
grep '^#' "$dir/sklearn.txt" || true
