#pragma once
// Internal: loading what spaces read from files (external embeddings) before
// any run starts, and what of it enters the run keys and the stored params.
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

/// One entry per configured space (empty for spaces computed from the features).
/// Throws InputError/ConfigError for bad input, naming the file, line and column.
std::vector<SpaceInput> load_space_inputs(const GridConfig& config, const Dataset& data);

/// The params stored with a space: its resolved params plus its input's details (e.g. the file digest).
std::string stored_space_params(const SpaceConfig& space, const SpaceInput& input);

}  // namespace cb::grid
