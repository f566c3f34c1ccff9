#pragma once
// Internal building blocks of K-Means (seeding, Lloyd, Hamerly): the one
// squared-distance formula every path uses, a feature-major copy of the
// points, tiled point × centre kernels (nearest centre, k-means++ potentials),
// the vectorised Hamerly bound update, and the fixed chunking. Not part of the
// public API.
//
// Bit-identity rests on one rule: a squared distance is always
// Σ_f (x_f − c_f)² accumulated from 0 in feature order, with no fused
// multiply-add, whether computed for one point (scalar) or for a tile of
// points (vectorised across points). So Lloyd, Hamerly and the seeding see the
// same numbers for the same (point, centre).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::cluster::detail {

/// Points per transposed tile handed to the distance kernel.
inline constexpr std::size_t kTile = 64;
/// Points per lane group inside the kernel (accumulators kept in registers).
inline constexpr std::size_t kLanes = 8;

/// Raw access to the points: row i starts at data + i * stride.
struct PointsRef {
  const double* data;
  Index stride;
  Index n;
  Index d;
  const double* row(Index i) const { return data + i * stride; }
};

inline PointsRef points_ref(const MatrixView& points) {
  return PointsRef{points.data(), points.outerStride(), points.rows(), points.cols()};
}

/// Σ_f (x_f − c_f)² in feature order: the one formula (see above).
inline double squared_distance(const double* x, const double* c, Index d) {
  double s = 0.0;
  for (Index f = 0; f < d; ++f) {
    const double t = x[f] - c[f];
    s += t * t;
  }
  return s;
}

/// Copies `count` ≤ kTile rows (given by index) feature-major into xt[f * kTile + i];
/// unused lanes are zero so the kernel can always run full width.
template <class RowIndex>
inline void load_tile(const PointsRef& p, const RowIndex* rows, std::size_t count, double* xt) {
  for (std::size_t i = 0; i < count; ++i) {
    const double* x = p.row(static_cast<Index>(rows[i]));
    for (Index f = 0; f < p.d; ++f) xt[static_cast<std::size_t>(f) * kTile + i] = x[f];
  }
  if (count < kTile)
    for (Index f = 0; f < p.d; ++f)
      std::fill(xt + static_cast<std::size_t>(f) * kTile + count, xt + static_cast<std::size_t>(f + 1) * kTile, 0.0);
}

/// The points feature-major: feature f of point i at data[f * stride + i],
/// zero-padded so that a full tile can be read from any point. Kernels read tiles of
/// consecutive points straight from it (tile at point b: data + b, feature
/// stride `stride`) instead of transposing a tile for every use.
struct Columns {
  std::vector<double> data;
  std::size_t stride = 0;
  const double* tile(std::size_t first_point) const { return data.data() + first_point; }
};

/// One parallel pass; costs one more copy of the data.
Columns columns_of(const PointsRef& p, const Executor& executor);

/// Consecutive rows [begin, begin + count) feature-major into xt.
inline void load_tile_range(const PointsRef& p, Index begin, std::size_t count, double* xt) {
  for (std::size_t i = 0; i < count; ++i) {
    const double* x = p.row(begin + static_cast<Index>(i));
    for (Index f = 0; f < p.d; ++f) xt[static_cast<std::size_t>(f) * kTile + i] = x[f];
  }
  if (count < kTile)
    for (Index f = 0; f < p.d; ++f)
      std::fill(xt + static_cast<std::size_t>(f) * kTile + count, xt + static_cast<std::size_t>(f + 1) * kTile, 0.0);
}

/// A tile is kTile points feature-major: feature f of tile point i at
/// xt[f * stride + i] (stride kTile for a loaded tile, Columns::stride for a
/// tile read in place). Squared distances to centres (row-major, d columns)
/// are computed vectorised across points, per lane with the same operations
/// in the same order as squared_distance(). (kmeans_kernels.cpp)

/// For every point of a tile: the nearest of k centres (first on ties), its
/// squared distance and the second-smallest squared distance (+inf when k = 1).
void tile_nearest(const double* xt, std::size_t stride, Index d, const double* centres, Index k, Label* label,
                  double* best, double* second);

/// Multipliers that push a double bound outward by a few ulps after an update.
inline constexpr double kRoundUp = 1.0 + 0x1.0p-50;
inline constexpr double kRoundDown = 1.0 - 0x1.0p-50;

/// Centre motion since the last iteration, as a Hamerly bound update needs it.
struct CentreMotion {
  const double* shift;      ///< per centre: how far it moved (rounded up)
  const double* half_gap;   ///< per centre: half the distance to its nearest other centre (rounded down)
  double max_shift;         ///< largest shift
  double second_max_shift;  ///< largest shift of any other centre than max_shift_label
  Label max_shift_label;    ///< the centre that moved most
  double margin;            ///< relative margin a decision must clear (rounding of distances)
};

/// Hamerly's bound update for `count` points (labels, float bounds per point):
/// the upper bound grows by the own centre's shift, the lower shrinks by the
/// largest shift of another centre, both rounded outward before being stored
/// as floats. decided[t] = −1 where the bounds prove the label, else 0 (then
/// bound[t] is what the exact distance to the own centre must beat).
/// Branch-free and vectorised; the same values at any instruction set.
void update_bounds(const Label* labels, float* upper, float* lower, std::size_t count, const CentreMotion& motion,
                   std::int64_t* decided, double* bound);

/// Fresh bounds from squared distances to the nearest and second-nearest
/// centre: upper[t] ≥ √best[t]·(1 + rel), lower[t] ≤ √second[t]·(1 − rel), as floats.
void bounds_from_squared(const double* best, const double* second, std::size_t count, double rel, float* upper,
                         float* lower);

/// Greedy k-means++ work on one tile of `count` points: folds the pending
/// centre (if any) into closest[0..count) (D = min(D, d(x, pending))), then adds
/// min(D, d(x, candidate t)) for every candidate to lane_sums[t * kLanes + lane]
/// (lane = point index mod kLanes). Tile points from `count` on are ignored.
void tile_potentials(const double* xt, std::size_t stride, Index d, const double* pending, const double* candidates,
                     Index m, double* closest, std::size_t count, double* lane_sums);

/// Asks the OS to back [data, data + bytes) with huge pages where it can
/// (Linux: madvise MADV_HUGEPAGE; elsewhere nothing). Call before first touch:
/// per-point arrays of millions of entries otherwise cost one page fault per
/// 4 KB, which dominates short runs on some VMs. numpy does the same.
void advise_huge_pages(void* data, std::size_t bytes);

/// v.assign(n, value), with huge pages advised before the memory is touched.
template <class Vector, class T>
void assign_huge(Vector& v, std::size_t n, const T& value) {
  v.clear();
  v.shrink_to_fit();
  v.reserve(n);
  advise_huge_pages(v.data(), n * sizeof(typename Vector::value_type));
  v.assign(n, value);
}

/// Points per chunk: fixed by n only (never by the thread count, k or d), so
/// runs with different k can share sweeps and still sum in the same order.
inline std::size_t chunk_grain(Index n) {
  const std::size_t base = 4096;
  const std::size_t max_chunks = std::size_t{1} << 16;
  return std::max(base, (static_cast<std::size_t>(n) + max_chunks - 1) / max_chunks);
}

}  // namespace cb::cluster::detail

namespace cb::cluster {
struct KMeansOptions;
struct KMeansResult;
}  // namespace cb::cluster

namespace cb::cluster::detail {

/// What every restart needs from one look at the data.
struct DataSummary {
  double absolute_tol = 0;    ///< scikit-learn's _tolerance: tol × mean population variance of the features
  std::vector<double> scale;  ///< per feature 2^s with max|x_f| · 2^s < 2^62: the fixed-point grid of centroid sums
};

/// One pass (two when tol > 0) over the data. Throws InputError naming the
/// first row with a NaN or infinite value.
DataSummary summarize(const MatrixView& points, double tol, const Executor& executor);

/// One restart per initial centroid matrix (inputs already validated), run
/// side by side: every sweep over the data does one step of each unfinished
/// run, chunk by chunk, so a chunk is read from memory once for all of them.
/// Each result is exactly what that restart gives alone.
std::vector<KMeansResult> run_lockstep(const MatrixView& points, const Columns& columns,
                                       const std::vector<Matrix>& initial, const KMeansOptions& options,
                                       const DataSummary& summary, const Executor& executor);

/// One greedy k-means++ seeding per generator, side by side (one sweep per
/// centre for all of them). Each equals kmeans_plusplus() with that generator,
/// which is advanced as it would be there.
std::vector<std::vector<Index>> plusplus_lockstep(const MatrixView& points, const Columns& columns, int k,
                                                  std::vector<Rng>& rngs, int n_local_trials, const Executor& executor);

}  // namespace cb::cluster::detail
