#pragma once
// Bisecting K-Means (scikit-learn's BisectingKMeans): start from one cluster and
// split a leaf in two by 2-means until there are k leaves. Every k of a family
// comes from one sequence of splits, so the partitions nest (k + 1 refines k).
// Deterministic from its seed at any thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

/// Which leaf is split next.
enum class BisectingStrategy {
  biggest_inertia,  ///< the leaf with the largest sum of squared distances to its centroid
  largest_cluster,  ///< the leaf with the most points
};
/// Config and stored names of BisectingStrategy (scikit-learn's bisecting_strategy).
inline constexpr EnumName<BisectingStrategy> kBisectingStrategyNames[] = {
    {"biggest_inertia", BisectingStrategy::biggest_inertia}, {"largest_cluster", BisectingStrategy::largest_cluster}};

struct BisectingKMeansOptions {
  BisectingStrategy strategy = BisectingStrategy::biggest_inertia;  ///< which leaf is split next
  int n_init = 1;      ///< 2-means restarts per split (k-means++ seeded); the lowest inertia wins
  int max_iter = 300;  ///< Lloyd iterations per restart
  double tol = 1e-4;   ///< 2-means convergence, scikit-learn's rule
};

/// The partition at one k of the split sequence.
struct BisectingKMeansCut {
  int k = 0;           ///< leaves asked
  int leaves = 0;      ///< leaves reached: below k when no leaf can be split (all its points equal)
  Labels labels;       ///< leaf per point, 0..leaves-1; a split keeps the parent's label for one half
  Matrix centroids;    ///< leaves × d
  double inertia = 0;  ///< sum of squared distances to the leaf centroids
};

/// One split sequence up to the largest k of `ks`; returns a cut per entry of
/// `ks`, in that order. Throws InputError for empty or non-finite data, k < 1,
/// k > number of points or an option out of range.
std::vector<BisectingKMeansCut> bisecting_kmeans(MatrixView points, std::span<const int> ks,
                                                 const BisectingKMeansOptions& options, std::uint64_t seed,
                                                 const Executor& executor);

}  // namespace cb::cluster
