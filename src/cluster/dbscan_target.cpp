// DBSCAN for every eps at once. With core distances c (squared distance to the
// min_samples-th nearest point) and mutual reachability m(a,b) = max(c_a, c_b, ‖a−b‖²):
// at squared radius r², core points are {c ≤ r²} and two cores are eps-connected
// iff m ≤ r², so the clusters are the components of the MST edges with m ≤ r²,
// and the count is #{c ≤ r²} − #{MST edges ≤ r²}. Both use the same squared
// distances as dbscan(), so the labels agree exactly.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "dbscan_detail.hpp"

namespace cb::cluster {
namespace {

/// An MST edge candidate; (weight, a, b) with a < b is a total order, so the
/// minimum spanning tree is unique and Borůvka cannot form cycles on ties.
struct EdgeKey {
  double weight = std::numeric_limits<double>::infinity();
  Index a = -1, b = -1;
  bool less(const EdgeKey& o) const {
    if (a < 0) return false;
    if (o.a < 0) return true;
    if (weight != o.weight) return weight < o.weight;
    return a != o.a ? a < o.a : b < o.b;
  }
};

/// Borůvka's algorithm on mutual-reachability distances with kd-tree searches:
/// each round, every point finds its cheapest edge to another component (pruned
/// by box distance, the node's smallest core distance and whole-component nodes),
/// then each component adds its cheapest edge. O(log n) rounds.
std::vector<DbscanHierarchy::Edge> mutual_reachability_mst(MatrixView points, const neighbors::KdTree& tree,
                                                           const std::vector<double>& core2, const Executor& executor) {
  const Index n = points.rows(), nodes = tree.node_count();
  std::vector<double> node_core(static_cast<std::size_t>(nodes));
  for (Index v = nodes - 1; v >= 0; --v) {  // children come after parents in preorder
    if (tree.is_leaf(v)) {
      double m = std::numeric_limits<double>::infinity();
      for (Index p = tree.node_begin(v); p < tree.node_end(v); ++p) m = std::min(m, core2[std::size_t(tree.id_at(p))]);
      node_core[std::size_t(v)] = m;
    } else {
      node_core[std::size_t(v)] =
          std::min(node_core[std::size_t(tree.left_child(v))], node_core[std::size_t(tree.right_child(v))]);
    }
  }
  detail::PointForest forest(n);
  std::vector<Index> comp(static_cast<std::size_t>(n)), node_comp(static_cast<std::size_t>(nodes));
  std::vector<EdgeKey> best(static_cast<std::size_t>(n)), comp_best(static_cast<std::size_t>(n));
  std::vector<std::atomic<double>> comp_bound(static_cast<std::size_t>(n));
  std::vector<DbscanHierarchy::Edge> edges;
  edges.reserve(std::size_t(n - 1));
  Index components = n;
  while (components > 1) {
    for (Index i = 0; i < n; ++i) comp[std::size_t(i)] = forest.find(i);
    for (Index v = nodes - 1; v >= 0; --v) {  // -1 = node spans several components
      if (tree.is_leaf(v)) {
        Index c = comp[std::size_t(tree.id_at(tree.node_begin(v)))];
        for (Index p = tree.node_begin(v) + 1; p < tree.node_end(v) && c >= 0; ++p)
          if (comp[std::size_t(tree.id_at(p))] != c) c = -1;
        node_comp[std::size_t(v)] = c;
      } else {
        const Index l = node_comp[std::size_t(tree.left_child(v))], r = node_comp[std::size_t(tree.right_child(v))];
        node_comp[std::size_t(v)] = l == r ? l : -1;
      }
    }
    // The cheapest edge found so far by any point of a component bounds the search
    // of all its points. Pruning is strict (>), so the component's minimum edge is
    // never pruned and the result does not depend on thread timing.
    for (auto& bound : comp_bound) bound.store(std::numeric_limits<double>::infinity(), std::memory_order_relaxed);
    executor.parallel_for(std::size_t(n), 256, [&](Range range) {
      Index stack[128];
      for (std::size_t position = range.begin; position < range.end; ++position) {  // tree order: locality
        const Index i = tree.id_at(Index(position));
        const std::size_t qi = std::size_t(i);
        const double* q = points.row(i).data();
        const double cq = core2[qi];
        const Index ci = comp[qi];
        std::atomic<double>& shared = comp_bound[std::size_t(ci)];
        EdgeKey b;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
          const Index v = stack[--top];
          if (node_comp[std::size_t(v)] == ci) continue;
          const double bound = std::max({cq, node_core[std::size_t(v)], tree.node_min_distance2(v, q)});
          if ((b.a >= 0 && bound > b.weight) || bound > shared.load(std::memory_order_relaxed)) continue;
          if (tree.is_leaf(v)) {
            for (Index p = tree.node_begin(v); p < tree.node_end(v); ++p) {
              const Index j = tree.id_at(p);
              if (comp[std::size_t(j)] == ci) continue;
              const EdgeKey key{std::max({cq, core2[std::size_t(j)], tree.distance2_at(p, q)}), std::min(i, j),
                                std::max(i, j)};
              if (key.less(b)) b = key;
            }
          } else {  // nearer child on top
            const Index l = tree.left_child(v), r = tree.right_child(v);
            const bool left_first = tree.node_min_distance2(l, q) <= tree.node_min_distance2(r, q);
            stack[top++] = left_first ? r : l;
            stack[top++] = left_first ? l : r;
          }
        }
        best[qi] = b;
        if (b.a >= 0) {
          double current = shared.load(std::memory_order_relaxed);
          while (b.weight < current && !shared.compare_exchange_weak(current, b.weight, std::memory_order_relaxed)) {
          }
        }
      }
    });
    std::fill(comp_best.begin(), comp_best.end(), EdgeKey{});
    for (Index i = 0; i < n; ++i) {
      EdgeKey& cb = comp_best[std::size_t(comp[std::size_t(i)])];
      if (best[std::size_t(i)].less(cb)) cb = best[std::size_t(i)];
    }
    Index added = 0;
    for (Index c = 0; c < n; ++c) {
      const EdgeKey& e = comp_best[std::size_t(c)];
      if (e.a < 0 || forest.find(e.a) == forest.find(e.b)) continue;
      forest.unite(e.a, e.b);
      edges.push_back({e.a, e.b, e.weight});
      ++added;
    }
    components -= added;
    if (added == 0) break;  // cannot happen for n > 1; guards against an endless loop
  }
  std::sort(edges.begin(), edges.end(), [](const DbscanHierarchy::Edge& x, const DbscanHierarchy::Edge& y) {
    return x.weight2 != y.weight2 ? x.weight2 < y.weight2 : (x.a != y.a ? x.a < y.a : x.b < y.b);
  });
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
  if (n > 1) h.mst = mutual_reachability_mst(points, tree, h.core_distance2, executor);
  return h;
}

int count_at(const std::vector<double>& sorted_core2, const std::vector<double>& sorted_weight2, double r2) {
  const auto cores = std::upper_bound(sorted_core2.begin(), sorted_core2.end(), r2) - sorted_core2.begin();
  const auto edges = std::upper_bound(sorted_weight2.begin(), sorted_weight2.end(), r2) - sorted_weight2.begin();
  return int(cores - edges);
}

}  // namespace

namespace detail {

DbscanResult labels_from_hierarchy(MatrixView points, const neighbors::KdTree& tree, const DbscanHierarchy& hierarchy,
                                   double radius2, const Executor& executor) {
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
  if (options.min_samples < 1)
    throw InputError("DBSCAN min_samples must be at least 1, got " + std::to_string(options.min_samples));
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
  if (options.min_samples < 1)
    throw InputError("DBSCAN min_samples must be at least 1, got " + std::to_string(options.min_samples));
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
    double eps;      // a radius inside the interval whose square falls in it
    double width;    // interval width in eps
    int count;       // clusters
    Index non_core;  // points that are not core (an upper bound on noise)
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
    const auto cores = std::upper_bound(core2.begin(), core2.end(), candidates[j]) - core2.begin();
    intervals.push_back({eps, last ? INFINITY : hi - lo, count, points.rows() - Index(cores)});
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
      // Closest count; then the larger count; then the fewest non-core points
      // (the largest eps, least noise); then the widest interval.
      const bool same_count = di == dc && iv.count == chosen->count;
      if (di < dc || (di == dc && iv.count > chosen->count) || (same_count && iv.non_core < chosen->non_core) ||
          (same_count && iv.non_core == chosen->non_core && iv.width > chosen->width))
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
