#pragma once
// Exact silhouette in O(n·tile) memory. Many labelings of the same points are
// scored in one pass over distance tiles: per-point sums of distances to each
// cluster are the distance tile times the stacked one-hot label matrix.
#include <span>
#include <string>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::metrics {

struct SilhouetteOptions {
  bool per_sample = false;   ///< also return the per-point silhouette values
  Index row_tile = 0;        ///< rows per distance tile (0 = chosen for the cache)
  Index col_tile = 0;        ///< columns per distance tile (0 = chosen for the cache)
  /// Each labeling's result independent, bit for bit, of which other labelings
  /// share the pass (points ordered by their own coordinates, no fast path for
  /// the first labeling). The grid needs it: a resumed grid scores a different
  /// subset of runs together than a clean one, and must store the same numbers.
  bool batch_invariant = false;
  bool onehot_gemm = false;  ///< accumulate cluster sums as distance tile × stacked one-hot (Eigen GEMM) instead of per-label adds; same values to rounding, kept to measure both
};

struct SilhouetteResult {
  double mean = 0;           ///< mean over scored points; NaN when undefined
  Vector per_sample;         ///< per point (NaN for noise points), when asked
  Index points_scored = 0;   ///< points that are not noise
  Index noise_excluded = 0;  ///< points labelled kNoise, excluded from the score (policy: "exclude_noise")
  int clusters = 0;          ///< distinct non-noise labels
  std::string status = "ok"; ///< "ok" or "undefined" (fewer than 2 or more than n-1 clusters)
};

/// Silhouette of every labeling in one pass. Noise points (kNoise) are left out
/// both as samples and as neighbours, as scikit-learn would after dropping them.
/// Points in singleton clusters score 0 (as scikit-learn).
std::vector<SilhouetteResult> silhouette_many(MatrixView points, std::span<const Labels> labelings,
                                              const SilhouetteOptions& options, const Executor& executor);

SilhouetteResult silhouette(MatrixView points, const Labels& labels, const SilhouetteOptions& options,
                            const Executor& executor);

}  // namespace cb::metrics
