// The summary behind the micro_clusters method: K-Means on a seeded sample
// of the points (k-means++ seeding over all n points would dominate the cost:
// it is O(n·m·d·log m)), every point assigned to its nearest centroid, and
// each micro-cluster's centroid recomputed as the exact mean of its members,
// so Ward on (centroid, size) is exact Ward over those fixed groups.
#include <algorithm>
#include <numeric>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/rng.hpp"
#include "hierarchical_detail.hpp"

namespace cb::cluster::detail {
namespace {

/// Sample points per micro-cluster for the K-Means fit: enough for k-means++ to
/// place centres where the mass is, few enough that seeding stays cheap.
constexpr Index kSamplePerMicroCluster = 32;
/// Lloyd iterations on the sample: the summary needs a fine partition, not a converged one.
constexpr int kSampleIterations = 20;

/// A seeded uniform sample of `count` rows without replacement, in ascending row order.
Matrix sample_rows(MatrixView points, Index count, Rng& rng) {
  const Index n = points.rows();
  std::vector<Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Index{0});
  for (Index i = 0; i < count; ++i)  // partial Fisher–Yates
    std::swap(rows[std::size_t(i)], rows[std::size_t(i + Index(rng.below(std::uint64_t(n - i))))]);
  rows.resize(std::size_t(count));
  std::sort(rows.begin(), rows.end());
  Matrix sample(count, points.cols());
  for (Index i = 0; i < count; ++i) sample.row(i) = points.row(rows[std::size_t(i)]);
  return sample;
}

}  // namespace

MicroClusters summarise_micro_clusters(MatrixView points, Index count, std::uint64_t seed, const Executor& executor) {
  const Index n = points.rows(), d = points.cols();
  Rng rng(seed);
  const Matrix sample = sample_rows(points, std::min(n, count * kSamplePerMicroCluster), rng);
  KMeansOptions fit;
  fit.n_init = 1;
  fit.max_iter = kSampleIterations;
  const Matrix centroids = kmeans(sample, int(count), fit, rng.next(), executor).centroids;
  const Labels nearest = assign_nearest(points, centroids, executor);

  // Serial sums in point order: exact means, independent of the thread count.
  Matrix sums = Matrix::Zero(count, d);
  std::vector<double> sizes(static_cast<std::size_t>(count), 0.0);
  for (Index i = 0; i < n; ++i) {
    sums.row(nearest[std::size_t(i)]) += points.row(i);
    sizes[std::size_t(nearest[std::size_t(i)])] += 1.0;
  }
  std::vector<Index> leaf_of(static_cast<std::size_t>(count), -1);
  Index leaves = 0;
  for (Index c = 0; c < count; ++c)
    if (sizes[std::size_t(c)] > 0.0) leaf_of[std::size_t(c)] = leaves++;

  MicroClusters micro;
  micro.centroids.resize(leaves, d);
  micro.sizes.resize(std::size_t(leaves));
  for (Index c = 0; c < count; ++c) {
    const Index leaf = leaf_of[std::size_t(c)];
    if (leaf < 0) continue;
    micro.centroids.row(leaf) = sums.row(c) / sizes[std::size_t(c)];
    micro.sizes[std::size_t(leaf)] = sizes[std::size_t(c)];
  }
  micro.point_to_leaf.resize(std::size_t(n));
  for (Index i = 0; i < n; ++i) {
    const Index leaf = leaf_of[std::size_t(nearest[std::size_t(i)])];
    micro.point_to_leaf[std::size_t(i)] = leaf;
    micro.inertia += (points.row(i) - micro.centroids.row(leaf)).squaredNorm();
  }
  return micro;
}

}  // namespace cb::cluster::detail
