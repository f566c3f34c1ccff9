#pragma once
// Exact silhouette in O(n·tile) memory. Many labelings of the same points are
// scored in one pass over distance tiles: labelings whose meet (coarsest
// common refinement) is small share the per-point sums over its cells. The
// sums are exact integers on a fixed-point grid of the distances (about 2^-47
// of the data's diameter at n = 20,000), so each labeling's result is the
// same bits whatever the thread count and whichever labelings share the call.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::metrics {

struct SilhouetteOptions {
  bool per_sample = false;             ///< also return the per-point silhouette values
  Index row_tile = 0;                  ///< rows per distance tile (0 = chosen for the cache)
  Index col_tile = 0;                  ///< columns per distance tile (0 = chosen for the cache)
  std::span<const Index> sample_rows;  ///< when non-empty: score only these rows (exact a(i), b(i) against all n
                                       ///< points); mean is then an estimate
  bool post_stratify = false;  ///< sampled: estimate the mean post-stratified by cluster (falls back to the plain
                               ///< sample mean when a cluster has < 2 sampled points)
};

struct SilhouetteResult {
  double mean = 0;            ///< mean over scored points; NaN when undefined
  Vector per_sample;          ///< per point (NaN for noise points), when asked
  Index points_scored = 0;    ///< points that are not noise
  Index noise_excluded = 0;   ///< points labelled kNoise, excluded from the score (policy: "exclude_noise")
  int clusters = 0;           ///< distinct non-noise labels
  std::string status = "ok";  ///< "ok", "undefined" (fewer than 2 or more than n-1 clusters) or "empty_sample" (every
                              ///< sampled row is noise)
  bool sampled = false;       ///< the mean is an estimate from options.sample_rows
  Index sample_size = 0;      ///< points the mean is over: sampled non-noise rows (exact: points_scored)
  double std_error =
      0;  ///< standard error of the mean (simple random sample, finite-population corrected); 0 when exact
  double ci_low =
      std::numeric_limits<double>::quiet_NaN();  ///< 95% interval of the mean when sampled (exact: ci = mean)
  double ci_high = std::numeric_limits<double>::quiet_NaN();  ///< upper end of that interval
  bool post_stratified =
      false;  ///< the estimate is post-stratified by cluster (options.post_stratify and every cluster sampled twice)
};

/// Silhouette of every labeling in one pass. Noise points (kNoise) are left out
/// both as samples and as neighbours, as scikit-learn would after dropping them.
/// Points in singleton clusters score 0 (as scikit-learn).
///
/// With options.sample_rows (distinct rows, any order; InputError otherwise):
/// only those rows are scored, each exactly as above (distances to all n
/// points, cluster sizes of the full labeling), in O(s·n·(d + labelings))
/// time and O(s·clusters) memory. per_sample then has one value per sample
/// row, in the order of sample_rows (NaN for noise), and the mean is the mean
/// over the sampled non-noise points with a 95% interval.
std::vector<SilhouetteResult> silhouette_many(MatrixView points, std::span<const Labels> labelings,
                                              const SilhouetteOptions& options, const Executor& executor);

SilhouetteResult silhouette(MatrixView points, const Labels& labels, const SilhouetteOptions& options,
                            const Executor& executor);

/// A seeded uniform sample of `size` distinct rows of [0, n), sorted, for
/// options.sample_rows. Depends on (n, size, seed) only, never on threads.
std::vector<Index> silhouette_sample(Index n, Index size, std::uint64_t seed);

}  // namespace cb::metrics
