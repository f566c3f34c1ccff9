#pragma once
// Internal: the factories of the built-in registry entries, one file each.
#include <cstdint>
#include <functional>
#include <vector>

#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

/// Fits one k from its seed (derived from the family seed and k).
using OneKFit = std::function<RunOutcome(int k, std::uint64_t seed)>;

/// Fits every k of the request as parallel tasks, timing each fit and
/// emitting it as soon as it is done; returns no outcomes (all were emitted).
std::vector<RunOutcome> fit_each_k(const FamilyRequest& request, const OneKFit& fit_one);

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
