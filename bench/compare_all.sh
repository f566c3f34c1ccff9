#!/usr/bin/env bash
# Every peer comparison of the closing notes, one after another, in one run:
#   bench/compare_all.sh [build_dir] [repeats] > compare.log
# Prints the machine load before each part, since the ratios mean most on a
# quiet machine. Ward at n = 100,000 (BIG=1) and t-SNE at n = 20,000 are the
# long parts (minutes each on the peers' side).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
repeats=${2:-3}
cd "$here/.."
part() { echo; echo "=== $1   (load: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)"; }
part "silhouette, CH, DB (n = 20,000, d = 8)";   bench/compare_metrics.sh "$build" "$repeats"
part "K-Means (n = 1,000,000, d = 8, k = 10)";   REPEATS=$((repeats > 9 ? repeats : 9)) bench/compare_kmeans.sh "$build"  # at least 9 seeds
part "RFM (5,000,000 generated rows; Online Retail)"; bench/compare_rfm.sh "$build" 5000000 "$repeats"
part "GMM full (n = 100,000, d = 8, k = 10)";    bench/compare_gmm.sh "$build" "$repeats"
part "DBSCAN (n = 100,000, d = 3) and target-k"; bench/compare_dbscan.sh "$build" "$repeats"
part "Ward (n = 20,000; n = 100,000 memory-saving)"; BIG=1 bench/compare_hierarchical.sh "$build" 1
part "embeddings (t-SNE, PCA, trees, UMAP)";     bench/compare_embed.sh "$build" "$repeats"
part "end-to-end grid (K-Means k = 2..11 + silhouette)"; bench/compare_grid.sh 20000 "$repeats"
