#pragma once
// Internal: a weighted sparse graph in CSR form, and the pieces of the
// UMAP-style pipeline that build and initialise from it.
#include <cstdint>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/neighbors/knn.hpp"

namespace cb::embed::detail {

struct SparseGraph {
  Index n = 0;
  std::vector<std::int64_t> row_ptr;  ///< n + 1 offsets
  std::vector<std::int32_t> cols;     ///< column of each entry, ascending per row
  std::vector<double> weights;        ///< weight of each entry
};

/// umap-learn's fuzzy_simplicial_set: smooth-kNN memberships per point from the
/// first `neighbors` columns of the graph (self excluded; `neighbors`+1 counts
/// the point itself), then the fuzzy union A + Aᵀ - A∘Aᵀ.
SparseGraph fuzzy_simplicial_set(const neighbors::KnnGraph& knn, Index neighbors, const Executor& executor);

/// Leading non-trivial eigenvectors of D^-1/2 W D^-1/2 by subspace iteration,
/// n × dims. Returns an empty matrix when the graph is too small.
Matrix spectral_layout(const SparseGraph& graph, Index dims, int iterations, std::uint64_t seed,
                       const Executor& executor);

}  // namespace cb::embed::detail
