#pragma once
// Trustworthiness of an embedding (Venna & Kaski 2001), exactly as
// scikit-learn's sklearn.manifold.trustworthiness with the Euclidean metric:
// how much the k nearest neighbours in the embedding are also near in the
// original space. 1 is perfect. Exact: O(n²·d) time; sampled (an estimate
// with a 95% interval): O(s·n·d) time. Memory O(s·k) either way, never n×n.
#include <span>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::embed {

/// Throws InputError when the row counts differ, the data is empty or
/// n_neighbors is not in 1..n/2 (exclusive, as scikit-learn).
/// Ties in original-space distance are ranked by point index.
double trustworthiness(MatrixView original, MatrixView embedded, Index n_neighbors, const Executor& executor);

/// Trustworthiness estimated from a sample of points (or exact).
struct TrustworthinessEstimate {
  double value;            ///< estimate (exact when not sampled or the sample is every row)
  double std_error;        ///< standard error (simple random sample, finite-population corrected); 0 when exact
  double ci_low, ci_high;  ///< 95% interval (value ± 1.96·std_error; both = value when exact)
  Index sample_size;       ///< points whose terms were computed
  bool sampled;            ///< sample_rows was given
};

/// Each sampled point's exact term (the original-space ranks of its k embedded
/// nearest neighbours, against all n points: O(n·d) per point), averaged with
/// scikit-learn's normalisation so that sampling every row gives exactly
/// trustworthiness(). sample_rows: distinct rows, any order (InputError
/// otherwise); empty = every row (exact, sampled = false). Draw them with
/// cb::uniform_row_sample (core/sampling.hpp). Bit-identical at any thread count.
TrustworthinessEstimate trustworthiness_sampled(MatrixView original, MatrixView embedded, Index n_neighbors,
                                                std::span<const Index> sample_rows, const Executor& executor);

}  // namespace cb::embed
