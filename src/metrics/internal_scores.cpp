// Calinski–Harabasz and Davies–Bouldin as scikit-learn defines them, with
// noise points left out. Sums run over fixed chunks of rows merged in chunk
// order, so the result does not depend on the thread count.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "label_encoding.hpp"

namespace cb::metrics {
namespace {

constexpr std::size_t kGrain = 4096;  // rows per reduction chunk (fixed: results independent of threads)
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

detail::EncodedLabels checked_encoding(MatrixView points, const Labels& labels, const char* who) {
  if (static_cast<Index>(labels.size()) != points.rows())
    throw InputError(std::string(who) + ": " + std::to_string(labels.size()) + " labels for " +
                     std::to_string(points.rows()) + " points");
  return detail::encode_labels(labels, /*exclude_noise=*/true);
}

/// Per-cluster means (k × d) of the non-noise points.
Eigen::MatrixXd cluster_means(MatrixView points, const detail::EncodedLabels& enc, const Executor& executor) {
  const Index k = enc.clusters();
  const Index d = points.cols();
  Eigen::MatrixXd sums = executor.reduce(
      static_cast<std::size_t>(points.rows()), kGrain, Eigen::MatrixXd(Eigen::MatrixXd::Zero(k, d)),
      [&](Range r) {
        Eigen::MatrixXd part = Eigen::MatrixXd::Zero(k, d);
        for (auto i = r.begin; i < r.end; ++i) {
          const Label c = enc.codes[i];
          if (c != kNoise) part.row(c) += points.row(static_cast<Index>(i));
        }
        return part;
      },
      [](Eigen::MatrixXd& acc, const Eigen::MatrixXd& part) { acc += part; });
  for (Index c = 0; c < k; ++c) sums.row(c) /= static_cast<double>(enc.counts[static_cast<std::size_t>(c)]);
  return sums;
}

bool defined(const detail::EncodedLabels& enc, Index scored) {
  return enc.clusters() >= 2 && enc.clusters() <= scored - 1;
}

}  // namespace

double calinski_harabasz(MatrixView points, const Labels& labels, const Executor& executor) {
  const auto enc = checked_encoding(points, labels, "calinski_harabasz");
  const Index n = points.rows() - enc.noise;
  if (!defined(enc, n)) return kNaN;
  const Index k = enc.clusters();
  const Eigen::MatrixXd means = cluster_means(points, enc, executor);
  Eigen::RowVectorXd overall = Eigen::RowVectorXd::Zero(points.cols());
  for (Index c = 0; c < k; ++c) overall += means.row(c) * static_cast<double>(enc.counts[static_cast<std::size_t>(c)]);
  overall /= static_cast<double>(n);

  double extra = 0;
  for (Index c = 0; c < k; ++c)
    extra += static_cast<double>(enc.counts[static_cast<std::size_t>(c)]) * (means.row(c) - overall).squaredNorm();
  const double intra = executor.reduce(
      static_cast<std::size_t>(points.rows()), kGrain, 0.0,
      [&](Range r) {
        double part = 0;
        for (auto i = r.begin; i < r.end; ++i) {
          const Label c = enc.codes[i];
          if (c != kNoise) part += (points.row(static_cast<Index>(i)) - means.row(c)).squaredNorm();
        }
        return part;
      },
      [](double& acc, double part) { acc += part; });
  if (intra == 0.0) return 1.0;  // as scikit-learn
  return extra * static_cast<double>(n - k) / (intra * static_cast<double>(k - 1));
}

double davies_bouldin(MatrixView points, const Labels& labels, const Executor& executor) {
  const auto enc = checked_encoding(points, labels, "davies_bouldin");
  const Index n = points.rows() - enc.noise;
  if (!defined(enc, n)) return kNaN;
  const Index k = enc.clusters();
  const Eigen::MatrixXd means = cluster_means(points, enc, executor);

  // Mean distance of each cluster's points to its centroid.
  Eigen::VectorXd spread = executor.reduce(
      static_cast<std::size_t>(points.rows()), kGrain, Eigen::VectorXd(Eigen::VectorXd::Zero(k)),
      [&](Range r) {
        Eigen::VectorXd part = Eigen::VectorXd::Zero(k);
        for (auto i = r.begin; i < r.end; ++i) {
          const Label c = enc.codes[i];
          if (c != kNoise) part(c) += (points.row(static_cast<Index>(i)) - means.row(c)).norm();
        }
        return part;
      },
      [](Eigen::VectorXd& acc, const Eigen::VectorXd& part) { acc += part; });
  for (Index c = 0; c < k; ++c) spread(c) /= static_cast<double>(enc.counts[static_cast<std::size_t>(c)]);

  Eigen::MatrixXd centroid_dist(k, k);
  for (Index a = 0; a < k; ++a)
    for (Index b = 0; b < k; ++b) centroid_dist(a, b) = (means.row(a) - means.row(b)).norm();

  // np.allclose(x, 0): every |x| <= 1e-8. (A plain loop: GCC 12 warns falsely on Eigen's AVX-512 maxCoeff.)
  const auto all_near_zero = [](const double* v, Index count) {
    return std::all_of(v, v + count, [](double x) { return std::abs(x) <= 1e-8; });
  };
  if (all_near_zero(spread.data(), k) || all_near_zero(centroid_dist.data(), k * k)) return 0.0;

  double total = 0;
  for (Index a = 0; a < k; ++a) {
    double worst = 0;  // the diagonal gives 0 (its distance counts as infinite)
    for (Index b = 0; b < k; ++b) {
      if (centroid_dist(a, b) == 0.0) continue;
      worst = std::max(worst, (spread(a) + spread(b)) / centroid_dist(a, b));
    }
    total += worst;
  }
  return total / static_cast<double>(k);
}

}  // namespace cb::metrics
