#pragma once
// Internal: what every embedding space shares: its quality measured by
// trustworthiness against the reference space, and timing.
#include "clusterbench/core/sampling.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

/// The declaration of the trustworthiness parameter every embedding space has.
inline ParamSpec trustworthiness_param() {
  return ParamSpec{"trustworthiness_neighbors",
                   "neighbours for the stored trustworthiness of the embedding (scikit-learn's definition); 0 = skip",
                   "int",
                   5,
                   0.0,
                   1000.0,
                   {}};
}

/// An embedding space's parameters: its own, then trustworthiness_neighbors.
inline std::vector<ParamSpec> with_trustworthiness(std::vector<ParamSpec> specs) {
  specs.push_back(trustworthiness_param());
  return specs;
}

/// Adds trustworthiness (and its k) to a space result when asked for.
inline void add_trustworthiness(SpaceResult& result, const SpaceRequest& request) {
  const auto k = request.params.at("trustworthiness_neighbors").get<Index>();
  if (k <= 0 || 2 * k >= request.features.rows()) return;  // undefined for so few points
  result.values["trustworthiness_neighbors"] = static_cast<double>(k);
  if (request.trustworthiness_sample <= 0 || request.trustworthiness_sample >= request.features.rows()) {
    result.values["trustworthiness"] = embed::trustworthiness(request.features, result.points, k, request.executor);
    return;
  }
  // Above the exact budget: exact per-point terms on a seeded sample, with a 95% interval.
  const auto rows = uniform_row_sample(request.features.rows(), request.trustworthiness_sample, request.seed ^ 0x7457);
  const auto estimate = embed::trustworthiness_sampled(request.features, result.points, k, rows, request.executor);
  result.values["trustworthiness"] = estimate.value;
  result.values["trustworthiness_ci_low"] = estimate.ci_low;
  result.values["trustworthiness_ci_high"] = estimate.ci_high;
  result.values["trustworthiness_sample"] = static_cast<double>(estimate.sample_size);
}

}  // namespace cb::grid
