#pragma once
// K-Means: greedy k-means++ seeding (as scikit-learn), Lloyd iterations
// accelerated by Hamerly bounds, best of n_init restarts. Deterministic from its seed
// at any thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

enum class KMeansMethod {
  hamerly,  ///< Lloyd with Hamerly bounds (skips most distance work)
  lloyd,    ///< plain Lloyd (the oracle)
};

struct KMeansOptions {
  int n_init = 10;                 ///< restarts from different seedings; the lowest inertia wins
  int max_iter = 300;              ///< Lloyd iterations per restart
  double tol = 1e-4;               ///< stop when centroid shift² ≤ tol × mean feature variance (scikit-learn's rule)
  KMeansMethod method = KMeansMethod::hamerly;  ///< iteration scheme
};

struct KMeansResult {
  Labels labels;                   ///< nearest centroid per point
  Matrix centroids;                ///< k × d
  double inertia = 0;              ///< sum of squared distances to the assigned centroid
  int iterations = 0;              ///< iterations of the winning restart
  bool converged = false;          ///< winning restart met tol before max_iter
  int empty_clusters_fixed = 0;    ///< empty clusters re-seeded during the winning restart
};

/// Throws InputError when k < 1, k > number of points or the data is empty.
KMeansResult kmeans(MatrixView points, int k, const KMeansOptions& options, std::uint64_t seed,
                    const Executor& executor);

}  // namespace cb::cluster
