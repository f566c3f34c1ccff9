// The fuzzy simplicial set of a kNN graph and its spectral layout.
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "clusterbench/core/rng.hpp"
#include "sparse_graph.hpp"

namespace cb::embed::detail {
namespace {

constexpr std::size_t kGrain = 1024;

// umap-learn's smooth_knn_dist for one point: rho = nearest non-zero distance,
// sigma such that Σ exp(-(d - rho)/sigma) = log2(k) over the neighbours.
std::pair<double, double> smooth_knn(const double* dist, Index m, double mean_all) {
  const double target = std::log2(static_cast<double>(m + 1));
  double rho = 0;
  for (Index j = 0; j < m; ++j)
    if (dist[j] > 0) {
      rho = dist[j];
      break;
    }
  double lo = 0, hi = std::numeric_limits<double>::infinity(), mid = 1.0;
  for (int iter = 0; iter < 64; ++iter) {
    double psum = 0;
    for (Index j = 0; j < m; ++j) {
      const double d = dist[j] - rho;
      psum += d > 0 ? std::exp(-d / mid) : 1.0;
    }
    if (std::abs(psum - target) < 1e-5) break;
    if (psum > target) {
      hi = mid;
      mid = (lo + hi) / 2;
    } else {
      lo = mid;
      mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
    }
  }
  double mean_i = 0;
  for (Index j = 0; j < m; ++j) mean_i += dist[j];
  mean_i /= static_cast<double>(m + 1);  // umap-learn's row includes the point itself at distance 0
  const double floor = 1e-3 * (rho > 0 ? mean_i : mean_all);
  return {rho, std::max(mid, floor)};
}

}  // namespace

SparseGraph fuzzy_simplicial_set(const neighbors::KnnGraph& knn, Index m, const Executor& executor) {
  const Index n = knn.indices.rows();
  double mean_all = knn.distances.leftCols(m).sum() / static_cast<double>(n * (m + 1));
  // Directed memberships, one row of m per point.
  Matrix w(n, m);
  executor.parallel_for(static_cast<std::size_t>(n), kGrain, [&](Range r) {
    std::vector<double> row(static_cast<std::size_t>(m));
    for (std::size_t ii = r.begin; ii < r.end; ++ii) {
      const Index i = static_cast<Index>(ii);
      for (Index j = 0; j < m; ++j) row[j] = knn.distances(i, j);
      const auto [rho, sigma] = smooth_knn(row.data(), m, mean_all);
      for (Index j = 0; j < m; ++j) {
        const double d = row[j] - rho;
        w(i, j) = (d <= 0 || sigma == 0) ? 1.0 : std::exp(-d / sigma);
      }
    }
  });
  // Fuzzy union: each directed edge i→j meets its reverse if present.
  struct Entry {
    std::int32_t row, col;
    double forward, backward;
  };
  std::vector<Entry> entries;
  entries.reserve(static_cast<std::size_t>(2 * n * m));
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < m; ++j) {
      const std::int32_t c = knn.indices(i, j);
      entries.push_back({static_cast<std::int32_t>(i), c, w(i, j), 0.0});
      entries.push_back({c, static_cast<std::int32_t>(i), 0.0, w(i, j)});
    }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& x, const Entry& y) { return std::tie(x.row, x.col) < std::tie(y.row, y.col); });
  SparseGraph g;
  g.n = n;
  g.row_ptr.assign(static_cast<std::size_t>(n + 1), 0);
  for (std::size_t e = 0; e < entries.size();) {
    double f = 0, b = 0;
    std::size_t e2 = e;
    for (; e2 < entries.size() && entries[e2].row == entries[e].row && entries[e2].col == entries[e].col; ++e2) {
      f = std::max(f, entries[e2].forward);
      b = std::max(b, entries[e2].backward);
    }
    const double value = f + b - f * b;
    if (value > 0) {
      g.cols.push_back(entries[e].col);
      g.weights.push_back(value);
      ++g.row_ptr[entries[e].row + 1];
    }
    e = e2;
  }
  for (Index i = 0; i < n; ++i) g.row_ptr[i + 1] += g.row_ptr[i];
  return g;
}

Matrix spectral_layout(const SparseGraph& graph, Index dims, int iterations, std::uint64_t seed,
                       const Executor& executor) {
  const Index n = graph.n;
  const Index p = std::min<Index>(dims + 4, n - 1);  // block size beyond the trivial vector
  if (p < dims || n < 3) return {};
  Vector inv_sqrt_deg(n), trivial(n);
  for (Index i = 0; i < n; ++i) {
    double deg = 0;
    for (auto e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; ++e) deg += graph.weights[e];
    inv_sqrt_deg(i) = deg > 0 ? 1.0 / std::sqrt(deg) : 0.0;
    trivial(i) = std::sqrt(deg);
  }
  trivial.normalize();
  // Y = (I + D^-1/2 W D^-1/2) X / 2: eigenvalues in [0, 1], same eigenvectors.
  auto apply = [&](const Eigen::MatrixXd& x, Eigen::MatrixXd& y) {
    executor.parallel_for(static_cast<std::size_t>(n), kGrain, [&](Range r) {
      for (std::size_t ii = r.begin; ii < r.end; ++ii) {
        const Index i = static_cast<Index>(ii);
        Eigen::RowVectorXd acc = Eigen::RowVectorXd::Zero(x.cols());
        for (auto e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; ++e)
          acc += (graph.weights[e] * inv_sqrt_deg(graph.cols[e])) * x.row(graph.cols[e]);
        y.row(i) = 0.5 * (x.row(i) + inv_sqrt_deg(i) * acc);
      }
    });
  };
  auto orthonormalise = [&](Eigen::MatrixXd& x) {
    x -= trivial * (trivial.transpose() * x);  // deflate the trivial eigenvector
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(x);
    x = qr.householderQ() * Eigen::MatrixXd::Identity(n, x.cols());
  };
  Rng rng(seed);
  Eigen::MatrixXd x(n, p), y(n, p);
  for (Index i = 0; i < n; ++i)
    for (Index c = 0; c < p; ++c) x(i, c) = rng.normal();
  orthonormalise(x);
  for (int it = 0; it < iterations; ++it) {
    apply(x, y);
    x.swap(y);
    orthonormalise(x);
  }
  // Rayleigh–Ritz: best dims-dimensional subspace of the block, by decreasing eigenvalue.
  apply(x, y);
  const Eigen::MatrixXd h = x.transpose() * y;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(0.5 * (h + h.transpose()));
  const Eigen::MatrixXd ritz = x * eig.eigenvectors().rowwise().reverse().leftCols(dims);
  Matrix out = ritz;
  return out;
}

}  // namespace cb::embed::detail
