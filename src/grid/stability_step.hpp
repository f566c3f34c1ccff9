#pragma once
// Internal: the grid's stability step (config section `stability:`). Every run
// with labels is refitted on `resamples` subsamples of `fraction` of its
// space's points, drawn without replacement; each refit is compared with the
// run's labels on the subsample (metrics/partition_stability.hpp).
//
// Seeds: subsample b of a family (space, algorithm, parameters: the run's
// identity but k) and the refit on it derive from the family's seed and b, so
// every k of the family shares subsample b and one fit_all_k call serves them
// all (K-Means' per-k seedings, one dendrogram or one DBSCAN MST for every k).
// Nothing depends on thread ids or run order: the same bits for 1 and N
// threads, MPI ranks and shards.
#include <cstdint>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

using records::RunRecord;

/// The runs of one family whose stability is wanted.
struct StabilityFamily {
  const AlgorithmEntry* entry = nullptr;  ///< the algorithm, refitted with the same parameters and k
  const Json* params = nullptr;           ///< its resolved parameters
  const Matrix* points = nullptr;         ///< the space's points
  std::uint64_t seed = 0;                 ///< the family's seed
  std::vector<RunRecord*> runs;           ///< distinct k, each with labels
};

/// Whether a run should get (or be given again) its stability under `config`:
/// it has labels and no stability measured with these settings.
bool needs_stability(const RunRecord& run, const StabilityConfig& config);

/// Points in each subsample of n points: round(fraction · n), at least 1.
Index stability_subsample_size(const StabilityConfig& config, Index n);

/// Throws ConfigError when a subsample of n points cannot hold an algorithm's largest k.
void check_stability_fits(const GridConfig& config, Index n);

/// Refits every family on every subsample and sets each run's stability
/// (records::set_stability). The (family, subsample) refits are tasks on the
/// executor, the costliest families' first; the kernels run in parallel inside.
void measure_stability(const std::vector<StabilityFamily>& families, const StabilityConfig& config,
                       const Executor& executor);

}  // namespace cb::grid
