#pragma once
// The identity of every run and space of a grid, fixed before anything runs:
// one family per (space, algorithm entry), one run key per k, one key per
// space. Keys hash everything that determines a result (data digest, prep,
// params, seed, code version), so a stored result is reused exactly when it
// would be recomputed identically.
#include <cstdint>
#include <string>
#include <vector>

#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

struct SpacePlan {
  std::string key;         ///< identity of the space's points
  std::uint64_t seed = 0;  ///< seed of the embedding
  std::string params;      ///< resolved params as stored (with the input's details)
};

struct FamilyPlan {
  std::size_t space = 0;          ///< index into config.spaces
  std::size_t algorithm = 0;      ///< index into config.algorithms
  std::uint64_t seed = 0;         ///< seed of every k of the family
  std::vector<std::string> keys;  ///< one run key per k of the algorithm, in k order
};

struct GridPlan {
  std::vector<SpacePlan> spaces;     ///< one per config.spaces entry
  std::vector<FamilyPlan> families;  ///< spaces outer, algorithms inner
};

/// `points`: rows of the data; above the exact budget the approximation settings enter the keys.
GridPlan plan_grid(const GridConfig& config, const std::vector<SpaceInput>& space_inputs,
                   const std::string& data_digest, const std::string& program_version, Index points);

}  // namespace cb::grid
