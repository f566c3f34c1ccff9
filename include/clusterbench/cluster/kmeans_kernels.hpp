#pragma once
// Internal building blocks of K-Means (seeding, Lloyd, Hamerly): the one
// squared-distance formula every path uses, a tiled point × centre distance
// kernel, and the fixed chunking. Not part of the public API.
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

/// out[j * kTile + i] = squared distance of tile point i to centre j (m centres,
/// row-major m × d). Vectorised across points; per lane the same operations
/// in the same order as squared_distance(). (kmeans_kernels.cpp)
void tile_distances(const double* xt, Index d, const double* centres, Index m, double* out);

/// For every point of a tile: the nearest of k centres (first on ties), its
/// squared distance and the second-smallest squared distance (+inf when k = 1),
/// with exactly the values tile_distances() would give.
void tile_nearest(const double* xt, Index d, const double* centres, Index k, Label* label, double* best,
                  double* second);

/// Points per chunk: fixed by n, k and d only (never by the thread count), large
/// enough to amortise scheduling, small enough that per-chunk partial sums
/// (k × (d + 1) 16-byte integers each) stay within ~16 MB in total.
inline std::size_t chunk_grain(Index n, Index k, Index d) {
  const std::size_t base = 4096;
  const std::size_t per_chunk = static_cast<std::size_t>(k) * static_cast<std::size_t>(d + 1);
  const std::size_t max_chunks = std::max<std::size_t>(16, (std::size_t{1} << 20) / std::max<std::size_t>(1, per_chunk));
  const std::size_t by_budget = (static_cast<std::size_t>(n) + max_chunks - 1) / max_chunks;
  return std::max(base, by_budget);
}

}  // namespace cb::cluster::detail

namespace cb::cluster {
struct KMeansOptions;
struct KMeansResult;
}  // namespace cb::cluster

namespace cb::cluster::detail {

/// What every restart needs from one look at the data.
struct DataSummary {
  double absolute_tol = 0;      ///< scikit-learn's _tolerance: tol × mean population variance of the features
  std::vector<double> scale;    ///< per feature 2^s with max|x_f| · 2^s < 2^62: the fixed-point grid of centroid sums
};

/// One pass (two when tol > 0) over the data. Throws InputError naming the
/// first row with a NaN or infinite value.
DataSummary summarize(const MatrixView& points, double tol, const Executor& executor);

/// One restart from the given centroids (inputs already validated).
KMeansResult run_from_centroids(const MatrixView& points, const Matrix& initial_centroids,
                                const KMeansOptions& options, const DataSummary& summary, const Executor& executor);

}  // namespace cb::cluster::detail
