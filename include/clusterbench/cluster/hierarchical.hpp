#pragma once
// Agglomerative hierarchical clustering: one merge tree per (data, linkage),
// cut at any number of clusters without refitting. The tree is returned in
// SciPy's `Z` layout so a dendrogram can be drawn and compared with SciPy.
//
// Methods: nearest-neighbour chain on a condensed distance matrix (ward,
// complete, average; O(n²) time, n(n−1)/2 doubles), nearest-neighbour chain on
// cluster centroids for Ward (O(n·d) memory and, with no matrix to build, the faster one above ~2,000 points),
// Prim's minimum spanning tree for single linkage (O(n·d) memory), and — the
// one approximation — exact weighted Ward on a K-Means summary of the points
// into micro-clusters (as BIRCH does), for n where O(n²) time is too long.
//
// The tree's leaves are the points, or the micro-clusters when the tree was
// approximated; `point_to_leaf` maps every point to its leaf, so a cut at any
// k ≤ leaves labels every point.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

enum class Linkage {
  ward,      ///< minimum increase of within-cluster variance
  complete,  ///< maximum pairwise distance
  average,   ///< mean pairwise distance (UPGMA)
  single,    ///< minimum pairwise distance
};
/// Config and stored names of Linkage.
inline constexpr EnumName<Linkage> kLinkageNames[] = {{"ward", Linkage::ward},
                                                      {"complete", Linkage::complete},
                                                      {"average", Linkage::average},
                                                      {"single", Linkage::single}};

enum class HierarchyMethod {
  automatic,              ///< ward: the matrix up to 2,000 points, ward_centroids above, micro_clusters above
                          ///< exact_ward_max_points (exact_ward_low_dims_max_points in up to kWardExactLowDims
                          ///< dimensions); complete/average: the matrix within the memory budget; single: MST
  distance_matrix,        ///< nearest-neighbour chain on the condensed distance matrix (not single)
  ward_centroids,         ///< nearest-neighbour chain on centroids and sizes, O(n·d) memory (ward only)
  minimum_spanning_tree,  ///< Prim's MST with distances on the fly, O(n·d) memory (single only)
  micro_clusters,         ///< approximation: exact weighted Ward on a K-Means summary into micro-clusters (ward only)
};
/// Config and stored names of HierarchyMethod.
inline constexpr EnumName<HierarchyMethod> kHierarchyMethodNames[] = {
    {"automatic", HierarchyMethod::automatic},
    {"distance_matrix", HierarchyMethod::distance_matrix},
    {"ward_centroids", HierarchyMethod::ward_centroids},
    {"minimum_spanning_tree", HierarchyMethod::minimum_spanning_tree},
    {"micro_clusters", HierarchyMethod::micro_clusters}};

/// Up to this many dimensions Ward's centroid chain finds nearest clusters in a kd-tree;
/// above it, it scans every cluster (in parallel). On 50,000 Gaussian points, the hard
/// case for a kd-tree, the tree took 1.8 CPU-s in 6 dimensions and 6.9 in 8, where the
/// 2-thread scan took 12.4 and 14.2 (6.3 and 7.2 s wall); in 10, 16.6 against 16.3 (8.3 s wall).
inline constexpr Index kWardTreeMaxDims = 8;
/// Up to this many dimensions automatic Ward stays exact up to exact_ward_low_dims_max_points
/// (10⁶ customers: 3.3 s in 2 dimensions, 25 s in 6).
inline constexpr Index kWardExactLowDims = 6;

struct HierarchicalOptions {
  Linkage linkage = Linkage::ward;                         ///< merge criterion
  HierarchyMethod method = HierarchyMethod::automatic;     ///< algorithm; automatic picks from n and the memory budget
  std::size_t memory_budget_bytes = std::size_t{1} << 30;  ///< largest condensed distance matrix allowed (automatic)
  Index exact_ward_max_points = 100000;  ///< automatic: ward above this many points uses micro_clusters (exact
                                         ///< ward_centroids scanning is O(n²·d): ~28 s at 100,000 × 8 on 2 cores)
  Index exact_ward_low_dims_max_points = 2000000;  ///< the same in up to kWardExactLowDims dimensions, where the
                                                   ///< chain's kd-tree makes exact Ward about n·log n (10⁶
                                                   ///< customers: 3.3 s in 2 dimensions, 25 s in 6)
  Index micro_clusters = 2048;  ///< micro-clusters (tree leaves) of the micro_clusters method (≥ 2); n ≤ this builds
                                ///< the exact tree (1M × 8: 2.2 s)
  std::uint64_t seed = 0;  ///< seeds the K-Means summary of the micro_clusters method
};

struct HierarchicalTree {
  /// (L−1) × 4 merge table in SciPy's layout over the L leaves: row i merges
  /// clusters Z(i,0) < Z(i,1) (ids < L are leaves, L+j is the cluster formed by
  /// row j) at height Z(i,2), forming a cluster of Z(i,3) points. Rows are
  /// sorted by height. Without approximation the leaves are the points (L = n).
  Matrix merges;
  Index points = 0;                  ///< n
  Index leaves = 0;                  ///< L: n, or the micro-clusters kept (≤ micro_clusters)
  std::vector<Index> point_to_leaf;  ///< leaf of each point; empty when the leaves are the points
  double summary_inertia = 0.0;      ///< squared distances of points to their leaf's centroid (0 when exact)
  Linkage linkage = Linkage::ward;   ///< linkage used
  HierarchyMethod method = HierarchyMethod::automatic;  ///< method actually used (never automatic)

  /// True when the tree was built on micro-clusters rather than the points.
  bool approximate() const { return !point_to_leaf.empty(); }
};

/// Builds the full merge tree. Throws InputError for empty data, for
/// complete/average linkage when the distance matrix exceeds the memory budget
/// (or a method that does not support the linkage is forced), and for
/// micro_clusters < 2 when that method is used. On micro-clusters the heights
/// are exact Ward distances between the groups of points the tree merges.
HierarchicalTree hierarchical_tree(MatrixView points, const HierarchicalOptions& options, const Executor& executor);

/// Ward tree of weighted points: point i stands for weights[i] > 0 coincident
/// points (e.g. a micro-cluster's centroid and size). Exact, O(n·d) memory,
/// O(n²·d) time; with all weights 1 it is the ward_centroids tree. Merge sizes
/// Z(i,3) are weight sums. Throws InputError for empty data, a weight count
/// other than n, or a weight that is not finite and positive.
HierarchicalTree weighted_ward_tree(MatrixView points, std::span<const double> weights, const Executor& executor);

/// The method hierarchical_tree will use for n points in d dimensions (resolves automatic);
/// throws InputError where hierarchical_tree would for its method choice.
HierarchyMethod resolve_hierarchy_method(Index n, Index d, const HierarchicalOptions& options);

/// Labels of every point for the k-cluster cut (the first L−k merges),
/// numbered 0..k−1 in order of first appearance over the points.
/// Throws InputError unless 1 ≤ k ≤ leaves.
Labels cut_tree(const HierarchicalTree& tree, int k);

/// Height of the merge that joins the k-cluster cut into k−1 clusters
/// (Z(L−k, 2)). Throws InputError unless 2 ≤ k ≤ leaves.
double cut_height(const HierarchicalTree& tree, int k);

/// Name of a linkage ("ward", ...) and the inverse (throws InputError).
inline std::string_view linkage_name(Linkage linkage) { return name_of(kLinkageNames, linkage); }
Linkage parse_linkage(std::string_view name);
inline std::string_view hierarchy_method_name(HierarchyMethod method) { return name_of(kHierarchyMethodNames, method); }

}  // namespace cb::cluster
