#pragma once
// k-nearest-neighbour graphs (Euclidean) of a point set with itself: the exact
// blocked brute force (the oracle, fast for moderate n) and NN-descent for
// large n, chosen by size. A point is never its own neighbour. One graph per
// space can feed t-SNE, UMAP-style and anything else that needs neighbours.
#include <cstdint>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::neighbors {

using IndexMatrix = Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Neighbours of every point, nearest first (ties broken by smaller index).
struct KnnGraph {
  Index k = 0;          ///< neighbours per point
  IndexMatrix indices;  ///< n × k row indices of the neighbours
  Matrix distances;     ///< n × k Euclidean distances, ascending per row
};

enum class KnnMethod {
  automatic,  ///< brute force while n²·d is small, a kd-tree in few dimensions, else the cheaper of brute force and
              ///< NN-descent
  exact,      ///< blocked brute force
  kdtree,     ///< exact, by kd-tree queries (fast in few dimensions)
  nndescent,  ///< approximate NN-descent
};

struct NnDescentOptions {
  int max_iterations = 12;   ///< upper bound on join rounds
  double delta = 0.001;      ///< stop when fewer than delta·n·k updates happen in a round
  double sample_rate = 1.0;  ///< fraction of k neighbours sampled as join candidates per round
  Index block_size = 16384;  ///< points joined per block before updates are applied (fixed: part of the result)
};

struct KnnOptions {
  KnnMethod method = KnnMethod::automatic;  ///< algorithm
  double exact_work_limit = 4e9;            ///< automatic: brute force while n²·d ≤ this
  Index kdtree_max_dims = 10;               ///< automatic: above that, a kd-tree up to this many dimensions
  Index kdtree_any_size_dims = 6;           ///< automatic: a kd-tree at any size up to this many dimensions
  NnDescentOptions nndescent;               ///< NN-descent settings
};

/// Exact k nearest neighbours by blocked brute force (distance tiles by GEMM,
/// kept candidates' distances recomputed directly). Throws InputError when
/// k < 1, k ≥ n or the data is empty.
KnnGraph knn_exact(MatrixView points, Index k, const Executor& executor);

/// Approximate k nearest neighbours by NN-descent from a seeded random graph.
/// Deterministic for a seed at any thread count: joins run over fixed blocks
/// of points and the proposals of a block are applied after it, in order.
KnnGraph knn_nndescent(MatrixView points, Index k, const NnDescentOptions& options, std::uint64_t seed,
                       const Executor& executor);

/// Exact k nearest neighbours by kd-tree queries (KdTree::nearest), distances
/// recomputed as knn_exact does: the same graph up to ties at the k-th distance.
/// Throws InputError as knn_exact.
KnnGraph knn_kdtree(MatrixView points, Index k, const Executor& executor);

/// Brute force, kd-tree or NN-descent as options.method (and the size) say.
KnnGraph knn_graph(MatrixView points, Index k, const KnnOptions& options, std::uint64_t seed, const Executor& executor);

/// The method knn_graph uses for n points, k neighbours, d dimensions: the one
/// asked; automatic: a kd-tree up to kdtree_any_size_dims dimensions (measured on 20,000
/// points: as fast as brute force on 6-d Gaussian data at k = 91, 1.7× faster on the 6
/// customer features, 3–25× faster below); otherwise brute force while n²·d ≤
/// exact_work_limit, then a kd-tree up to kdtree_max_dims dimensions, then brute force when it is estimated
/// cheaper than NN-descent (large k, e.g. t-SNE's 3·perplexity), else NN-descent.
KnnMethod resolve_knn_method(Index n, Index k, Index d, const KnnOptions& options);

/// Fraction of the exact neighbours (first k columns) that `approx` also lists.
double knn_recall(const KnnGraph& approx, const KnnGraph& exact);

}  // namespace cb::neighbors
