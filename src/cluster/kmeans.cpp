// K-Means entry points: input checks, scikit-learn's tolerance, n_init
// restarts (each seeded from its own stream of the seed; the lowest inertia
// wins, ties to the earlier restart), and the all-k variant sharing seedings.
#include <algorithm>
#include <string>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/cluster/kmeans_kernels.hpp"
#include "clusterbench/core/error.hpp"

namespace cb::cluster {
namespace {

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

KMeansResult kmeans(MatrixView points, int k, const KMeansOptions& options, std::uint64_t seed,
                    const Executor& executor) {
  check_data(points);
  check_k(points, k);
  check_options(options);
  const double tol_abs = detail::absolute_tolerance(points, options.tol, executor);
  KMeansResult best;
  for (int r = 0; r < options.n_init; ++r) {
    Rng rng = restart_rng(seed, r);
    std::vector<Index> seeds = kmeans_plusplus(points, k, rng, executor, options.n_local_trials);
    KMeansResult run = detail::run_from_centroids(points, gather_rows(points, seeds, seeds.size()), options, tol_abs,
                                                  executor);
    run.seeds = std::move(seeds);
    keep_best(best, std::move(run), r);
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
  const double tol_abs = detail::absolute_tolerance(points, options.tol, executor);

  std::vector<KMeansResult> best(ks.size());
  for (int r = 0; r < options.n_init; ++r) {
    Rng rng = restart_rng(seed, r);
    const std::vector<Index> seeds = kmeans_plusplus(points, k_max, rng, executor, options.n_local_trials);
    // The runs of one restart are independent: run them side by side.
    std::vector<KMeansResult> runs(ks.size());
    std::vector<std::function<void()>> tasks;
    for (std::size_t t = 0; t < ks.size(); ++t)
      tasks.emplace_back([&, t] {
        const auto k = static_cast<std::size_t>(ks[t]);
        runs[t] = detail::run_from_centroids(points, gather_rows(points, seeds, k), options, tol_abs, executor);
        runs[t].seeds.assign(seeds.begin(), seeds.begin() + static_cast<std::ptrdiff_t>(k));
      });
    executor.run_all(tasks);
    for (std::size_t t = 0; t < ks.size(); ++t) keep_best(best[t], std::move(runs[t]), r);
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
  const double tol_abs = detail::absolute_tolerance(points, options.tol, executor);
  return detail::run_from_centroids(points, initial_centroids, options, tol_abs, executor);
}

}  // namespace cb::cluster
