#pragma once
// Internal: the scores of a batch of runs of one space. Every labeling of the
// batch is scored in one silhouette pass over the space's distance tiles and,
// when asked, one pass over the reference space's tiles; CH, DB and ARI are
// O(n·d) per run. Above config.approximation.exact_up_to points the
// silhouettes are estimated from a seeded sample of points (each sampled
// point's value exact) with a 95% interval, recorded as silhouette_ci_low/high
// and silhouette_sample. Each run's numbers do not depend on which other runs share
// the batch, so a resumed grid stores what a clean one stores.
#include <optional>
#include <span>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/run_profiles.hpp"

namespace cb::grid {

struct ScoringInputs {
  const Matrix& space_points;          ///< the space the runs were clustered in
  const Matrix& reference;             ///< the preprocessed features
  bool space_is_reference = false;     ///< the raw space: its own silhouette is the reference one
  const std::optional<Labels>& truth;  ///< reference labels of a benchmark set, for ARI
  std::uint64_t sample_seed = 0;       ///< seeds the silhouette sample when the data exceed the exact budget
};

/// Sets the scores (and statuses such as fewer_than_2_clusters) of `runs`.
void score_runs(std::span<RunRecord* const> runs, const ScoringInputs& inputs, const GridConfig& config,
                const Executor& executor);

}  // namespace cb::grid
