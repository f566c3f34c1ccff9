// Hierarchical clustering entry point: picks the method, builds the raw merges,
// and converts them into SciPy's Z layout; cuts the tree at k clusters.
#include "clusterbench/cluster/hierarchical.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "clusterbench/core/error.hpp"
#include "hierarchical_detail.hpp"

namespace cb::cluster {
namespace {

/// Union-find over leaf ids and new cluster ids n+j; a leaf's size is its weight.
class MergeForest {
 public:
  explicit MergeForest(Index n, std::span<const double> weights = {})
      : parent_(std::size_t(2 * n - 1)), size_(std::size_t(2 * n - 1), 1.0), next_(n) {
    std::iota(parent_.begin(), parent_.end(), Index{0});
    std::copy(weights.begin(), weights.end(), size_.begin());
  }
  Index find(Index x) {
    Index root = x;
    while (parent_[root] != root) root = parent_[root];
    while (parent_[x] != root) {
      const Index up = parent_[x];
      parent_[x] = root;
      x = up;
    }
    return root;
  }
  /// Joins two roots into a new cluster id; returns its size.
  double join(Index a, Index b) {
    const Index c = next_++;
    parent_[a] = parent_[b] = c;
    size_[c] = size_[a] + size_[b];
    return size_[c];
  }

 private:
  std::vector<Index> parent_;
  std::vector<double> size_;
  Index next_;
};

/// Ward above this many points uses the centroid chain (see choose_method).
constexpr Index kWardMatrixMaxPoints = 2000;

HierarchyMethod choose_method(Index n, Index d, const HierarchicalOptions& options) {
  const auto matrix_bytes = static_cast<double>(n) * static_cast<double>(n - 1) / 2.0 * sizeof(double);
  const bool fits = matrix_bytes <= static_cast<double>(options.memory_budget_bytes);
  HierarchyMethod method = options.method;
  if (method == HierarchyMethod::automatic) {
    if (options.linkage == Linkage::single) return HierarchyMethod::minimum_spanning_tree;
    const Index exact_max =
        d <= kWardExactLowDims ? options.exact_ward_low_dims_max_points : options.exact_ward_max_points;
    if (options.linkage == Linkage::ward && n > exact_max) return HierarchyMethod::micro_clusters;
    // Ward needs no matrix: the centroid chain was 3x (5,000 points) to 5x (20,000) cheaper
    // in CPU than building and updating the condensed matrix, in O(n·d) memory. Small sets
    // keep the matrix: it breaks ties among equal distances exactly as SciPy does, and
    // small benchmark sets (grid-valued coordinates) are full of them.
    if (options.linkage == Linkage::ward && (n > kWardMatrixMaxPoints || !fits)) return HierarchyMethod::ward_centroids;
    if (fits) return HierarchyMethod::distance_matrix;
    throw InputError(std::string(linkage_name(options.linkage)) + " linkage of " + std::to_string(n) +
                     " points needs a " + std::to_string(static_cast<long long>(matrix_bytes / 1048576.0)) +
                     " MiB distance matrix, above the memory budget of " +
                     std::to_string(options.memory_budget_bytes / 1048576) + " MiB");
  }
  if (method == HierarchyMethod::ward_centroids && options.linkage != Linkage::ward)
    throw InputError("the ward_centroids method only supports ward linkage");
  if (method == HierarchyMethod::micro_clusters && options.linkage != Linkage::ward)
    throw InputError("the micro_clusters method only supports ward linkage");
  if (method == HierarchyMethod::minimum_spanning_tree && options.linkage != Linkage::single)
    throw InputError("the minimum_spanning_tree method only supports single linkage");
  if (method == HierarchyMethod::distance_matrix && options.linkage == Linkage::single)
    return HierarchyMethod::minimum_spanning_tree;  // same tree, less memory
  return method;
}

void check_micro_options(const HierarchicalOptions& options) {
  if (options.micro_clusters < 2)
    throw InputError("micro_clusters must be at least 2, got " + std::to_string(options.micro_clusters));
}

/// Ward on the micro-cluster summary; exact ward_centroids when there are no more points than micro-clusters.
HierarchicalTree micro_cluster_tree(MatrixView points, const HierarchicalOptions& options, const Executor& executor) {
  if (points.rows() <= options.micro_clusters) {
    HierarchicalOptions exact = options;
    exact.method = HierarchyMethod::ward_centroids;
    return hierarchical_tree(points, exact, executor);
  }
  detail::MicroClusters micro =
      detail::summarise_micro_clusters(points, options.micro_clusters, options.seed, executor);
  HierarchicalTree tree = weighted_ward_tree(micro.centroids, micro.sizes, executor);
  tree.points = points.rows();
  tree.point_to_leaf = std::move(micro.point_to_leaf);
  tree.summary_inertia = micro.inertia;
  tree.method = HierarchyMethod::micro_clusters;
  return tree;
}

}  // namespace

namespace detail {

Matrix sort_and_label(std::vector<RawMerge> merges, Index n, std::span<const double> weights) {
  std::stable_sort(merges.begin(), merges.end(),
                   [](const RawMerge& a, const RawMerge& b) { return a.height < b.height; });
  Matrix z(Index(merges.size()), 4);
  MergeForest forest(n, weights);
  for (Index i = 0; i < Index(merges.size()); ++i) {
    const Index ra = forest.find(merges[i].a), rb = forest.find(merges[i].b);
    z(i, 0) = double(std::min(ra, rb));
    z(i, 1) = double(std::max(ra, rb));
    z(i, 2) = merges[i].height;
    z(i, 3) = forest.join(ra, rb);
  }
  return z;
}

}  // namespace detail

HierarchicalTree hierarchical_tree(MatrixView points, const HierarchicalOptions& options, const Executor& executor) {
  const Index n = points.rows();
  if (n == 0 || points.cols() == 0) throw InputError("hierarchical clustering needs at least one point and one column");
  const HierarchyMethod method = choose_method(n, points.cols(), options);
  if (method == HierarchyMethod::micro_clusters) {
    check_micro_options(options);
    return micro_cluster_tree(points, options, executor);
  }
  HierarchicalTree tree;
  tree.points = n;
  tree.leaves = n;
  tree.linkage = options.linkage;
  tree.method = method;
  if (n == 1) {
    tree.merges.resize(0, 4);
    return tree;
  }
  std::vector<detail::RawMerge> merges;
  switch (tree.method) {
    case HierarchyMethod::distance_matrix:
      merges = detail::nn_chain_distance_matrix(points, options.linkage == Linkage::ward,
                                                options.linkage == Linkage::complete, executor);
      break;
    case HierarchyMethod::ward_centroids: merges = detail::nn_chain_ward_centroids(points, {}, executor); break;
    case HierarchyMethod::minimum_spanning_tree: merges = detail::prim_single_linkage(points, executor); break;
    case HierarchyMethod::micro_clusters:
    case HierarchyMethod::automatic: break;
  }
  tree.merges = detail::sort_and_label(std::move(merges), n);
  return tree;
}

HierarchicalTree weighted_ward_tree(MatrixView points, std::span<const double> weights, const Executor& executor) {
  const Index n = points.rows();
  if (n == 0 || points.cols() == 0) throw InputError("weighted Ward needs at least one point and one column");
  if (Index(weights.size()) != n)
    throw InputError("weighted Ward needs one weight per point: " + std::to_string(weights.size()) + " weights for " +
                     std::to_string(n) + " points");
  for (const double w : weights)
    if (!(std::isfinite(w) && w > 0.0))
      throw InputError("weighted Ward weights must be finite and positive, got " + std::to_string(w));
  HierarchicalTree tree;
  tree.points = n;
  tree.leaves = n;
  tree.linkage = Linkage::ward;
  tree.method = HierarchyMethod::ward_centroids;
  if (n == 1) {
    tree.merges.resize(0, 4);
    return tree;
  }
  tree.merges = detail::sort_and_label(detail::nn_chain_ward_centroids(points, weights, executor), n, weights);
  return tree;
}

Labels cut_tree(const HierarchicalTree& tree, int k) {
  const Index leaves = tree.leaves;
  if (k < 1 || Index(k) > leaves)
    throw InputError("cannot cut a tree of " + std::to_string(leaves) +
                     (tree.approximate() ? " micro-clusters" : " points") + " into " + std::to_string(k) + " clusters");
  MergeForest forest(std::max<Index>(leaves, 1));
  for (Index i = 0; i < leaves - k; ++i)
    forest.join(forest.find(Index(tree.merges(i, 0))), forest.find(Index(tree.merges(i, 1))));
  const Index n = tree.points;
  Labels labels(std::size_t(n), kNoise);
  std::vector<Label> label_of_root(std::size_t(2 * leaves), kNoise);
  Label next = 0;
  for (Index i = 0; i < n; ++i) {
    const Index leaf = tree.approximate() ? tree.point_to_leaf[std::size_t(i)] : i;
    auto& l = label_of_root[std::size_t(forest.find(leaf))];
    if (l == kNoise) l = next++;
    labels[std::size_t(i)] = l;
  }
  return labels;
}

double cut_height(const HierarchicalTree& tree, int k) {
  if (k < 2 || Index(k) > tree.leaves)
    throw InputError("no merge joins a " + std::to_string(k) + "-cluster cut of a tree with " +
                     std::to_string(tree.leaves) + " leaves");
  return tree.merges(tree.leaves - k, 2);
}

Linkage parse_linkage(std::string_view name) {
  if (const auto linkage = value_of(kLinkageNames, name)) return *linkage;
  throw InputError("unknown linkage '" + std::string(name) + "' (expected " + listed_names(kLinkageNames) + ")");
}

HierarchyMethod resolve_hierarchy_method(Index n, Index d, const HierarchicalOptions& options) {
  return choose_method(n, d, options);
}

}  // namespace cb::cluster
