#pragma once
// Internal: the factories of the built-in registry entries, one file each.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

/// Fits one k from its seed (derived from the family seed and k).
using OneKFit = std::function<RunOutcome(int k, std::uint64_t seed)>;

/// Fits every k of the request as parallel tasks, timing each fit and
/// emitting it as soon as it is done; returns no outcomes (all were emitted).
std::vector<RunOutcome> fit_each_k(const FamilyRequest& request, const OneKFit& fit_one);

/// A registry entry from its parts: the last function of every adapter file.
inline AlgorithmEntry algorithm_entry(std::string name, std::string summary, std::vector<ParamSpec> params,
                                      decltype(AlgorithmEntry::fit_all_k) fit_all_k, CostEstimator estimate) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .params = std::move(params),
          .fit_all_k = std::move(fit_all_k),
          .estimate = std::move(estimate)};
}
inline SpaceEntry space_entry(std::string name, std::string summary, std::vector<ParamSpec> params,
                              decltype(SpaceEntry::compute) compute, CostEstimator estimate) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .params = std::move(params),
          .compute = std::move(compute),
          .estimate = std::move(estimate)};
}

// The factories of builtin_entries.def: <name>_entry() and <name>_space_entry().
#define CB_ALGORITHM(name) AlgorithmEntry name##_entry();
#define CB_SPACE(name) SpaceEntry name##_space_entry();
#include "builtin_entries.def"
#undef CB_ALGORITHM
#undef CB_SPACE

}  // namespace cb::grid
