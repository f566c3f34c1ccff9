// Grid registration of K-Means: its parameters, declared once.
#include "builtin.hpp"
#include "clusterbench/cluster/kmeans.hpp"
#include "cost_support.hpp"

namespace cb::grid {
namespace {

using cluster::KMeansMethod;
using cluster::KMeansOptions;

const ParamTable<KMeansOptions>& kmeans_params() {
  return declared_once<KMeansOptions>([](ParamTable<KMeansOptions>& t) {
    t.add("n_init", &KMeansOptions::n_init, "restarts from different k-means++ seedings; the lowest inertia wins", 1,
          1000)
        .add("max_iter", &KMeansOptions::max_iter, "Lloyd iterations per restart", 1, 100000)
        .add("tol", &KMeansOptions::tol, "stop when centroid shift² ≤ tol × mean feature variance", 0, 1)
        .add_enum("method", &KMeansOptions::method, "iteration scheme: hamerly (bounds skip distance work) or lloyd",
                  cluster::kKMeansMethodNames);
  });
}

std::vector<RunOutcome> fit_kmeans(const FamilyRequest& request) {
  const KMeansOptions options = kmeans_params().build(request.params);
  return fit_each_k(request, [&](int k, std::uint64_t seed) {
    auto fit = cluster::kmeans(request.data, k, options, seed, request.executor);
    RunOutcome out;
    out.labels = std::move(fit.labels);
    out.values["inertia"] = fit.inertia;
    out.values["iterations"] = fit.iterations;
    out.values["empty_clusters_fixed"] = fit.empty_clusters_fixed;
    if (!fit.converged) {
      out.status = "not_converged";
      out.message = "reached max_iter before tol";
    }
    out.arrays["centroids"] = std::move(fit.centroids);
    return out;
  });
}

StepCost estimate_kmeans(const CostQuery& q) {
  const KMeansOptions options = kmeans_params().build(q.params);
  StepCost c;
  const double n = static_cast<double>(q.points), d = static_cast<double>(q.dims);
  // Seeding (k passes) and about 25 bounded Lloyd iterations per restart and k.
  c.cpu_seconds = n * (d + 4) * cost::sum_of(q.ks) * options.n_init * (25 + 3) * 1.5e-10;
  c.peak_bytes = 2 * n * (cost::largest(q.ks) + d + 4) * 8.0;  // two k fitted at once
  c.method = options.method == KMeansMethod::lloyd ? "lloyd" : "hamerly";
  return c;
}

}  // namespace

AlgorithmEntry kmeans_entry() {
  return algorithm_entry("kmeans", "K-Means: greedy k-means++ seeding, Lloyd with Hamerly bounds, best of n_init",
                         kmeans_params().specs(), fit_kmeans, estimate_kmeans);
}

}  // namespace cb::grid
