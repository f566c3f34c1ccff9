#pragma once
// K-Means: greedy k-means++ seeding (as scikit-learn), Lloyd iterations
// accelerated by Hamerly bounds, best of n_init restarts. Deterministic from its seed
// at any thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::cluster {

enum class KMeansMethod {
  hamerly,  ///< Lloyd with Hamerly bounds (skips most distance work)
  lloyd,    ///< plain Lloyd (the oracle)
};
/// Config and stored names of KMeansMethod.
inline constexpr EnumName<KMeansMethod> kKMeansMethodNames[] = {{"hamerly", KMeansMethod::hamerly},
                                                                {"lloyd", KMeansMethod::lloyd}};

struct KMeansOptions {
  int n_init = 10;     ///< restarts from different seedings; the lowest inertia wins
  int max_iter = 300;  ///< Lloyd iterations per restart
  double tol = 1e-4;   ///< stop when centroid shift² ≤ tol × mean feature variance (scikit-learn's rule)
  KMeansMethod method = KMeansMethod::hamerly;  ///< iteration scheme
  int n_local_trials = 0;  ///< k-means++ candidates per centre; 0 = 2 + floor(ln k) as scikit-learn
};

struct KMeansResult {
  Labels labels;                          ///< nearest centroid per point
  Matrix centroids;                       ///< k × d
  double inertia = 0;                     ///< sum of squared distances to the assigned centroid
  int iterations = 0;                     ///< iterations of the winning restart
  bool converged = false;                 ///< winning restart met tol (or labels stopped changing) before max_iter
  int empty_clusters_fixed = 0;           ///< empty clusters re-seeded during the winning restart
  int empty_clusters = 0;                 ///< centroids with no point in the final labels (e.g. duplicate points)
  int restart = 0;                        ///< index of the winning restart (0-based)
  std::vector<Index> seeds;               ///< rows of the points the winning restart was seeded with
  std::int64_t distance_evaluations = 0;  ///< point–centre distances computed by the winning restart's iterations
};

/// Throws InputError when k < 1, k > number of points, the data is empty or
/// not finite, or an option is out of range (n_init < 1, max_iter < 1, tol < 0).
KMeansResult kmeans(MatrixView points, int k, const KMeansOptions& options, std::uint64_t seed,
                    const Executor& executor);

/// K-Means for every k in `ks` sharing work (DESIGN.md §3): each restart draws
/// one greedy k-means++ seeding for the largest k, and every smaller k starts
/// from its first k centres (n_local_trials follows the largest k unless set).
/// Returns one result per entry of `ks`, in that order. Results differ from
/// separate kmeans() calls (other seedings) but are as deterministic.
std::vector<KMeansResult> kmeans_all_k(MatrixView points, std::span<const int> ks, const KMeansOptions& options,
                                       std::uint64_t seed, const Executor& executor);

/// Greedy k-means++ seeding exactly as scikit-learn's _kmeans_plusplus: the
/// first centre uniform, then per centre `n_local_trials` (0 = 2 + floor(ln k))
/// candidates drawn with probability ∝ the squared distance to the nearest
/// chosen centre, keeping the one that minimises the potential. Returns the
/// chosen rows. Throws InputError as kmeans() does.
std::vector<Index> kmeans_plusplus(MatrixView points, int k, Rng& rng, const Executor& executor,
                                   int n_local_trials = 0);

/// One Lloyd (or Hamerly) run from the given initial centroids (k × d), as one
/// restart of kmeans(): empty clusters re-seeded from the farthest points,
/// a final assignment unless labels stopped changing. options.n_init is ignored.
/// Lloyd and Hamerly give bit-identical results.
KMeansResult kmeans_from_centroids(MatrixView points, const Matrix& initial_centroids, const KMeansOptions& options,
                                   const Executor& executor);

/// Index of the nearest centroid for every point (first on ties): assigns new
/// points (new customers) with a fitted model.
Labels assign_nearest(MatrixView points, const Matrix& centroids, const Executor& executor);

}  // namespace cb::cluster
