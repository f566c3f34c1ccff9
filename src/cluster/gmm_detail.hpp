#pragma once
// Internal EM engine shared by the GMM entry points.
#include "clusterbench/cluster/gmm.hpp"

namespace cb::cluster::detail {

/// Throws InputError for empty data, k outside [1, n] or options out of range.
void check_gmm_input(MatrixView points, int k, const GmmOptions& options);

/// EM from initial responsibilities (n × k; rows need not be normalised —
/// scikit-learn's convention: the first M-step turns them into parameters).
GmmResult gmm_from_responsibilities(MatrixView points, const Matrix& resp, const GmmOptions& options,
                                    const Executor& executor);

/// Keeps the better of two restarts (scikit-learn: highest lower bound; the first on ties).
void keep_best(GmmResult& best, GmmResult candidate, bool first);

}  // namespace cb::cluster::detail
