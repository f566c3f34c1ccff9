#pragma once
// Agglomerative hierarchical clustering: one merge tree per (data, linkage),
// cut at any number of clusters without refitting. The tree is returned in
// SciPy's `Z` layout so a dendrogram can be drawn and compared with SciPy.
//
// Methods: nearest-neighbour chain on a condensed distance matrix (ward,
// complete, average; O(n²) time, n(n−1)/2 doubles), nearest-neighbour chain on
// cluster centroids for Ward (O(n·d) memory, for n beyond the memory budget),
// and Prim's minimum spanning tree for single linkage (O(n·d) memory).
#include <cstddef>
#include <string_view>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

enum class Linkage {
  ward,      ///< minimum increase of within-cluster variance
  complete,  ///< maximum pairwise distance
  average,   ///< mean pairwise distance (UPGMA)
  single,    ///< minimum pairwise distance
};

enum class HierarchyMethod {
  automatic,         ///< matrix when it fits the memory budget, else centroids (ward) / MST (single)
  distance_matrix,   ///< nearest-neighbour chain on the condensed distance matrix (not single)
  ward_centroids,    ///< nearest-neighbour chain on centroids and sizes, O(n·d) memory (ward only)
  minimum_spanning_tree,  ///< Prim's MST with distances on the fly, O(n·d) memory (single only)
};

struct HierarchicalOptions {
  Linkage linkage = Linkage::ward;                 ///< merge criterion
  HierarchyMethod method = HierarchyMethod::automatic;  ///< algorithm; automatic picks from the memory budget
  std::size_t memory_budget_bytes = std::size_t{1} << 30;  ///< largest condensed distance matrix allowed (automatic)
};

struct HierarchicalTree {
  /// (n−1) × 4 merge table in SciPy's layout: row i merges clusters Z(i,0) < Z(i,1)
  /// (ids < n are points, n+j is the cluster formed by row j) at height Z(i,2),
  /// forming a cluster of Z(i,3) points. Rows are sorted by height.
  Matrix merges;
  Index points = 0;                                 ///< n
  Linkage linkage = Linkage::ward;                  ///< linkage used
  HierarchyMethod method = HierarchyMethod::automatic;  ///< method actually used (never automatic)
};

/// Builds the full merge tree. Throws InputError for empty data, and for
/// complete/average linkage when the distance matrix exceeds the memory budget
/// (or a method that does not support the linkage is forced).
HierarchicalTree hierarchical_tree(MatrixView points, const HierarchicalOptions& options,
                                   const Executor& executor);

/// Labels of the k-cluster cut (the first n−k merges), numbered 0..k−1 in
/// order of first appearance. Throws InputError unless 1 ≤ k ≤ n.
Labels cut_tree(const HierarchicalTree& tree, int k);

/// Name of a linkage ("ward", ...) and the inverse (throws InputError).
std::string_view linkage_name(Linkage linkage);
Linkage parse_linkage(std::string_view name);
std::string_view hierarchy_method_name(HierarchyMethod method);

}  // namespace cb::cluster
