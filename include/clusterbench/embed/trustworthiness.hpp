#pragma once
// Trustworthiness of an embedding (Venna & Kaski 2001), exactly as
// scikit-learn's sklearn.manifold.trustworthiness with the Euclidean metric:
// how much the k nearest neighbours in the embedding are also near in the
// original space. 1 is perfect. Exact, O(n²·(d + k)) time, O(n) memory per chunk.
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::embed {

/// Throws InputError when the row counts differ, the data is empty or
/// n_neighbors is not in 1..n/2 (exclusive, as scikit-learn).
/// Ties in original-space distance are ranked by point index.
double trustworthiness(MatrixView original, MatrixView embedded, Index n_neighbors, const Executor& executor);

}  // namespace cb::embed
