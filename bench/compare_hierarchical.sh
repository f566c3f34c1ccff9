#!/usr/bin/env bash
# Ward linkage at n=20,000 (d=8): bench_hierarchical vs scikit-learn
# AgglomerativeClustering, SciPy linkage and fastcluster (linkage and
# linkage_vector), same points, same run; median of repeats; peak RSS of each
# process from /usr/bin/time -v. Then Ward at n=100,000 in the O(n·d) memory mode
# (one run; time and peak RSS), with fastcluster.linkage_vector when FULL=1.
# Usage: [PEERS="sklearn scipy fastcluster fastcluster_vector"] [BIG=1] bench/compare_hierarchical.sh [build-dir] [repeats]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
repeats="${2:-3}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python=/usr/bin/python3
$python -c "import threadpoolctl, numpy; print('BLAS:', [(i['internal_api'], i['num_threads']) for i in threadpoolctl.threadpool_info()])"
$python "$here/peers/hierarchical_sklearn.py" prepare "$dir" 20000

peak_mib() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }

CB_BENCH_DIR="$dir" /usr/bin/time -v -o "$dir/ours.time" "$build/bench/bench_hierarchical" \
  --benchmark_filter='BM_ward_auto/20000' --benchmark_repetitions="$repeats" --benchmark_format=json > "$dir/ours.json"
# The median aggregate when there are repetitions, the one run otherwise.
ours_s=$($python -c "import json; bs=json.load(open('$dir/ours.json'))['benchmarks']; b=([b for b in bs if b.get('aggregate_name')=='median'] or bs)[0]; print(b['real_time']/1000)")
echo "clusterbench ward (auto -> ward_centroids), n=20000: median ${ours_s} s, peak $(peak_mib "$dir/ours.time") MiB"
for peer in ${PEERS:-sklearn scipy fastcluster fastcluster_vector}; do
  /usr/bin/time -v -o "$dir/$peer.time" $python "$here/peers/hierarchical_sklearn.py" time "$dir" 20000 "$peer" "$repeats" > "$dir/$peer.json"
  peer_s=$($python -c "import json; print(json.load(open('$dir/$peer.json'))['median_s'])")
  ratio=$($python -c "print(f'{$peer_s / $ours_s:.2f}')")
  echo "$peer ward, n=20000: median ${peer_s} s, peak $(peak_mib "$dir/$peer.time") MiB; clusterbench speed-up ${ratio}x"
done

[[ "${BIG:-1}" == 1 ]] || exit 0
$python "$here/peers/hierarchical_sklearn.py" prepare "$dir" 100000
CB_BENCH_DIR="$dir" /usr/bin/time -v -o "$dir/big.time" "$build/bench/bench_hierarchical" \
  --benchmark_filter='BM_ward_centroids/100000' --benchmark_format=json > "$dir/big.json"
big_s=$($python -c "import json; print(json.load(open('$dir/big.json'))['benchmarks'][0]['real_time']/1000)")
echo "clusterbench ward_centroids, n=100000: ${big_s} s, peak $(peak_mib "$dir/big.time") MiB"
if [[ "${FULL:-0}" == 1 ]]; then
  /usr/bin/time -v -o "$dir/fcv.time" $python "$here/peers/hierarchical_sklearn.py" time "$dir" 100000 fastcluster_vector 1 > "$dir/fcv.json"
  echo "fastcluster_vector ward, n=100000: $($python -c "import json; print(json.load(open('$dir/fcv.json'))['median_s'])") s, peak $(peak_mib "$dir/fcv.time") MiB"
fi
