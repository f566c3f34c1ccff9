// K-Means entry points: input checks, scikit-learn's tolerance, n_init
// restarts (each seeded from its own stream of the seed; the lowest inertia
// wins, ties to the earlier restart), and the all-k variant sharing seedings.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/cluster/kmeans_kernels.hpp"
#include "clusterbench/core/error.hpp"

namespace cb::cluster {
namespace {

using detail::points_ref;
using detail::PointsRef;

void check_data(const MatrixView& points) {
  if (points.rows() == 0 || points.cols() == 0)
    throw InputError("k-means: the data is empty (" + std::to_string(points.rows()) + " points, " +
                     std::to_string(points.cols()) + " features)");
}

void check_k(const MatrixView& points, int k) {
  if (k < 1) throw InputError("k-means: k must be at least 1, got " + std::to_string(k));
  if (k > points.rows())
    throw InputError("k-means: k = " + std::to_string(k) + " exceeds the number of points (" +
                     std::to_string(points.rows()) + ")");
}

void check_options(const KMeansOptions& options) {
  if (options.n_init < 1) throw InputError("k-means: n_init must be at least 1, got " + std::to_string(options.n_init));
  if (options.max_iter < 1)
    throw InputError("k-means: max_iter must be at least 1, got " + std::to_string(options.max_iter));
  if (!(options.tol >= 0.0)) throw InputError("k-means: tol must be >= 0, got " + std::to_string(options.tol));
  if (options.n_local_trials < 0)
    throw InputError("k-means: n_local_trials must be >= 0, got " + std::to_string(options.n_local_trials));
}

Matrix gather_rows(const MatrixView& points, const std::vector<Index>& rows, std::size_t count) {
  Matrix m(static_cast<Index>(count), points.cols());
  for (std::size_t j = 0; j < count; ++j) m.row(static_cast<Index>(j)) = points.row(rows[j]);
  return m;
}

/// The generator of restart r: its own stream, derived from the seed only.
Rng restart_rng(std::uint64_t seed, int restart) { return Rng(seed).split(static_cast<std::uint64_t>(restart)); }

/// Keeps `candidate` when it is the first or strictly better (earlier restart wins ties).
void keep_best(KMeansResult& best, KMeansResult&& candidate, int restart) {
  candidate.restart = restart;
  if (restart == 0 || candidate.inertia < best.inertia) best = std::move(candidate);
}

}  // namespace

namespace detail {

DataSummary summarize(const MatrixView& points, double tol, const Executor& executor) {
  const PointsRef p = points_ref(points);
  const auto n = static_cast<std::size_t>(p.n);
  const auto d = static_cast<std::size_t>(p.d);
  const std::size_t grain = chunk_grain(p.n);
  const std::size_t chunks = Executor::chunk_count(n, grain);
  // Per chunk and feature: sum and max |x|; the first non-finite row.
  std::vector<double> partial(chunks * d, 0.0);
  std::vector<double> partial_max(chunks * d, 0.0);
  std::vector<std::size_t> first_bad(chunks, n);
  executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
    double* s = partial.data() + chunk * d;
    double* mx = partial_max.data() + chunk * d;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double* x = p.row(static_cast<Index>(i));
      for (std::size_t f = 0; f < d; ++f) {
        if (!std::isfinite(x[f]) && first_bad[chunk] == n) first_bad[chunk] = i;
        s[f] += x[f];
        mx[f] = std::max(mx[f], std::abs(x[f]));
      }
    }
  });
  for (std::size_t c = 0; c < chunks; ++c)
    if (first_bad[c] != n)
      throw InputError("k-means: point " + std::to_string(first_bad[c]) + " has a NaN or infinite value");

  DataSummary summary;
  summary.scale.assign(d, 1.0);
  for (std::size_t f = 0; f < d; ++f) {
    double mx = 0.0;
    for (std::size_t c = 0; c < chunks; ++c) mx = std::max(mx, partial_max[c * d + f]);
    // max|x| < 2^(e+1), so |x| · 2^(61 − e) < 2^62: fits an int64 with room.
    if (mx > 0.0) summary.scale[f] = std::ldexp(1.0, 61 - std::ilogb(mx));
  }
  if (tol == 0.0) return summary;

  std::vector<double> mean(d, 0.0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t f = 0; f < d; ++f) mean[f] += partial[c * d + f];
  for (double& m : mean) m /= static_cast<double>(n);
  std::fill(partial.begin(), partial.end(), 0.0);
  executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
    double* s = partial.data() + chunk * d;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double* x = p.row(static_cast<Index>(i));
      for (std::size_t f = 0; f < d; ++f) {
        const double t = x[f] - mean[f];
        s[f] += t * t;
      }
    }
  });
  double variance_sum = 0.0;
  for (std::size_t f = 0; f < d; ++f) {
    double v = 0.0;
    for (std::size_t c = 0; c < chunks; ++c) v += partial[c * d + f];
    variance_sum += v / static_cast<double>(n);
  }
  summary.absolute_tol = tol * variance_sum / static_cast<double>(d);
  return summary;
}

}  // namespace detail

KMeansResult kmeans(MatrixView points, int k, const KMeansOptions& options, std::uint64_t seed,
                    const Executor& executor) {
  check_data(points);
  check_k(points, k);
  check_options(options);
  const detail::DataSummary summary = detail::summarize(points, options.tol, executor);
  // All restarts side by side: seedings in one set of sweeps, then the runs.
  std::vector<Rng> rngs;
  for (int r = 0; r < options.n_init; ++r) rngs.push_back(restart_rng(seed, r));
  const detail::Columns columns = detail::columns_of(points_ref(points), executor);
  auto seeds = detail::plusplus_lockstep(points, columns, k, rngs, options.n_local_trials, executor);
  std::vector<Matrix> initial;
  for (const auto& s : seeds) initial.push_back(gather_rows(points, s, s.size()));
  auto runs = detail::run_lockstep(points, columns, initial, options, summary, executor);
  KMeansResult best;
  for (int r = 0; r < options.n_init; ++r) {
    runs[static_cast<std::size_t>(r)].seeds = std::move(seeds[static_cast<std::size_t>(r)]);
    keep_best(best, std::move(runs[static_cast<std::size_t>(r)]), r);
  }
  return best;
}

std::vector<KMeansResult> kmeans_all_k(MatrixView points, std::span<const int> ks, const KMeansOptions& options,
                                       std::uint64_t seed, const Executor& executor) {
  check_data(points);
  check_options(options);
  if (ks.empty()) return {};
  for (int k : ks) check_k(points, k);
  const int k_max = *std::max_element(ks.begin(), ks.end());
  const detail::DataSummary summary = detail::summarize(points, options.tol, executor);
  // One seeding per restart for the largest k; every (k, restart) run side by side.
  std::vector<Rng> rngs;
  for (int r = 0; r < options.n_init; ++r) rngs.push_back(restart_rng(seed, r));
  const detail::Columns columns = detail::columns_of(points_ref(points), executor);
  const auto seeds = detail::plusplus_lockstep(points, columns, k_max, rngs, options.n_local_trials, executor);
  std::vector<Matrix> initial;
  for (int k : ks)
    for (const auto& s : seeds) initial.push_back(gather_rows(points, s, static_cast<std::size_t>(k)));
  auto runs = detail::run_lockstep(points, columns, initial, options, summary, executor);

  std::vector<KMeansResult> best(ks.size());
  const auto n_init = static_cast<std::size_t>(options.n_init);
  for (std::size_t t = 0; t < ks.size(); ++t)
    for (std::size_t r = 0; r < n_init; ++r) {
      KMeansResult& run = runs[t * n_init + r];
      run.seeds.assign(seeds[r].begin(), seeds[r].begin() + ks[t]);
      keep_best(best[t], std::move(run), static_cast<int>(r));
    }
  return best;
}

KMeansResult kmeans_from_centroids(MatrixView points, const Matrix& initial_centroids, const KMeansOptions& options,
                                   const Executor& executor) {
  check_data(points);
  check_options(options);
  if (initial_centroids.cols() != points.cols())
    throw InputError("k-means: initial centroids have " + std::to_string(initial_centroids.cols()) +
                     " features, the points " + std::to_string(points.cols()));
  check_k(points, static_cast<int>(initial_centroids.rows()));
  const detail::DataSummary summary = detail::summarize(points, options.tol, executor);
  const detail::Columns columns = detail::columns_of(points_ref(points), executor);
  return std::move(detail::run_lockstep(points, columns, {initial_centroids}, options, summary, executor)[0]);
}

}  // namespace cb::cluster
