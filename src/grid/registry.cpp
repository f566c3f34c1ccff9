#include "clusterbench/grid/registry.hpp"

#include "builtin.hpp"

namespace cb::grid {
namespace {

const std::vector<AlgorithmEntry>& algorithms() {
  static const std::vector<AlgorithmEntry> entries{kmeans_entry(), gmm_entry(), hierarchical_entry(), dbscan_entry()};
  return entries;
}

const std::vector<SpaceEntry>& spaces() {
  static const std::vector<SpaceEntry> entries{raw_space_entry(), pca_space_entry(), tsne_space_entry(), umap_space_entry(),
                                                 tree_space_entry(), external_space_entry()};
  return entries;
}

}  // namespace

const AlgorithmEntry* find_algorithm(const std::string& name) {
  for (const auto& e : algorithms())
    if (e.name == name) return &e;
  return nullptr;
}

const SpaceEntry* find_space(const std::string& name) {
  for (const auto& e : spaces())
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<const AlgorithmEntry*> all_algorithms() {
  std::vector<const AlgorithmEntry*> out;
  for (const auto& e : algorithms()) out.push_back(&e);
  return out;
}

std::vector<const SpaceEntry*> all_spaces() {
  std::vector<const SpaceEntry*> out;
  for (const auto& e : spaces()) out.push_back(&e);
  return out;
}

}  // namespace cb::grid
