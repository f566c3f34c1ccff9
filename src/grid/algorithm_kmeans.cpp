// Grid registration of K-Means: its parameters, declared once.
#include <chrono>

#include "builtin.hpp"
#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::grid {
namespace {

using cluster::KMeansMethod;
using cluster::KMeansOptions;

const ParamTable<KMeansOptions>& kmeans_params() {
  static const auto table = [] {
    ParamTable<KMeansOptions> t;
    t.add("n_init", &KMeansOptions::n_init, "restarts from different k-means++ seedings; the lowest inertia wins", 1, 1000)
        .add("max_iter", &KMeansOptions::max_iter, "Lloyd iterations per restart", 1, 100000)
        .add("tol", &KMeansOptions::tol, "stop when centroid shift² ≤ tol × mean feature variance", 0, 1)
        .add_choice("method", "iteration scheme: hamerly (bounds skip distance work) or lloyd", "hamerly",
                                  {"hamerly", "lloyd"}, [](KMeansOptions& o, const std::string& v) {
                                    o.method = v == "lloyd" ? KMeansMethod::lloyd : KMeansMethod::hamerly;
                                  });
    return t;
  }();
  return table;
}

}  // namespace

AlgorithmEntry kmeans_entry() {
  AlgorithmEntry entry;
  entry.name = "kmeans";
  entry.summary = "K-Means: greedy k-means++ seeding, Lloyd with Hamerly bounds, best of n_init";
  entry.params = kmeans_params().specs();
  entry.fit_all_k = [](const FamilyRequest& request) {
    const KMeansOptions options = kmeans_params().build(request.params);
    std::vector<std::function<void()>> tasks;
    for (std::size_t i = 0; i < request.ks.size(); ++i) {
      tasks.emplace_back([&, i] {
        const int k = request.ks[i];
        const auto start = std::chrono::steady_clock::now();
        auto fit = cluster::kmeans(request.data, k, options, derive_seed(request.seed, "k=" + std::to_string(k)),
                                   request.executor);
        RunOutcome out;
        out.k = k;
        out.labels = std::move(fit.labels);
        out.values["inertia"] = fit.inertia;
        out.values["iterations"] = fit.iterations;
        out.values["empty_clusters_fixed"] = fit.empty_clusters_fixed;
        if (!fit.converged) {
          out.status = "not_converged";
          out.message = "reached max_iter before tol";
        }
        out.arrays["centroids"] = std::move(fit.centroids);
        out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        request.emit(std::move(out));
      });
    }
    request.executor.run_all(tasks);
    return std::vector<RunOutcome>{};
  };
  return entry;
}

}  // namespace cb::grid
