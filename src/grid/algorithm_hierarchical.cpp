// Grid registration of agglomerative clustering: one tree per family, cut at every k.
#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "builtin.hpp"
#include "clusterbench/cluster/hierarchical.hpp"
#include "cost_support.hpp"

namespace cb::grid {
namespace {

using cluster::HierarchicalOptions;

/// The config speaks in MiB; the algorithm in bytes.
struct HierarchicalParams {
  HierarchicalOptions options;
  int memory_budget_mib =
      static_cast<int>(HierarchicalOptions{}.memory_budget_bytes >> 20);      ///< condensed-matrix budget
  Index exact_ward_max_points = HierarchicalOptions{}.exact_ward_max_points;  ///< automatic ward: exact up to this n
  Index exact_ward_low_dims_max_points = HierarchicalOptions{}.exact_ward_low_dims_max_points;  ///< ... in ≤ 6 dims
  Index micro_clusters = HierarchicalOptions{}.micro_clusters;  ///< leaves of the approximated tree
};

const ParamTable<HierarchicalParams>& hierarchical_params() {
  return declared_once<HierarchicalParams>([](ParamTable<HierarchicalParams>& t) {
    t.add_enum(
         "linkage", [](HierarchicalParams & p) -> auto& { return p.options.linkage; },
         "merge criterion: ward, complete, average or single", cluster::kLinkageNames)
        .add_enum(
            "method", [](HierarchicalParams & p) -> auto& { return p.options.method; },
            "automatic (from the memory budget and exact_ward_max_points), distance_matrix, ward_centroids "
            "(O(n·d) memory), minimum_spanning_tree (single) or micro_clusters (ward on a K-Means summary: "
            "an approximation, recorded with each run)",
            cluster::kHierarchyMethodNames)
        .add("memory_budget_mib", &HierarchicalParams::memory_budget_mib,
             "largest condensed distance matrix (MiB) before automatic switches to O(n·d) methods", 1, 1 << 20)
        .add("exact_ward_max_points", &HierarchicalParams::exact_ward_max_points,
             "automatic: Ward above this many points (in more than 6 dimensions) runs on micro-clusters (exact Ward "
             "then scans every cluster: O(n²·d))",
             2, 1e12)
        .add("exact_ward_low_dims_max_points", &HierarchicalParams::exact_ward_low_dims_max_points,
             "the same in up to 6 dimensions, where exact Ward searches a kd-tree of centroids (about n·log n)", 2,
             1e12)
        .add("micro_clusters", &HierarchicalParams::micro_clusters,
             "micro-clusters (tree leaves) summarising the points when Ward is approximated", 2, 1e7);
  });
}

std::vector<RunOutcome> fit_hierarchical(const FamilyRequest& request) {
  auto params = hierarchical_params().build(request.params);
  params.options.memory_budget_bytes = static_cast<std::size_t>(params.memory_budget_mib) << 20;
  params.options.exact_ward_max_points = params.exact_ward_max_points;
  params.options.exact_ward_low_dims_max_points = params.exact_ward_low_dims_max_points;
  params.options.micro_clusters = params.micro_clusters;
  params.options.seed = request.seed;
  const auto start = std::chrono::steady_clock::now();
  const auto tree = cluster::hierarchical_tree(request.data, params.options, request.executor);
  const double tree_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<RunOutcome> outcomes;
  for (const int k : request.ks) {
    const auto cut_start = std::chrono::steady_clock::now();
    RunOutcome out;
    out.k = k;
    out.labels = cluster::cut_tree(tree, k);
    // The tree is shared by every k: its time is split evenly among them.
    out.fit_seconds = tree_seconds / static_cast<double>(request.ks.size()) +
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - cut_start).count();
    out.values["merge_height"] = cluster::cut_height(tree, k);
    out.values["tree_seconds"] = tree_seconds;
    if (tree.approximate()) {  // the approximation is recorded with the run
      out.values["tree_leaves"] = static_cast<double>(tree.leaves);
      out.values["summary_inertia"] = tree.summary_inertia;
      out.message = fmt::format("approximated: Ward on {} micro-clusters ({})", tree.leaves,
                                cluster::hierarchy_method_name(tree.method));
    }
    out.arrays["merges"] = tree.merges;
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

StepCost estimate_hierarchical(const CostQuery& q) {
  auto params = hierarchical_params().build(q.params);
  params.options.memory_budget_bytes = static_cast<std::size_t>(params.memory_budget_mib) << 20;
  params.options.exact_ward_max_points = params.exact_ward_max_points;
  params.options.exact_ward_low_dims_max_points = params.exact_ward_low_dims_max_points;
  params.options.micro_clusters = params.micro_clusters;
  StepCost c;
  const double n = static_cast<double>(q.points), d = static_cast<double>(q.dims);
  const double cuts = n * 4.0 * static_cast<double>(q.ks.size()) * 2e-8;  // one labelling per k
  using M = cluster::HierarchyMethod;
  const M method = cluster::resolve_hierarchy_method(q.points, q.dims, params.options);
  c.method = std::string(cluster::hierarchy_method_name(method));
  switch (method) {
    case M::distance_matrix:
      c.cpu_seconds = n * n * (d * 1e-9 + 1.5e-8);
      c.peak_bytes = n * (n - 1) / 2 * 8.0 + n * 40.0;
      break;
    case M::ward_centroids:
      // With the kd-tree search about n·log n, its constant growing with d (customers: 100,000 in 6
      // dims 1.6 s, 10⁶ in 2 dims 3.3 s); scanning every cluster is n²·d as for the MST.
      c.cpu_seconds = q.dims <= cluster::kWardTreeMaxDims ? n * std::log2(std::max(n, 2.0)) * 1e-7 * std::exp2(0.55 * d)
                                                          : n * n * (d + 10) * 2.7e-10;
      c.peak_bytes = n * (d + 6) * 8.0;
      break;
    case M::minimum_spanning_tree:
      c.cpu_seconds = n * n * (d + 10) * 2.7e-10;
      c.peak_bytes = n * (d + 6) * 8.0;
      break;
    case M::micro_clusters: {
      const double m = std::min(n, static_cast<double>(params.micro_clusters));
      c.cpu_seconds = n * d * 6e-8 + m * m * 4e-7;  // a sampled K-Means summary, then exact Ward on m leaves
      c.peak_bytes = n * (d + 4) * 8.0 + m * (d + 8) * 8.0;
      c.approximated = true;
      c.method += fmt::format(" ({} leaves)", static_cast<long long>(m));
      break;
    }
    case M::automatic: break;
  }
  c.cpu_seconds += cuts;
  c.peak_bytes += n * 4.0 * 2;
  return c;
}

}  // namespace

AlgorithmEntry hierarchical_entry() {
  return algorithm_entry("hierarchical",
                         "agglomerative (ward, complete, average, single): one merge tree, cut at every k",
                         hierarchical_params().specs(), fit_hierarchical, estimate_hierarchical);
}

}  // namespace cb::grid
