#pragma once
// The sampled silhouette (options.sample_rows non-empty): silhouette_many
// hands over to it.
#include <span>
#include <vector>

#include "clusterbench/metrics/silhouette.hpp"

namespace cb::metrics::detail {

std::vector<SilhouetteResult> silhouette_many_sampled(MatrixView points, std::span<const Labels> labelings,
                                                      const SilhouetteOptions& options, const Executor& executor);

}  // namespace cb::metrics::detail
