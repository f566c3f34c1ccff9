#pragma once
// Internal: the factories of the built-in registry entries, one file each.
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

AlgorithmEntry kmeans_entry();
SpaceEntry raw_space_entry();

}  // namespace cb::grid
