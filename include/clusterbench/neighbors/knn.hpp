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
  automatic,  ///< exact when n²·d is small enough, NN-descent otherwise
  exact,      ///< blocked brute force
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
  double exact_work_limit = 4e9;            ///< automatic: exact while n²·d ≤ this (and beyond when cheaper)
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

/// Exact or NN-descent as options.method (and the size) say.
KnnGraph knn_graph(MatrixView points, Index k, const KnnOptions& options, std::uint64_t seed, const Executor& executor);

/// True when options would pick the exact method for n points, k neighbours, d
/// dimensions: always while n²·d ≤ exact_work_limit, beyond that when brute
/// force is estimated cheaper than NN-descent (large k, e.g. t-SNE's 3·perplexity).
bool knn_uses_exact(Index n, Index k, Index d, const KnnOptions& options);

/// Fraction of the exact neighbours (first k columns) that `approx` also lists.
double knn_recall(const KnnGraph& approx, const KnnGraph& exact);

}  // namespace cb::neighbors
