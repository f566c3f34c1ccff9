#pragma once
// Trustworthiness's inner kernels: a tile of kTileRows sample points
// (feature-major) against a run of consecutive points (row-major), squared
// Euclidean distances vectorised over the tile. Pass 1 keeps each sample
// point's k nearest points (in the embedding); pass 2 counts, for each of those
// neighbours, the points nearer in the original space (its rank).
//
// Every distance is the sum over features, in feature order, of (a − b)², with
// no fused multiply-add (this file is compiled with -ffp-contract=off), so the
// vectorised kernels and squared_distance give the same bits; the per-CPU
// clones (AVX-512, AVX2, baseline) do too.
#include <cstdint>

#include "clusterbench/core/matrix.hpp"

namespace cb::embed::detail {

inline constexpr Index kTileRows = 32;  ///< sample points per tile

/// Points [first, first+count) of a row-major matrix: row l at data + l*stride.
struct PointRun {
  const double* data;
  Index stride;
  Index first;
  Index count;
};

/// A tile of sample points: xt is d × kTileRows feature-major; self[r] is the
/// point's row (−1 for padding, which never matches).
struct SampleTileView {
  const double* xt;
  Index d;
  const Index* self;
};

/// Pass 1 state, per tile row: its kept neighbours, nearest first (ties:
/// smaller index first), and the squared distance a point must beat.
struct NearestSet {
  Index k;
  double* threshold;         ///< kTileRows: +inf until k are kept; −inf for padding
  double* best_d2;           ///< kTileRows × k
  std::int32_t* best_index;  ///< kTileRows × k
  Index* kept;               ///< kTileRows
};

/// Offers the points of `run`, in index order, to every tile row's NearestSet
/// (never the row's own point).
void scan_nearest(const SampleTileView& tile, const PointRun& run, NearestSet& nearest);

/// Pass 2 state, per tile row r and neighbour c, stored neighbour-major
/// ([c·kTileRows + r]) so the counts vectorise over the tile: the neighbour's
/// index and squared distance in the original space, and how many points are
/// nearer (or as near with a smaller index). Padding rows: limit and
/// neighbour_d2 −1, so nothing counts. The row's own point is counted like any
/// other (its distance is exactly 0); the caller takes it out.
struct RankCounts {
  Index k;
  const double* limit;         ///< kTileRows: the largest neighbour_d2 of the row
  const double* neighbour_d2;  ///< k × kTileRows
  const double* neighbour;     ///< k × kTileRows, the index as a double (exact below 2^53)
  double* ranked_before;       ///< k × kTileRows, counts as doubles (exact below 2^53)
};

/// Counts the points of `run` ranked before each tile row's neighbours.
void scan_ranks(const SampleTileView& tile, const PointRun& run, RankCounts& ranks);

/// Σ_f (a_f − b_f)², in the kernels' order and rounding.
double squared_distance(const double* a, const double* b, Index d);

}  // namespace cb::embed::detail
