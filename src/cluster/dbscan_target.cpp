// DBSCAN for every eps at once. With core distances c (squared distance to the
// min_samples-th nearest point) and mutual reachability m(a,b) = max(c_a, c_b, ‖a−b‖²):
// at squared radius r², core points are {c ≤ r²} and two cores are eps-connected
// iff m ≤ r², so the clusters are the components of the MST edges with m ≤ r²,
// and the count is #{c ≤ r²} − #{MST edges ≤ r²}. Both use the same squared
// distances as dbscan(), so the labels agree exactly.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "dbscan_detail.hpp"

namespace cb::cluster {
namespace {

constexpr std::size_t kGrain = 4096;

struct Best {
  double value = std::numeric_limits<double>::infinity();
  Index position = std::numeric_limits<Index>::max();
  bool beats(const Best& o) const { return value < o.value || (value == o.value && position < o.position); }
};

/// Prim's MST over mutual-reachability distances, computed on the fly.
std::vector<DbscanHierarchy::Edge> mutual_reachability_mst(MatrixView points, const std::vector<double>& core2,
                                                           const Executor& executor) {
  const Index n = points.rows(), d = points.cols();
  Matrix rest = points;  // compact rows of points not yet in the tree
  std::vector<Index> id_at(static_cast<std::size_t>(n));
  std::vector<double> core_at = core2, to_tree(std::size_t(n), std::numeric_limits<double>::infinity());
  std::vector<Index> parent(std::size_t(n), -1);
  for (Index i = 0; i < n; ++i) id_at[std::size_t(i)] = i;
  Index m = n;
  auto remove_position = [&](Index p) {
    const Index last = m - 1;
    if (p != last) {
      rest.row(p) = rest.row(last);
      id_at[std::size_t(p)] = id_at[std::size_t(last)];
      core_at[std::size_t(p)] = core_at[std::size_t(last)];
      to_tree[std::size_t(p)] = to_tree[std::size_t(last)];
      parent[std::size_t(p)] = parent[std::size_t(last)];
    }
    --m;
  };
  Vector newest = rest.row(0).transpose();
  Index newest_id = 0;
  double newest_core = core_at[0];
  remove_position(0);
  std::vector<DbscanHierarchy::Edge> edges;
  edges.reserve(std::size_t(n - 1));
  while (m > 0) {
    const double* q = newest.data();
    auto scan = [&](std::size_t b, std::size_t e) {
      Best best;
      for (std::size_t p = b; p < e; ++p) {
        const double* x = &rest(Index(p), 0);
        double s = 0.0;
        for (Index j = 0; j < d; ++j) {
          const double t = q[j] - x[j];
          s += t * t;
        }
        const double w = std::max({s, newest_core, core_at[p]});
        if (w < to_tree[p]) to_tree[p] = w, parent[p] = newest_id;
        const Best here{to_tree[p], Index(p)};
        if (here.beats(best)) best = here;
      }
      return best;
    };
    const Best best = std::size_t(m) <= kGrain
                          ? scan(0, std::size_t(m))
                          : executor.reduce(
                                std::size_t(m), kGrain, Best{}, [&](Range r) { return scan(r.begin, r.end); },
                                [](Best& acc, const Best& b) {
                                  if (b.beats(acc)) acc = b;
                                });
    const Index p = best.position;
    edges.push_back({parent[std::size_t(p)], id_at[std::size_t(p)], best.value});
    newest = rest.row(p).transpose();
    newest_id = id_at[std::size_t(p)];
    newest_core = core_at[std::size_t(p)];
    remove_position(p);
  }
  std::stable_sort(edges.begin(), edges.end(),
                   [](const DbscanHierarchy::Edge& a, const DbscanHierarchy::Edge& b) { return a.weight2 < b.weight2; });
  return edges;
}

DbscanHierarchy build_hierarchy(MatrixView points, const neighbors::KdTree& tree, int min_samples,
                                const Executor& executor) {
  const Index n = points.rows();
  DbscanHierarchy h;
  h.min_samples = min_samples;
  h.core_distance2.assign(std::size_t(n), std::numeric_limits<double>::infinity());
  if (Index(min_samples) <= n) {
    executor.parallel_for(std::size_t(n), 256, [&](Range r) {
      for (std::size_t i = r.begin; i < r.end; ++i)
        h.core_distance2[i] = tree.kth_distance2(points.row(Index(i)).data(), min_samples);
    });
  }
  if (n > 1) h.mst = mutual_reachability_mst(points, h.core_distance2, executor);
  return h;
}

int count_at(const std::vector<double>& sorted_core2, const std::vector<double>& sorted_weight2, double r2) {
  const auto cores = std::upper_bound(sorted_core2.begin(), sorted_core2.end(), r2) - sorted_core2.begin();
  const auto edges = std::upper_bound(sorted_weight2.begin(), sorted_weight2.end(), r2) - sorted_weight2.begin();
  return int(cores - edges);
}

}  // namespace

namespace detail {

DbscanResult labels_from_hierarchy(MatrixView points, const neighbors::KdTree& tree,
                                   const DbscanHierarchy& hierarchy, double radius2, const Executor& executor) {
  const Index n = points.rows();
  std::vector<std::uint8_t> core(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) core[std::size_t(i)] = hierarchy.core_distance2[std::size_t(i)] <= radius2;
  PointForest components(n);
  for (const auto& e : hierarchy.mst) {
    if (e.weight2 > radius2) break;  // ascending
    components.unite(e.a, e.b);
  }
  return finish_labels(points, tree, std::move(core), components, radius2, executor);
}

}  // namespace detail

DbscanHierarchy dbscan_hierarchy(MatrixView points, const DbscanTargetOptions& options, const Executor& executor) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("DBSCAN needs at least one point and one column");
  if (options.min_samples < 1) throw InputError("DBSCAN min_samples must be at least 1, got " + std::to_string(options.min_samples));
  const neighbors::KdTree tree(points, {options.leaf_size});
  return build_hierarchy(points, tree, options.min_samples, executor);
}

int dbscan_cluster_count(const DbscanHierarchy& hierarchy, double eps) {
  std::vector<double> core2 = hierarchy.core_distance2, weight2;
  std::sort(core2.begin(), core2.end());
  for (const auto& e : hierarchy.mst) weight2.push_back(e.weight2);
  return count_at(core2, weight2, eps * eps);
}

DbscanResult dbscan_from_hierarchy(MatrixView points, const DbscanHierarchy& hierarchy, double eps,
                                   const Executor& executor, Index leaf_size) {
  const neighbors::KdTree tree(points, {leaf_size});
  return detail::labels_from_hierarchy(points, tree, hierarchy, eps * eps, executor);
}

std::vector<DbscanTargetResult> dbscan_for_cluster_counts(MatrixView points, const std::vector<int>& ks,
                                                          const DbscanTargetOptions& options,
                                                          const Executor& executor) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("DBSCAN needs at least one point and one column");
  if (options.min_samples < 1) throw InputError("DBSCAN min_samples must be at least 1, got " + std::to_string(options.min_samples));
  for (int k : ks)
    if (k < 1) throw InputError("DBSCAN target number of clusters must be at least 1, got " + std::to_string(k));
  const neighbors::KdTree tree(points, {options.leaf_size});
  const DbscanHierarchy h = build_hierarchy(points, tree, options.min_samples, executor);

  // Candidate squared radii: where the count can change. Count is constant on [c_j, c_{j+1}).
  std::vector<double> core2, weight2, candidates;
  for (double c : h.core_distance2)
    if (std::isfinite(c)) core2.push_back(c);
  for (const auto& e : h.mst)
    if (std::isfinite(e.weight2)) weight2.push_back(e.weight2);
  std::sort(core2.begin(), core2.end());
  candidates = core2;
  candidates.insert(candidates.end(), weight2.begin(), weight2.end());
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  struct Interval {
    double eps;    // a radius inside the interval whose square falls in it
    double width;  // interval width in eps
    int count;
  };
  std::vector<Interval> intervals;
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    const double lo = std::sqrt(candidates[j]);
    const bool last = j + 1 == candidates.size();
    const double hi = last ? std::max(2.0 * lo, lo + 1.0) : std::sqrt(candidates[j + 1]);
    const int count = count_at(core2, weight2, candidates[j]);
    // Prefer the middle; fall back to the smallest eps whose square reaches c_j.
    double eps = 0.5 * (lo + hi);
    auto inside = [&](double e) {
      const double r2 = e * e;
      return e > 0.0 && r2 >= candidates[j] && (last || r2 < candidates[j + 1]);
    };
    if (!inside(eps)) {
      eps = lo;
      for (int step = 0; step < 4 && !inside(eps); ++step) eps = std::nextafter(eps, INFINITY);
      if (!inside(eps)) continue;  // interval too narrow to hold a double
    }
    intervals.push_back({eps, last ? INFINITY : hi - lo, count});
  }

  std::vector<DbscanTargetResult> results;
  for (int k : ks) {
    const Interval* chosen = nullptr;
    for (const auto& iv : intervals) {
      if (!chosen) {
        chosen = &iv;
        continue;
      }
      const int dc = std::abs(chosen->count - k), di = std::abs(iv.count - k);
      // Closest count; then the larger count; then the widest interval.
      if (di < dc || (di == dc && iv.count > chosen->count) ||
          (di == dc && iv.count == chosen->count && iv.width > chosen->width))
        chosen = &iv;
    }
    DbscanTargetResult r;
    r.k_requested = k;
    if (chosen) {
      r.eps = chosen->eps;
      r.result = detail::labels_from_hierarchy(points, tree, h, r.eps * r.eps, executor);
    } else {  // no candidate radius (single point with min_samples > 1, ...): all noise
      r.eps = 1.0;
      r.result = detail::labels_from_hierarchy(points, tree, h, 1.0, executor);
    }
    r.clusters = r.result.clusters;
    r.exact = r.clusters == k;
    r.noise_fraction = r.result.noise_fraction;
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace cb::cluster
