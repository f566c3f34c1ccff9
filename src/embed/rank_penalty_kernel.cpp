#include "rank_penalty_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace cb::embed::detail {
namespace {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CB_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CB_CLONES
#endif

/// acc[r] = Σ_f (xt[f][r] − y[f])² for the tile's rows.
inline void tile_distances(const SampleTileView& tile, const double* y, double* acc) {
  for (Index r = 0; r < kTileRows; ++r) acc[r] = 0.0;
  for (Index f = 0; f < tile.d; ++f) {
    const double* x = tile.xt + f * kTileRows;
    const double yf = y[f];
    for (Index r = 0; r < kTileRows; ++r) {
      const double t = x[r] - yf;
      acc[r] += t * t;
    }
  }
}

void keep(NearestSet& s, Index r, double d2, std::int32_t index) {
  double* d = s.best_d2 + r * s.k;
  std::int32_t* ix = s.best_index + r * s.k;
  Index& kept = s.kept[r];
  // Later points win no ties (they come in index order): insert after equals.
  Index pos = kept < s.k ? kept : s.k - 1;
  while (pos > 0 && d[pos - 1] > d2) {
    d[pos] = d[pos - 1];
    ix[pos] = ix[pos - 1];
    --pos;
  }
  d[pos] = d2;
  ix[pos] = index;
  if (kept < s.k) ++kept;
  if (kept == s.k) s.threshold[r] = d[s.k - 1];
}

}  // namespace

CB_CLONES void scan_nearest(const SampleTileView& tile, const PointRun& run, NearestSet& nearest) {
  alignas(64) double acc[kTileRows];
  for (Index j = 0; j < run.count; ++j) {
    const Index l = run.first + j;
    tile_distances(tile, run.data + l * run.stride, acc);
    int hit = 0;
    for (Index r = 0; r < kTileRows; ++r) hit |= acc[r] < nearest.threshold[r];
    if (!hit) continue;  // the common case once every row holds k points
    for (Index r = 0; r < kTileRows; ++r)
      if (acc[r] < nearest.threshold[r] && l != tile.self[r]) keep(nearest, r, acc[r], static_cast<std::int32_t>(l));
  }
}

CB_CLONES void scan_ranks(const SampleTileView& tile, const PointRun& run, RankCounts& ranks) {
  alignas(64) double acc[kTileRows];
  const Index k = ranks.k;
  const Index end = run.first + run.count;
  // Point l ranks before neighbour j when d < d_j, or d == d_j and l < j: for
  // l < j that is d < nextafter(d_j, +inf). So the run is cut where l reaches
  // a neighbour's index, and within a piece every test is one comparison.
  std::vector<double> bound(static_cast<std::size_t>(k * kTileRows));
  std::vector<Index> cuts{end};
  for (Index at = 0; at < k * kTileRows; ++at) {
    const double j = ranks.neighbour[at];
    const bool before_j = static_cast<double>(run.first) < j;
    bound[static_cast<std::size_t>(at)] =
        before_j ? std::nextafter(ranks.neighbour_d2[at], std::numeric_limits<double>::infinity())
                 : ranks.neighbour_d2[at];
    if (before_j && j < static_cast<double>(end)) cuts.push_back(static_cast<Index>(j));
  }
  std::sort(cuts.begin(), cuts.end());
  Index l = run.first;
  for (const Index cut : cuts) {
    for (; l < cut; ++l) {
      tile_distances(tile, run.data + l * run.stride, acc);
      int hit = 0;
      for (Index r = 0; r < kTileRows; ++r) hit |= acc[r] <= ranks.limit[r];
      if (!hit) continue;  // farther than every neighbour of every row: ranks before none of them
      // Branch-free over the tile: with a mediocre embedding most points hit some row.
      for (Index c = 0; c < k; ++c) {
        const double* b = bound.data() + c * kTileRows;
        double* before = ranks.ranked_before + c * kTileRows;
        for (Index r = 0; r < kTileRows; ++r) before[r] += acc[r] < b[r] ? 1.0 : 0.0;
      }
    }
    // From l = cut on, the neighbours with index cut win ties no more.
    for (Index at = 0; at < k * kTileRows; ++at)
      if (ranks.neighbour[at] == static_cast<double>(cut)) bound[static_cast<std::size_t>(at)] = ranks.neighbour_d2[at];
  }
}

double squared_distance(const double* a, const double* b, Index d) {
  double acc = 0.0;
  for (Index f = 0; f < d; ++f) {
    const double t = a[f] - b[f];
    acc += t * t;
  }
  return acc;
}

}  // namespace cb::embed::detail
