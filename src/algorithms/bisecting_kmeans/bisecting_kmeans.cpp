#include "bisecting_kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::cluster {
namespace {

struct Leaf {
  std::vector<Index> rows;
  Eigen::RowVectorXd centroid;
  double sse = 0;          ///< sum of squared distances to the centroid
  bool splittable = true;  ///< false once a split of it left one half empty (all its points equal)
};

Leaf make_leaf(MatrixView points, std::vector<Index> rows) {
  Leaf leaf;
  leaf.rows = std::move(rows);
  leaf.centroid = Eigen::RowVectorXd::Zero(points.cols());
  for (const Index r : leaf.rows) leaf.centroid += points.row(r);
  leaf.centroid /= static_cast<double>(leaf.rows.size());
  for (const Index r : leaf.rows) leaf.sse += (points.row(r) - leaf.centroid).squaredNorm();
  leaf.splittable = leaf.rows.size() >= 2 && leaf.sse > 0;
  return leaf;
}

double split_priority(const Leaf& leaf, BisectingStrategy strategy) {
  return strategy == BisectingStrategy::biggest_inertia ? leaf.sse : static_cast<double>(leaf.rows.size());
}

/// The leaf to split next (the first of equals), or -1 when none can be.
int next_leaf(const std::vector<Leaf>& leaves, BisectingStrategy strategy) {
  int best = -1;
  double best_priority = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    if (!leaves[i].splittable) continue;
    const double priority = split_priority(leaves[i], strategy);
    if (priority > best_priority) {
      best = static_cast<int>(i);
      best_priority = priority;
    }
  }
  return best;
}

/// Splits `leaf` by 2-means; false (leaf marked unsplittable) when a half came out empty.
bool split(MatrixView points, std::vector<Leaf>& leaves, int index, const KMeansOptions& two_means, std::uint64_t seed,
           const Executor& executor) {
  Leaf& leaf = leaves[static_cast<std::size_t>(index)];
  Matrix members(static_cast<Index>(leaf.rows.size()), points.cols());
  for (std::size_t i = 0; i < leaf.rows.size(); ++i) members.row(static_cast<Index>(i)) = points.row(leaf.rows[i]);
  const KMeansResult fit = kmeans(members, 2, two_means, seed, executor);
  std::vector<Index> halves[2];
  for (std::size_t i = 0; i < leaf.rows.size(); ++i) halves[fit.labels[i] == 0 ? 0 : 1].push_back(leaf.rows[i]);
  if (halves[0].empty() || halves[1].empty()) {
    leaf.splittable = false;
    return false;
  }
  leaf = make_leaf(points, std::move(halves[0]));
  leaves.push_back(make_leaf(points, std::move(halves[1])));
  return true;
}

BisectingKMeansCut cut_of(MatrixView points, const std::vector<Leaf>& leaves, int k) {
  BisectingKMeansCut cut;
  cut.k = k;
  cut.leaves = static_cast<int>(leaves.size());
  cut.labels.assign(static_cast<std::size_t>(points.rows()), 0);
  cut.centroids.resize(static_cast<Index>(leaves.size()), points.cols());
  for (std::size_t j = 0; j < leaves.size(); ++j) {
    for (const Index r : leaves[j].rows) cut.labels[static_cast<std::size_t>(r)] = static_cast<Label>(j);
    cut.centroids.row(static_cast<Index>(j)) = leaves[j].centroid;
    cut.inertia += leaves[j].sse;
  }
  return cut;
}

void check_inputs(MatrixView points, std::span<const int> ks, const BisectingKMeansOptions& options) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("bisecting_kmeans: the data is empty");
  if (!points.allFinite()) throw InputError("bisecting_kmeans: the data holds NaN or infinite values");
  for (const int k : ks)
    if (k < 1 || k > points.rows())
      throw InputError(
          fmt::format("bisecting_kmeans: k = {} is outside 1..{} (the number of points)", k, points.rows()));
  if (options.n_init < 1) throw InputError("bisecting_kmeans: n_init must be >= 1");
  if (options.max_iter < 1) throw InputError("bisecting_kmeans: max_iter must be >= 1");
  if (!(options.tol >= 0)) throw InputError("bisecting_kmeans: tol must be >= 0");
}

}  // namespace

std::vector<BisectingKMeansCut> bisecting_kmeans(MatrixView points, std::span<const int> ks,
                                                 const BisectingKMeansOptions& options, std::uint64_t seed,
                                                 const Executor& executor) {
  check_inputs(points, ks, options);
  std::vector<BisectingKMeansCut> cuts(ks.size());
  if (ks.empty()) return cuts;
  const int largest = *std::max_element(ks.begin(), ks.end());
  KMeansOptions two_means;
  two_means.n_init = options.n_init;
  two_means.max_iter = options.max_iter;
  two_means.tol = options.tol;

  std::vector<Index> all(static_cast<std::size_t>(points.rows()));
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<Index>(i);
  std::vector<Leaf> leaves;
  leaves.push_back(make_leaf(points, std::move(all)));
  std::uint64_t split_seeds = seed;  // split i gets the i-th draw: the sequence, not the threads, fixes it
  const auto record_cuts = [&] {
    for (std::size_t i = 0; i < ks.size(); ++i)
      if (ks[i] == static_cast<int>(leaves.size())) cuts[i] = cut_of(points, leaves, ks[i]);
  };
  record_cuts();
  while (static_cast<int>(leaves.size()) < largest) {
    const int index = next_leaf(leaves, options.strategy);
    if (index < 0) break;  // every leaf is one repeated point
    if (split(points, leaves, index, two_means, splitmix64(split_seeds), executor)) record_cuts();
  }
  for (std::size_t i = 0; i < ks.size(); ++i)  // k beyond the leaves reached: the finest partition there is
    if (cuts[i].labels.empty()) cuts[i] = cut_of(points, leaves, ks[i]);
  return cuts;
}

}  // namespace cb::cluster
