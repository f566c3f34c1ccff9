// UMAP-style layout: graph, initialisation, deterministic SGD (see umap.hpp).
#include "clusterbench/embed/umap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/pca.hpp"
#include "sparse_graph.hpp"

namespace cb::embed {
namespace {

constexpr std::size_t kSgdGrain = 256;  // points per chunk: fixes the random streams, so part of the result

void check_options(Index n, Index d, const UmapOptions& o) {
  if (n == 0 || d == 0) throw InputError("UMAP: the data is empty");
  if (o.n_neighbors < 2 || o.n_neighbors > n)
    throw InputError("UMAP: n_neighbors must be in 2..n (" + std::to_string(n) + "), got " +
                     std::to_string(o.n_neighbors));
  if (o.n_components < 1) throw InputError("UMAP: n_components must be at least 1");
  if (o.min_dist < 0) throw InputError("UMAP: min_dist must be ≥ 0");
  if (o.spread <= 0) throw InputError("UMAP: spread must be > 0");
  if (o.min_dist > o.spread) throw InputError("UMAP: min_dist must not exceed spread");
  if (o.n_epochs < 0) throw InputError("UMAP: n_epochs must be ≥ 0");
  if (o.learning_rate <= 0) throw InputError("UMAP: learning_rate must be > 0");
  if (o.negative_sample_rate < 0) throw InputError("UMAP: negative_sample_rate must be ≥ 0");
}

double clip(double v) { return std::clamp(v, -4.0, 4.0); }

// Each point, each coordinate, affinely mapped onto [0, 10] (umap-learn does this after initialising).
void rescale_to_box(Matrix& y, std::uint64_t seed) {
  Rng rng(seed);
  for (Index i = 0; i < y.rows(); ++i)
    for (Index c = 0; c < y.cols(); ++c) y(i, c) += 1e-4 * rng.normal();
  for (Index c = 0; c < y.cols(); ++c) {
    const double lo = y.col(c).minCoeff(), hi = y.col(c).maxCoeff();
    const double span = hi > lo ? hi - lo : 1.0;
    y.col(c) = ((y.col(c).array() - lo) * (10.0 / span)).matrix();
  }
}

Matrix initial_layout(MatrixView points, const detail::SparseGraph& graph, const UmapOptions& o, std::uint64_t seed,
                      const Executor& executor, std::string& used) {
  const Index n = points.rows(), dims = o.n_components;
  Matrix y;
  if (o.init == UmapInit::spectral) {
    y = detail::spectral_layout(graph, dims, o.spectral_iterations, derive_seed(seed, "umap-spectral"), executor);
    used = "spectral";
  }
  if (y.rows() == 0 && (o.init != UmapInit::random) && dims <= std::min(n, points.cols())) {
    PcaOptions pca;
    pca.n_components = dims;
    y = pca_embedding(points, pca, executor);
    used = "pca";
  }
  if (y.rows() == 0) {
    Rng rng(derive_seed(seed, "umap-random-init"));
    y.resize(n, dims);
    for (Index i = 0; i < n; ++i)
      for (Index c = 0; c < dims; ++c) y(i, c) = 10.0 * rng.uniform();
    used = "random";
    return y;
  }
  rescale_to_box(y, derive_seed(seed, "umap-init-noise"));
  return y;
}

struct Schedule {
  std::vector<double> epochs_per_sample, next_sample, epochs_per_negative, next_negative;
};

}  // namespace

UmapResult umap(MatrixView points, const neighbors::KnnGraph& knn, const UmapOptions& options, std::uint64_t seed,
                const Executor& executor) {
  const Index n = points.rows(), dims = options.n_components;
  check_options(n, points.cols(), options);
  const Index m = options.n_neighbors - 1;
  if (knn.indices.rows() != n || knn.k < m)
    throw InputError("UMAP: the kNN graph needs " + std::to_string(n) + " rows and at least " + std::to_string(m) +
                     " neighbours");
  UmapResult result;
  if (options.a > 0 && options.b > 0) {
    result.a = options.a, result.b = options.b;
  } else {
    std::tie(result.a, result.b) = fit_umap_ab(options.spread, options.min_dist);
  }
  result.n_epochs = options.n_epochs > 0 ? options.n_epochs : (n <= 10000 ? 500 : 200);
  const int epochs = result.n_epochs;

  auto graph = detail::fuzzy_simplicial_set(knn, m, executor);
  // Prune edges too weak to be sampled in n_epochs (as umap-learn), keeping CSR.
  const double wmax = graph.weights.empty() ? 0.0 : *std::max_element(graph.weights.begin(), graph.weights.end());
  {
    detail::SparseGraph pruned;
    pruned.n = n;
    pruned.row_ptr.assign(static_cast<std::size_t>(n + 1), 0);
    for (Index i = 0; i < n; ++i) {
      for (auto e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; ++e)
        if (graph.weights[e] >= wmax / epochs) {
          pruned.cols.push_back(graph.cols[e]);
          pruned.weights.push_back(graph.weights[e]);
        }
      pruned.row_ptr[i + 1] = static_cast<std::int64_t>(pruned.cols.size());
    }
    graph = std::move(pruned);
  }
  result.graph_edges = static_cast<Index>(graph.cols.size());

  Matrix y = initial_layout(points, graph, options, seed, executor, result.init);

  Schedule s;
  const std::size_t edges = graph.cols.size();
  s.epochs_per_sample.resize(edges);
  for (std::size_t e = 0; e < edges; ++e) s.epochs_per_sample[e] = wmax / graph.weights[e];
  s.next_sample = s.epochs_per_sample;
  s.epochs_per_negative.resize(edges);
  for (std::size_t e = 0; e < edges; ++e)
    s.epochs_per_negative[e] = options.negative_sample_rate > 0 ? s.epochs_per_sample[e] / options.negative_sample_rate
                                                                : std::numeric_limits<double>::infinity();
  s.next_negative = s.epochs_per_negative;

  const double a = result.a, b = result.b, gamma = options.repulsion_strength;
  Matrix next(n, dims);
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const double alpha = options.learning_rate * (1.0 - static_cast<double>(epoch) / epochs);
    const std::uint64_t epoch_seed = derive_seed(seed, "umap-epoch-" + std::to_string(epoch));
    executor.for_chunks(static_cast<std::size_t>(n), kSgdGrain, [&](std::size_t chunk, Range r) {
      Rng rng = Rng(epoch_seed).split(chunk);
      std::vector<double> cur(static_cast<std::size_t>(dims));
      for (std::size_t ii = r.begin; ii < r.end; ++ii) {
        const Index i = static_cast<Index>(ii);
        for (Index c = 0; c < dims; ++c) cur[c] = y(i, c);
        for (auto e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; ++e) {
          if (s.next_sample[e] > epoch) continue;
          const Index j = graph.cols[e];
          // Attraction from the epoch's snapshot, applied twice: once as the head
          // of i→j and once as the moved tail of j→i (umap-learn's move_other).
          // Computing it from the snapshot keeps each pair's pull symmetric.
          double dist2 = 0;
          for (Index c = 0; c < dims; ++c) dist2 += (y(i, c) - y(j, c)) * (y(i, c) - y(j, c));
          if (dist2 > 0) {
            const double coeff = -2.0 * a * b * std::pow(dist2, b - 1.0) / (a * std::pow(dist2, b) + 1.0);
            for (Index c = 0; c < dims; ++c) cur[c] += 2.0 * alpha * clip(coeff * (y(i, c) - y(j, c)));
          }
          s.next_sample[e] += s.epochs_per_sample[e];
          const int negatives = static_cast<int>((epoch - s.next_negative[e]) / s.epochs_per_negative[e]);
          for (int q = 0; q < negatives; ++q) {
            const Index k = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
            if (k == i) continue;
            double gap2 = 0;
            for (Index c = 0; c < dims; ++c) gap2 += (cur[c] - y(k, c)) * (cur[c] - y(k, c));
            double coeff = 0;
            if (gap2 > 0) coeff = 2.0 * gamma * b / ((0.001 + gap2) * (a * std::pow(gap2, b) + 1.0));
            for (Index c = 0; c < dims; ++c) cur[c] += alpha * (coeff > 0 ? clip(coeff * (cur[c] - y(k, c))) : 4.0);
          }
          if (negatives > 0) s.next_negative[e] += negatives * s.epochs_per_negative[e];
        }
        for (Index c = 0; c < dims; ++c) next(i, c) = cur[c];
      }
    });
    y.swap(next);
  }
  result.embedding = std::move(y);
  return result;
}

UmapResult umap(MatrixView points, const UmapOptions& options, std::uint64_t seed, const Executor& executor) {
  check_options(points.rows(), points.cols(), options);
  const auto knn =
      neighbors::knn_graph(points, options.n_neighbors - 1, options.knn, derive_seed(seed, "umap-knn"), executor);
  return umap(points, knn, options, seed, executor);
}

}  // namespace cb::embed
