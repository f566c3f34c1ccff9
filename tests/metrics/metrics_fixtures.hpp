#pragma once
// Shared by the metrics tests: seeded data and labelings, the slow obvious
// silhouette oracle, and scikit-learn reference values.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/core/rng.hpp"
#include "support/test_support.hpp"

namespace cb::test::metrics {

/// Gaussian blobs around k random centres, with some rows copied onto others (duplicates).
inline Matrix blobs(Index n, Index d, int k, std::uint64_t seed, Index duplicates = 0) {
  Rng rng(seed);
  Matrix centres(k, d);
  for (Index c = 0; c < k; ++c)
    for (Index f = 0; f < d; ++f) centres(c, f) = 6.0 * rng.normal();
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i) {
    const auto c = static_cast<Index>(rng.below(static_cast<std::uint64_t>(k)));
    for (Index f = 0; f < d; ++f) x(i, f) = centres(c, f) + rng.normal();
  }
  for (Index t = 0; t < duplicates; ++t) {
    const auto from = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
    const auto to = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
    x.row(to) = x.row(from);
  }
  return x;
}

/// K-Means-like labeling: each point goes to the nearest of k seeded random data points.
inline Labels voronoi_labels(const Matrix& x, int k, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Index> centres;
  for (int c = 0; c < k; ++c) centres.push_back(static_cast<Index>(rng.below(static_cast<std::uint64_t>(x.rows()))));
  Labels labels(static_cast<std::size_t>(x.rows()));
  for (Index i = 0; i < x.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (int c = 0; c < k; ++c) {
      const double dist = (x.row(i) - x.row(centres[static_cast<std::size_t>(c)])).squaredNorm();
      if (dist < best) {
        best = dist;
        labels[static_cast<std::size_t>(i)] = c;
      }
    }
  }
  return labels;
}

/// A copy of `labels` with a fraction of the points moved to a random label in [0, k).
inline Labels perturbed(Labels labels, double fraction, int k, std::uint64_t seed) {
  Rng rng(seed);
  for (auto& l : labels)
    if (rng.uniform() < fraction) l = static_cast<Label>(rng.below(static_cast<std::uint64_t>(k)));
  return labels;
}

/// Naive O(n²) silhouette per point (scikit-learn semantics, noise dropped;
/// NaN for noise points). Only meaningful when 2 <= clusters <= scored-1.
inline std::vector<double> naive_silhouette(const Matrix& x, const Labels& labels) {
  const auto n = static_cast<Index>(labels.size());
  std::vector<Label> distinct;
  for (Label l : labels)
    if (l != kNoise) distinct.push_back(l);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const auto code = [&](Label l) { return std::lower_bound(distinct.begin(), distinct.end(), l) - distinct.begin(); };
  std::vector<double> out(static_cast<std::size_t>(n), std::numeric_limits<double>::quiet_NaN());
  for (Index i = 0; i < n; ++i) {
    if (labels[static_cast<std::size_t>(i)] == kNoise) continue;
    std::vector<double> sum(distinct.size(), 0.0);
    std::vector<double> count(distinct.size(), 0.0);
    for (Index j = 0; j < n; ++j) {
      if (labels[static_cast<std::size_t>(j)] == kNoise) continue;
      double s = 0;
      for (Index f = 0; f < x.cols(); ++f) s += (x(i, f) - x(j, f)) * (x(i, f) - x(j, f));
      const auto c = static_cast<std::size_t>(code(labels[static_cast<std::size_t>(j)]));
      sum[c] += std::sqrt(s);
      count[c] += 1;
    }
    const auto own = static_cast<std::size_t>(code(labels[static_cast<std::size_t>(i)]));
    if (count[own] == 1) {
      out[static_cast<std::size_t>(i)] = 0;
      continue;
    }
    const double a = sum[own] / (count[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < distinct.size(); ++c)
      if (c != own) b = std::min(b, sum[c] / count[c]);
    const double m = std::max(a, b);
    out[static_cast<std::size_t>(i)] = m > 0 ? (b - a) / m : 0.0;
  }
  return out;
}

inline double mean_ignoring_nan(const std::vector<double>& v) {
  double s = 0;
  double c = 0;
  for (double x : v)
    if (!std::isnan(x)) s += x, c += 1;
  return s / c;
}

/// Labelings as a CSV matrix, one column per labeling.
inline std::string write_labelings_csv(const std::vector<Labels>& labelings, const std::string& stem) {
  Matrix m(static_cast<Index>(labelings.front().size()), static_cast<Index>(labelings.size()));
  for (std::size_t l = 0; l < labelings.size(); ++l)
    for (std::size_t i = 0; i < labelings[l].size(); ++i)
      m(static_cast<Index>(i), static_cast<Index>(l)) = labelings[l][i];
  return write_matrix_csv(m, stem);
}

/// scikit-learn's scores per labeling: {silhouette, CH, DB, ARI with labelings[0]}.
struct SklearnScores {
  double silhouette, calinski_harabasz, davies_bouldin, adjusted_rand;
};

/// Whitespace-separated numbers, "nan" included (strtod reads it; iostreams do not).
inline std::vector<double> parse_with_nan(const std::string& text) {
  std::vector<double> values;
  const char* p = text.c_str();
  for (;;) {
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    if (end == p) break;
    values.push_back(v);
    p = end;
  }
  return values;
}

inline std::vector<SklearnScores> sklearn_scores(const Matrix& x, const std::vector<Labels>& labelings) {
  const auto values = parse_with_nan(run_python(
      "metrics_reference.py", {write_matrix_csv(x, "metrics-x"), write_labelings_csv(labelings, "metrics-y")}));
  std::vector<SklearnScores> out;
  for (std::size_t i = 0; i + 3 < values.size(); i += 4)
    out.push_back({values[i], values[i + 1], values[i + 2], values[i + 3]});
  return out;
}

/// Population-standardised columns (as StandardScaler).
inline Matrix standardised(const Matrix& x) {
  Matrix z = x;
  for (Index f = 0; f < x.cols(); ++f) {
    const double mean = x.col(f).mean();
    const double sd = std::sqrt((x.col(f).array() - mean).square().mean());
    z.col(f) = (x.col(f).array() - mean) / (sd > 0 ? sd : 1.0);
  }
  return z;
}

}  // namespace cb::test::metrics
