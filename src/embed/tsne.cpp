// t-SNE (see tsne.hpp).
#include "clusterbench/embed/tsne.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "attraction_kernel.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/pca.hpp"
#include "fft_repulsion.hpp"
#include "quadtree.hpp"
#include "sparse_graph.hpp"

namespace cb::embed {
namespace {

constexpr std::size_t kGrain = 512;
constexpr double kTiny = 1.1754943508222875e-38;  // float32 tiny, as scikit-learn's KL floor

// Conditional P of one point by binary search on beta = 1 / (2σ²) (scikit-learn's _binary_search_perplexity).
void conditional_p(const double* d2, Index m, double perplexity, double* p) {
  const double desired = std::log(perplexity);
  double beta = 1.0, lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  for (int step = 0; step < 100; ++step) {
    double sum_p = 0;
    for (Index j = 0; j < m; ++j) sum_p += (p[j] = std::exp(-d2[j] * beta));
    if (sum_p == 0) sum_p = 1e-8;
    double sum_dp = 0;
    for (Index j = 0; j < m; ++j) {
      p[j] /= sum_p;
      sum_dp += d2[j] * p[j];
    }
    const double entropy = std::log(sum_p) + beta * sum_dp;
    const double diff = entropy - desired;
    if (std::abs(diff) <= 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = std::isinf(lo) ? beta / 2 : (beta + lo) / 2;
    }
  }
}

// Joint P = (P_cond + P_condᵀ) / Σ, in CSR.
detail::SparseGraph joint_p(const neighbors::KnnGraph& knn, Index m, double perplexity, const Executor& executor) {
  const Index n = knn.indices.rows();
  Matrix cond(n, m);
  executor.parallel_for(static_cast<std::size_t>(n), kGrain, [&](Range r) {
    std::vector<double> d2(static_cast<std::size_t>(m));
    for (std::size_t i = r.begin; i < r.end; ++i) {
      for (Index j = 0; j < m; ++j)
        d2[j] = knn.distances(static_cast<Index>(i), j) * knn.distances(static_cast<Index>(i), j);
      conditional_p(d2.data(), m, perplexity, cond.row(static_cast<Index>(i)).data());
    }
  });
  // P + Pᵀ row by row: row i holds P's row i and the entries of the rows that list i (Pᵀ's row i,
  // gathered by a counting sort), sorted by column; a pair present both ways is summed.
  std::vector<std::int64_t> incoming_ptr(static_cast<std::size_t>(n + 1), 0);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < m; ++j) ++incoming_ptr[static_cast<std::size_t>(knn.indices(i, j)) + 1];
  for (Index i = 0; i < n; ++i) incoming_ptr[i + 1] += incoming_ptr[i];
  std::vector<std::pair<std::int32_t, double>> incoming(static_cast<std::size_t>(n * m));
  {
    std::vector<std::int64_t> fill(incoming_ptr.begin(), incoming_ptr.end() - 1);
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < m; ++j)
        incoming[static_cast<std::size_t>(fill[knn.indices(i, j)]++)] = {static_cast<std::int32_t>(i), cond(i, j)};
  }
  std::vector<std::vector<std::pair<std::int32_t, double>>> rows(static_cast<std::size_t>(n));
  executor.parallel_for(static_cast<std::size_t>(n), kGrain, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      auto& row = rows[i];
      for (Index j = 0; j < m; ++j)
        row.emplace_back(knn.indices(static_cast<Index>(i), j), cond(static_cast<Index>(i), j));
      row.insert(row.end(), incoming.begin() + incoming_ptr[i], incoming.begin() + incoming_ptr[i + 1]);
      std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::size_t kept = 0;
      for (std::size_t e = 0; e < row.size(); ++e) {
        if (kept > 0 && row[kept - 1].first == row[e].first)
          row[kept - 1].second += row[e].second;  // the only duplicate of a pair: two values, order-free
        else row[kept++] = row[e];
      }
      row.resize(kept);
    }
  });
  detail::SparseGraph g;
  g.n = n;
  g.row_ptr.assign(static_cast<std::size_t>(n + 1), 0);
  for (Index i = 0; i < n; ++i) g.row_ptr[i + 1] = g.row_ptr[i] + static_cast<std::int64_t>(rows[i].size());
  g.cols.resize(static_cast<std::size_t>(g.row_ptr[n]));
  g.weights.resize(g.cols.size());
  double total = 0;
  for (Index i = 0; i < n; ++i) {
    std::size_t e = static_cast<std::size_t>(g.row_ptr[i]);
    for (const auto& [col, value] : rows[i]) {
      g.cols[e] = col;
      g.weights[e++] = value;
      total += value;
    }
  }
  total = std::max(total, std::numeric_limits<double>::epsilon());
  for (auto& w : g.weights) w /= total;
  return g;
}

// Points renumbered breadth-first over P's graph (Cuthill–McKee order, neighbours by ascending
// number): a point's neighbours get nearby numbers, so the attraction's reads of y_j mostly hit
// cache. Returns new → old.
std::vector<std::int32_t> locality_order(const detail::SparseGraph& p) {
  const auto n = static_cast<std::size_t>(p.n);
  std::vector<std::int32_t> order;
  order.reserve(n);
  std::vector<char> seen(n, 0);
  for (std::size_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    seen[start] = 1;
    order.push_back(static_cast<std::int32_t>(start));
    for (std::size_t head = order.size() - 1; head < order.size(); ++head) {
      const auto i = static_cast<std::size_t>(order[head]);
      for (auto e = p.row_ptr[i]; e < p.row_ptr[i + 1]; ++e) {
        const auto j = static_cast<std::size_t>(p.cols[static_cast<std::size_t>(e)]);
        if (!seen[j]) seen[j] = 1, order.push_back(static_cast<std::int32_t>(j));
      }
    }
  }
  return order;
}

// P with its points renumbered: row r is old row new_to_old[r], columns renumbered and re-sorted.
detail::SparseGraph renumbered(const detail::SparseGraph& p, const std::vector<std::int32_t>& new_to_old,
                               const Executor& executor) {
  const auto n = static_cast<std::size_t>(p.n);
  std::vector<std::int32_t> old_to_new(n);
  for (std::size_t r = 0; r < n; ++r)
    old_to_new[static_cast<std::size_t>(new_to_old[r])] = static_cast<std::int32_t>(r);
  detail::SparseGraph q;
  q.n = p.n;
  q.row_ptr.assign(n + 1, 0);
  for (std::size_t r = 0; r < n; ++r) {
    const auto o = static_cast<std::size_t>(new_to_old[r]);
    q.row_ptr[r + 1] = q.row_ptr[r] + (p.row_ptr[o + 1] - p.row_ptr[o]);
  }
  q.cols.resize(p.cols.size());
  q.weights.resize(p.weights.size());
  executor.parallel_for(n, kGrain, [&](Range rows) {
    std::vector<std::pair<std::int32_t, double>> row;
    for (std::size_t r = rows.begin; r < rows.end; ++r) {
      const auto o = static_cast<std::size_t>(new_to_old[r]);
      row.clear();
      for (auto e = p.row_ptr[o]; e < p.row_ptr[o + 1]; ++e)
        row.emplace_back(old_to_new[static_cast<std::size_t>(p.cols[static_cast<std::size_t>(e)])],
                         p.weights[static_cast<std::size_t>(e)]);
      std::sort(row.begin(), row.end());
      auto e = static_cast<std::size_t>(q.row_ptr[r]);
      for (const auto& [col, w] : row) q.cols[e] = col, q.weights[e++] = w;
    }
  });
  return q;
}

Matrix initial_layout(MatrixView points, const TsneOptions& o, std::uint64_t seed, const Executor& executor) {
  const Index n = points.rows();
  Matrix y;
  if (o.init == TsneInit::pca && std::min(n, points.cols()) >= 2) {
    PcaOptions pca;
    pca.n_components = 2;
    y = pca_embedding(points, pca, executor);
    const double mean0 = y.col(0).mean();
    const double std0 = std::sqrt((y.col(0).array() - mean0).square().mean());
    if (std0 > 0) return y * (1e-4 / std0);
  }
  Rng rng(derive_seed(seed, "tsne-random-init"));
  y.resize(n, 2);
  for (Index i = 0; i < n; ++i) y(i, 0) = 1e-4 * rng.normal(), y(i, 1) = 1e-4 * rng.normal();
  return y;
}

struct Gradient {
  Matrix grad;       // n × 2
  Matrix repulsion;  // n × 2, unnormalised
  double kl = 0;     // when asked
};

// Barnes–Hut: returns Σ_{i≠j} q_ij and writes rep(i, ·) = Σ_j q_ij² (y_i − y_j), summarised by a quadtree.
double barnes_hut_repulsion(const Matrix& y, double theta, Matrix& rep, const Executor& executor) {
  const detail::QuadTree tree(y, executor);
  return tree.repulsion_all(y, theta, rep, executor);
}

// KL(P‖Q) with P scaled by `exaggeration`, Q = q / z (scikit-learn's formula, with its float32 floor).
double kl_divergence(const detail::SparseGraph& p, double exaggeration, const Matrix& y, double z,
                     const Executor& executor) {
  return executor.reduce(
      static_cast<std::size_t>(p.n), kGrain, 0.0,
      [&](Range r) {
        double kl = 0;
        for (std::size_t ii = r.begin; ii < r.end; ++ii) {
          const Index i = static_cast<Index>(ii);
          for (auto e = p.row_ptr[i]; e < p.row_ptr[i + 1]; ++e) {
            const Index j = p.cols[e];
            const double dx = y(i, 0) - y(j, 0), dy = y(i, 1) - y(j, 1);
            const double q = 1.0 / (1.0 + dx * dx + dy * dy);
            const double pij = exaggeration * p.weights[e];
            kl += pij * std::log(std::max(pij, kTiny) / std::max(q / z, kTiny));
          }
        }
        return kl;
      },
      [](double& acc, double part) { acc += part; });
}

// Gradient of KL(P‖Q) (×4 as scikit-learn) with P scaled by `exaggeration`.
void gradient(const detail::SparseGraph& p, double exaggeration, const Matrix& y, const TsneOptions& o,
              detail::FftRepulsion& fft, bool want_kl, const Executor& executor, Gradient& out) {
  const Index n = y.rows();
  Matrix& rep = out.repulsion;
  const bool use_fft = resolve_repulsion(o.repulsion, n) == TsneRepulsion::fft;
  const double sum_q = use_fft ? fft.compute(y, rep, executor) : barnes_hut_repulsion(y, o.theta, rep, executor);
  const double z = std::max(sum_q, std::numeric_limits<double>::min());
  out.grad.resize(n, 2);
  executor.parallel_for(static_cast<std::size_t>(n), kGrain, [&](Range r) {
    // The attraction lands in grad first, then becomes the gradient in place.
    detail::attraction_rows(p.row_ptr.data(), p.cols.data(), p.weights.data(), y.data(), r.begin, r.end,
                            out.grad.data());
    for (std::size_t ii = r.begin; ii < r.end; ++ii) {
      const Index i = static_cast<Index>(ii);
      out.grad(i, 0) = 4.0 * (exaggeration * out.grad(i, 0) - rep(i, 0) / z);
      out.grad(i, 1) = 4.0 * (exaggeration * out.grad(i, 1) - rep(i, 1) / z);
    }
  });
  out.kl = want_kl ? kl_divergence(p, exaggeration, y, z, executor) : 0.0;
}

void check_options(Index n, Index d, const TsneOptions& o) {
  if (n == 0 || d == 0) throw InputError("t-SNE: the data is empty");
  if (n < 3) throw InputError("t-SNE: needs at least 3 points, got " + std::to_string(n));
  if (!(o.perplexity > 0)) throw InputError("t-SNE: perplexity must be > 0");
  if (o.early_exaggeration < 1) throw InputError("t-SNE: early_exaggeration must be ≥ 1");
  if (o.learning_rate < 0) throw InputError("t-SNE: learning_rate must be > 0, or 0 for auto");
  if (o.exploration_iterations < 0 || o.n_iter < o.exploration_iterations)
    throw InputError("t-SNE: n_iter must be at least exploration_iterations (" +
                     std::to_string(o.exploration_iterations) + ")");
  if (o.theta < 0) throw InputError("t-SNE: theta must be ≥ 0");
}

}  // namespace

Index tsne_neighbors(Index n, double perplexity) {
  return std::min<Index>(n - 1, static_cast<Index>(3.0 * perplexity + 1.0));
}

TsneResult tsne(MatrixView points, const neighbors::KnnGraph& knn, const TsneOptions& options, std::uint64_t seed,
                const Executor& executor) {
  const Index n = points.rows();
  check_options(n, points.cols(), options);
  const Index m = tsne_neighbors(n, options.perplexity);
  if (knn.indices.rows() != n || knn.k < m)
    throw InputError("t-SNE: the kNN graph needs " + std::to_string(n) + " rows and at least " + std::to_string(m) +
                     " neighbours");
  // The descent runs on renumbered points (locality_order) and returns them in input order.
  const auto p_input = joint_p(knn, m, options.perplexity, executor);
  const auto new_to_old = locality_order(p_input);
  const auto p = renumbered(p_input, new_to_old, executor);
  TsneResult result;
  result.learning_rate = options.learning_rate > 0
                             ? options.learning_rate
                             : std::max(static_cast<double>(n) / options.early_exaggeration / 4.0, 50.0);
  const Matrix y_input = initial_layout(points, options, seed, executor);
  Matrix y(n, 2);
  for (Index r = 0; r < n; ++r) y.row(r) = y_input.row(new_to_old[static_cast<std::size_t>(r)]);

  // scikit-learn's _gradient_descent, run twice: exploration then the rest.
  Gradient g;
  detail::FftRepulsion fft;
  int it = 0;
  double kl = 0;
  auto descend = [&](int from, int to, double momentum, double exaggeration, int patience) {
    Matrix update = Matrix::Zero(n, 2);
    Matrix gains = Matrix::Ones(n, 2);
    double best = std::numeric_limits<double>::max();
    int best_iter = from;
    int i = from;
    for (; i < to; ++i) {
      const bool check = (i + 1) % 50 == 0;
      gradient(p, exaggeration, y, options, fft, check || i == to - 1, executor, g);
      if (check || i == to - 1) kl = g.kl;
      double norm2 = executor.reduce(
          static_cast<std::size_t>(n), kGrain, 0.0,
          [&](Range r) {
            double s = 0;
            for (std::size_t ii = r.begin; ii < r.end; ++ii)
              for (Index c = 0; c < 2; ++c) {
                const Index row = static_cast<Index>(ii);
                double& gain = gains(row, c);
                double& upd = update(row, c);
                double gr = g.grad(row, c);
                gain = upd * gr < 0 ? gain + 0.2 : gain * 0.8;
                gain = std::max(gain, 0.01);
                gr *= gain;
                upd = momentum * upd - result.learning_rate * gr;
                y(row, c) += upd;
                s += gr * gr;
              }
            return s;
          },
          [](double& acc, double part) { acc += part; });
      if (check) {
        if (g.kl < best) {
          best = g.kl;
          best_iter = i;
        } else if (i - best_iter > patience) {
          break;
        }
        if (std::sqrt(norm2) <= options.min_grad_norm) break;
      }
    }
    return i;
  };
  it = descend(0, options.exploration_iterations, 0.5, options.early_exaggeration, options.exploration_iterations);
  it = descend(it + 1, options.n_iter, 0.8, 1.0, options.n_iter_without_progress);
  result.iterations = std::min(it + 1, options.n_iter);
  result.kl_divergence = kl;
  result.embedding.resize(n, 2);
  for (Index r = 0; r < n; ++r) result.embedding.row(new_to_old[static_cast<std::size_t>(r)]) = y.row(r);
  return result;
}

TsneResult tsne(MatrixView points, const TsneOptions& options, std::uint64_t seed, const Executor& executor) {
  check_options(points.rows(), points.cols(), options);
  const Index m = tsne_neighbors(points.rows(), options.perplexity);
  const auto knn = neighbors::knn_graph(points, m, options.knn, derive_seed(seed, "tsne-knn"), executor);
  return tsne(points, knn, options, seed, executor);
}

}  // namespace cb::embed
