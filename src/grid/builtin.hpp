#pragma once
// Internal: the factories of the built-in registry entries, one file each.
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

AlgorithmEntry kmeans_entry();
AlgorithmEntry gmm_entry();
AlgorithmEntry hierarchical_entry();
AlgorithmEntry dbscan_entry();

SpaceEntry raw_space_entry();
SpaceEntry pca_space_entry();
SpaceEntry tsne_space_entry();
SpaceEntry umap_space_entry();
SpaceEntry tree_space_entry();
SpaceEntry external_space_entry();

}  // namespace cb::grid
