#pragma once
// Cluster validity scores besides silhouette, and agreement with reference labels.
// Noise points (kNoise) are excluded from the internal scores.
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::metrics {

/// Calinski–Harabasz index (scikit-learn's definition); NaN when fewer than 2 clusters.
double calinski_harabasz(MatrixView points, const Labels& labels, const Executor& executor);

/// Davies–Bouldin index (scikit-learn's definition); NaN when fewer than 2 clusters.
double davies_bouldin(MatrixView points, const Labels& labels, const Executor& executor);

/// Adjusted Rand index between two labelings (noise treated as its own label, as scikit-learn does).
double adjusted_rand_index(const Labels& a, const Labels& b);

}  // namespace cb::metrics
