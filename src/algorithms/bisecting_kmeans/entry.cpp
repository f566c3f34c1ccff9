// Grid registration of bisecting K-Means: one split sequence per family, cut at every k.
#include <chrono>

#include <fmt/format.h>

#include "bisecting_kmeans.hpp"
#include "builtin.hpp"
#include "cost_support.hpp"

namespace cb::grid {
namespace {

using cluster::BisectingKMeansOptions;

const ParamTable<BisectingKMeansOptions>& bisecting_kmeans_params() {
  return declared_once<BisectingKMeansOptions>([](ParamTable<BisectingKMeansOptions>& t) {
    t.add_enum("strategy", &BisectingKMeansOptions::strategy,
               "leaf split next: biggest_inertia (largest sum of squared distances) or largest_cluster (most points)",
               cluster::kBisectingStrategyNames)
        .add("n_init", &BisectingKMeansOptions::n_init, "2-means restarts per split; the lowest inertia wins", 1, 1000)
        .add("max_iter", &BisectingKMeansOptions::max_iter, "Lloyd iterations per restart", 1, 100000)
        .add("tol", &BisectingKMeansOptions::tol, "stop when centroid shift² ≤ tol × mean feature variance", 0, 1);
  });
}

std::vector<RunOutcome> fit_bisecting_kmeans(const FamilyRequest& request) {
  const auto options = bisecting_kmeans_params().build(request.params);
  const auto start = std::chrono::steady_clock::now();
  auto cuts = cluster::bisecting_kmeans(request.data, request.ks, options, request.seed, request.executor);
  // The split sequence is shared by every k: its time is split evenly among them.
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<RunOutcome> outcomes;
  for (auto& cut : cuts) {
    RunOutcome out;
    out.k = cut.k;
    out.labels = std::move(cut.labels);
    out.fit_seconds = seconds / static_cast<double>(cuts.size());
    out.values["inertia"] = cut.inertia;
    if (cut.leaves < cut.k) {
      out.status = "k_not_reachable";
      out.message = fmt::format("only {} clusters: no leaf with two distinct points is left to split", cut.leaves);
    }
    out.arrays["centroids"] = std::move(cut.centroids);
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

StepCost estimate_bisecting_kmeans(const CostQuery& q) {
  const auto options = bisecting_kmeans_params().build(q.params);
  StepCost c;
  const double n = static_cast<double>(q.points), d = static_cast<double>(q.dims);
  // Each level of splits passes over about all points: 2-means (about 25
  // iterations per restart) on log2(k) levels, plus a labelling per k.
  const double levels = std::log2(std::max(cost::largest(q.ks), 2.0)) + 1;
  c.cpu_seconds =
      n * (d + 4) * 2 * options.n_init * (25 + 2) * levels * 1.5e-10 + n * static_cast<double>(q.ks.size()) * 2e-9;
  c.peak_bytes = n * (d + 2) * 8.0 + n * 4.0 * static_cast<double>(q.ks.size());
  return c;
}

}  // namespace

AlgorithmEntry bisecting_kmeans_entry() {
  return algorithm_entry("bisecting_kmeans",
                         "bisecting K-Means: split the leaf of biggest inertia by 2-means until k leaves; all k nest",
                         bisecting_kmeans_params().specs(), fit_bisecting_kmeans, estimate_bisecting_kmeans);
}

}  // namespace cb::grid
