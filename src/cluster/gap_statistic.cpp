#include "clusterbench/cluster/gap_statistic.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <Eigen/Eigenvalues>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::cluster {
namespace {

/// The data's mean, principal axes (columns) and the box of its coordinates on them.
struct PcaBox {
  Eigen::RowVectorXd mean;
  Matrix axes;                   ///< d × d, orthonormal columns
  Eigen::RowVectorXd low, high;  ///< per axis
};

PcaBox pca_box(MatrixView points) {
  PcaBox box;
  box.mean = points.colwise().mean();
  const Matrix centred = points.rowwise() - box.mean;
  // Eigenvectors of XᵀX are the right singular vectors of X; d is small, n may be large.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(centred.transpose() * centred);
  box.axes = eigen.eigenvectors();
  const Matrix rotated = centred * box.axes;
  box.low = rotated.colwise().minCoeff();
  box.high = rotated.colwise().maxCoeff();
  return box;
}

Matrix draw_reference(const PcaBox& box, Index n, std::uint64_t seed, int b) {
  Rng rng(derive_seed(seed, fmt::format("gap/reference/{}", b)));
  const Index d = box.axes.cols();
  Matrix rotated(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) rotated(i, j) = box.low(j) + (box.high(j) - box.low(j)) * rng.uniform();
  Matrix out = rotated * box.axes.transpose();
  out.rowwise() += box.mean;
  return out;
}

double total_dispersion(MatrixView points) {
  const Eigen::RowVectorXd mean = points.colwise().mean();
  return (points.rowwise() - mean).squaredNorm();
}

}  // namespace

double within_dispersion(MatrixView points, const Labels& labels) {
  if (static_cast<Index>(labels.size()) != points.rows())
    throw InputError(fmt::format("gap statistic: {} labels for {} points", labels.size(), points.rows()));
  Label clusters = 0;
  for (const Label l : labels) clusters = std::max(clusters, static_cast<Label>(l + 1));
  Matrix sums = Matrix::Zero(clusters, points.cols());
  std::vector<double> counts(static_cast<std::size_t>(clusters), 0.0);
  for (Index i = 0; i < points.rows(); ++i) {
    const Label l = labels[static_cast<std::size_t>(i)];
    if (l < 0) continue;
    sums.row(l) += points.row(i);
    counts[static_cast<std::size_t>(l)] += 1;
  }
  double w = 0;
  for (Index i = 0; i < points.rows(); ++i) {
    const Label l = labels[static_cast<std::size_t>(i)];
    if (l < 0) continue;
    w += (points.row(i) - sums.row(l) / counts[static_cast<std::size_t>(l)]).squaredNorm();
  }
  return w;
}

Matrix gap_reference_set(MatrixView points, std::uint64_t seed, int b) {
  return draw_reference(pca_box(points), points.rows(), seed, b);
}

int one_se_choice(const std::vector<GapPoint>& points) {
  for (std::size_t i = 0; i + 1 < points.size(); ++i)
    if (points[i].gap >= points[i + 1].gap - points[i + 1].s) return points[i].k;
  return points.empty() ? 0 : points.back().k;
}

int global_se_choice(const std::vector<GapPoint>& points) {
  if (points.empty()) return 0;
  const auto best = std::max_element(points.begin(), points.end(),
                                     [](const GapPoint& a, const GapPoint& b) { return a.gap < b.gap; });
  for (const auto& p : points)
    if (p.gap >= best->gap - best->s) return p.k;
  return best->k;
}

GapResult gap_statistic(MatrixView points, const std::vector<int>& ks, const std::vector<Labels>& data_labels,
                        const GapOptions& options, const Executor& executor) {
  if (ks.size() != data_labels.size()) throw InputError("gap statistic: one labelling per k is needed");
  if (options.references < 2)
    throw InputError(fmt::format("gap statistic: references must be at least 2 (got {})", options.references));
  for (std::size_t i = 0; i < ks.size(); ++i)
    if (ks[i] < 1 || (i > 0 && ks[i] <= ks[i - 1]))
      throw InputError("gap statistic: k must be ascending and at least 1");
  const PcaBox box = pca_box(points);
  std::vector<int> fitted_ks;  // k = 1 needs no fit
  for (const int k : ks)
    if (k > 1) fitted_ks.push_back(k);
  const auto B = static_cast<std::size_t>(options.references);
  std::vector<std::vector<double>> log_w_ref(ks.size(), std::vector<double>(B));
  for (std::size_t b = 0; b < B; ++b) {
    const Matrix reference = draw_reference(box, points.rows(), options.seed, static_cast<int>(b));
    std::vector<KMeansResult> fits;
    if (!fitted_ks.empty())
      fits = kmeans_all_k(reference, fitted_ks, options.kmeans,
                          derive_seed(options.seed, fmt::format("gap/kmeans/{}", b)), executor);
    for (std::size_t i = 0, f = 0; i < ks.size(); ++i)
      log_w_ref[i][b] =
          std::log(ks[i] == 1 ? total_dispersion(reference) : within_dispersion(reference, fits[f++].labels));
  }
  GapResult result;
  result.references = options.references;
  result.seed = options.seed;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    GapPoint p;
    p.k = ks[i];
    p.log_w = std::log(ks[i] == 1 ? total_dispersion(points) : within_dispersion(points, data_labels[i]));
    double sum = 0, squares = 0;
    for (const double v : log_w_ref[i]) sum += v;
    p.expected_log_w = sum / static_cast<double>(B);
    for (const double v : log_w_ref[i]) squares += (v - p.expected_log_w) * (v - p.expected_log_w);
    p.sd = std::sqrt(squares / static_cast<double>(B));
    p.s = p.sd * std::sqrt(1.0 + 1.0 / static_cast<double>(B));
    p.gap = p.expected_log_w - p.log_w;
    result.points.push_back(p);
  }
  result.chosen_k = one_se_choice(result.points);
  result.chosen_k_global = global_se_choice(result.points);
  return result;
}

}  // namespace cb::cluster
