// Grid registration of DBSCAN in target-k mode: one core-distance + MST
// structure per family gives, for every k, the eps that yields k clusters.
#include <chrono>

#include <fmt/format.h>

#include "builtin.hpp"
#include "clusterbench/cluster/dbscan.hpp"
#include "cost_support.hpp"

namespace cb::grid {
namespace {

using cluster::DbscanTargetOptions;

const ParamTable<DbscanTargetOptions>& dbscan_params() {
  return declared_once<DbscanTargetOptions>([](ParamTable<DbscanTargetOptions>& t) {
    t.add("min_samples", &DbscanTargetOptions::min_samples,
          "points within eps (itself included) that make a core point", 1, 1e6)
        .add("leaf_size", &DbscanTargetOptions::leaf_size, "kd-tree leaf size", 1, 1e6);
  });
}

std::vector<RunOutcome> fit_dbscan(const FamilyRequest& request) {
  const auto options = dbscan_params().build(request.params);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<int> ks(request.ks.begin(), request.ks.end());
  auto targets = cluster::dbscan_for_cluster_counts(request.data, ks, options, request.executor);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<RunOutcome> outcomes;
  for (auto& t : targets) {
    RunOutcome out;
    out.k = t.k_requested;
    out.labels = std::move(t.result.labels);
    out.fit_seconds = seconds / static_cast<double>(targets.size());
    out.values = {
        {"eps", t.eps}, {"exact_k", t.exact ? 1.0 : 0.0}, {"noise_points", static_cast<double>(t.result.noise_points)}};
    if (!t.exact) {
      out.status = "k_not_reachable";
      out.message =
          fmt::format("no eps gives {} clusters; closest is {} at eps {:.6g}", t.k_requested, t.clusters, t.eps);
    }
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

StepCost estimate_dbscan(const CostQuery& q) {
  const auto options = dbscan_params().build(q.params);
  StepCost c;
  const double n = static_cast<double>(q.points), d = static_cast<double>(q.dims);
  // Core distances and the MST by kd-tree queries: n log n, growing about 1.7× per dimension.
  c.cpu_seconds = n * std::log2(std::max(n, 2.0)) * 3e-7 * std::pow(1.7, std::max(d - 2, 0.0)) *
                  std::max(1.0, static_cast<double>(options.min_samples) / 5.0);
  c.peak_bytes = n * (static_cast<double>(options.min_samples) * 12.0 + d * 8.0 * 2 + 48.0) +
                 n * 4.0 * static_cast<double>(q.ks.size());
  return c;
}

}  // namespace

AlgorithmEntry dbscan_entry() {
  auto entry = algorithm_entry(
      "dbscan", "DBSCAN (scikit-learn semantics); for each k the eps giving k clusters, from one MST per family",
      dbscan_params().specs(), fit_dbscan, estimate_dbscan);
  entry.density_based = true;
  return entry;
}

}  // namespace cb::grid
