// GMM restarts from scikit-learn's own-seeding initialisations (k-means++ points,
// random responsibilities), and the names of the GMM enums.
#include <algorithm>
#include <cmath>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "gmm_detail.hpp"

namespace cb::cluster {
namespace {

double squared_distance(MatrixView x, Index a, const double* b) {
  double s = 0.0;
  for (Index j = 0; j < x.cols(); ++j) {
    const double t = x(a, j) - b[j];
    s += t * t;
  }
  return s;
}

/// Greedy k-means++ (2 + ln k trials per centre, as scikit-learn): indices of k points.
std::vector<Index> kmeans_plusplus_points(MatrixView x, int k, Rng& rng, const Executor& executor) {
  const Index n = x.rows();
  std::vector<Index> chosen{Index(rng.below(std::uint64_t(n)))};
  std::vector<double> closest(static_cast<std::size_t>(n));
  executor.parallel_for(std::size_t(n), 4096, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) closest[i] = squared_distance(x, Index(i), x.row(chosen[0]).data());
  });
  const int trials = 2 + int(std::log(double(k)));
  for (int c = 1; c < k; ++c) {
    double total = 0.0;
    for (double v : closest) total += v;
    Index best_point = -1;
    double best_potential = 0.0;
    std::vector<double> best_closest;
    for (int t = 0; t < trials; ++t) {
      // Sample proportional to the squared distance to the nearest chosen point.
      const double target = rng.uniform() * total;
      double acc = 0.0;
      Index candidate = n - 1;
      for (Index i = 0; i < n; ++i) {
        acc += closest[std::size_t(i)];
        if (acc > target) {
          candidate = i;
          break;
        }
      }
      if (total == 0.0) candidate = Index(rng.below(std::uint64_t(n)));  // all points coincide with centres
      std::vector<double> updated(closest.size());
      const double potential = executor.reduce(
          std::size_t(n), 4096, 0.0,
          [&](Range r) {
            double s = 0.0;
            for (std::size_t i = r.begin; i < r.end; ++i) {
              updated[i] = std::min(closest[i], squared_distance(x, Index(i), x.row(candidate).data()));
              s += updated[i];
            }
            return s;
          },
          [](double& a, double b) { a += b; });
      if (best_point < 0 || potential < best_potential) {
        best_point = candidate;
        best_potential = potential;
        best_closest = std::move(updated);
      }
    }
    chosen.push_back(best_point);
    closest = std::move(best_closest);
  }
  return chosen;
}

}  // namespace

GmmResult gmm_seeded(MatrixView points, int k, const GmmOptions& options, std::uint64_t seed,
                     const Executor& executor) {
  detail::check_gmm_input(points, k, options);
  if (options.init == GmmInit::kmeans) throw InputError("gmm_seeded does not run K-Means; use gmm() for init kmeans");
  const Index n = points.rows();
  GmmResult best;
  for (int restart = 0; restart < options.n_init; ++restart) {
    Rng rng(derive_seed(seed, "gmm-init-" + std::to_string(restart)));
    Matrix resp = Matrix::Zero(n, k);
    if (options.init == GmmInit::kmeans_plusplus) {
      const auto chosen = kmeans_plusplus_points(points, k, rng, executor);
      for (int c = 0; c < k; ++c) resp(chosen[std::size_t(c)], c) = 1.0;
    } else {
      for (Index i = 0; i < n; ++i) {
        for (int c = 0; c < k; ++c) resp(i, c) = rng.uniform();
        resp.row(i) /= resp.row(i).sum();
      }
    }
    detail::keep_best(best, detail::gmm_from_responsibilities(points, resp, options, executor), restart == 0);
  }
  return best;
}

CovarianceType parse_covariance_type(std::string_view name) {
  if (const auto type = value_of(kCovarianceTypeNames, name)) return *type;
  throw InputError("unknown covariance type '" + std::string(name) + "' (expected " +
                   listed_names(kCovarianceTypeNames) + ")");
}

GmmInit parse_gmm_init(std::string_view name) {
  if (const auto init = value_of(kGmmInitNames, name)) return *init;
  throw InputError("unknown GMM init '" + std::string(name) + "' (expected " + listed_names(kGmmInitNames) + ")");
}

}  // namespace cb::cluster
