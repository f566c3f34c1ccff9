// Plain DBSCAN: on a cell grid in 1 to 3 dimensions (dbscan_grid.cpp), else on
// a kd-tree: core flags by capped radius counts, core components by a
// union-find fed one chunk of neighbourhoods at a time, then labelling.
// Components are a set partition, so the union order (and thus thread timing)
// cannot change the result.
#include "clusterbench/cluster/dbscan.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>

#include "clusterbench/core/error.hpp"
#include "dbscan_detail.hpp"

namespace cb::cluster {
namespace {

constexpr std::size_t kGrain = 256;
constexpr std::size_t kEdgeBuffer = 1 << 16;

void check_input(MatrixView points, int min_samples) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("DBSCAN needs at least one point and one column");
  if (min_samples < 1) throw InputError("DBSCAN min_samples must be at least 1, got " + std::to_string(min_samples));
}

}  // namespace

namespace detail {

DbscanResult finish_labels(MatrixView points, const neighbors::KdTree& tree, std::vector<std::uint8_t> core,
                           PointForest& components, double radius2, const Executor& executor) {
  const Index n = points.rows();
  DbscanResult result;
  result.labels.assign(std::size_t(n), kNoise);
  std::vector<Label> label_of_root(std::size_t(n), kNoise);
  Label next = 0;
  for (Index i = 0; i < n; ++i) {
    if (!core[std::size_t(i)]) continue;
    Label& l = label_of_root[std::size_t(components.find(i))];
    if (l == kNoise) l = next++;
    result.labels[std::size_t(i)] = l;
  }
  executor.parallel_for(std::size_t(n), kGrain, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      if (core[i]) continue;
      Label best = kNoise;
      tree.for_each_within(points.row(Index(i)).data(), radius2, [&](Index j, double) {
        if (!core[std::size_t(j)]) return;
        const Label l = result.labels[std::size_t(j)];
        if (best == kNoise || l < best) best = l;
      });
      result.labels[i] = best;
    }
  });
  result.core = std::move(core);
  summarise(result, next);
  return result;
}

void summarise(DbscanResult& result, int clusters) {
  result.clusters = clusters;
  result.noise_points = Index(std::count(result.labels.begin(), result.labels.end(), kNoise));
  result.noise_fraction = double(result.noise_points) / double(result.labels.size());
  result.status =
      clusters >= 2 ? DbscanStatus::ok : (clusters == 1 ? DbscanStatus::one_cluster : DbscanStatus::all_noise);
}

}  // namespace detail

DbscanResult dbscan(MatrixView points, const DbscanOptions& options, const Executor& executor) {
  check_input(points, options.min_samples);
  if (!(options.eps > 0.0) || !std::isfinite(options.eps))
    throw InputError("DBSCAN eps must be positive and finite, got " + std::to_string(options.eps));
  if (options.index == DbscanIndex::automatic)
    if (auto on_grid = detail::dbscan_on_grid(points, options.eps, options.min_samples, executor))
      return *std::move(on_grid);
  const Index n = points.rows();
  const double radius2 = options.eps * options.eps;
  const neighbors::KdTree tree(points, {options.leaf_size});

  std::vector<std::uint8_t> core(std::size_t(n), 0);
  executor.parallel_for(std::size_t(n), kGrain, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i)
      core[i] = tree.count_within(points.row(Index(i)).data(), radius2, options.min_samples) >= options.min_samples;
  });

  // Core–core edges to earlier tree positions, one chunk of positions at a time,
  // merged under a lock. Positions are contiguous per node, so nodes wholly after
  // the query are skipped (half the pairs), and nodes wholly inside the radius
  // need no distance computations.
  std::vector<std::uint8_t> core_at(static_cast<std::size_t>(n));
  for (Index p = 0; p < n; ++p) core_at[std::size_t(p)] = core[std::size_t(tree.id_at(p))];
  detail::PointForest by_position(n);
  std::mutex forest_mutex;
  executor.parallel_for(std::size_t(n), kGrain, [&](Range r) {
    std::vector<std::pair<Index, Index>> edges;
    auto flush = [&] {
      const std::lock_guard<std::mutex> lock(forest_mutex);
      for (const auto& [a, b] : edges) by_position.unite(a, b);
      edges.clear();
    };
    Index stack[128];
    for (std::size_t qp = r.begin; qp < r.end; ++qp) {
      if (!core_at[qp]) continue;
      const Index pos = Index(qp);
      const double* q = points.row(tree.id_at(pos)).data();
      int top = 0;
      stack[top++] = 0;
      while (top > 0) {
        const Index v = stack[--top];
        if (tree.node_begin(v) >= pos || tree.node_min_distance2(v, q) > radius2) continue;
        const Index end = std::min(tree.node_end(v), pos);
        if (tree.node_max_distance2(v, q) <= radius2) {
          for (Index p = tree.node_begin(v); p < end; ++p)
            if (core_at[std::size_t(p)]) edges.emplace_back(pos, p);
        } else if (tree.is_leaf(v)) {
          for (Index p = tree.node_begin(v); p < end; ++p)
            if (core_at[std::size_t(p)] && tree.distance2_at(p, q) <= radius2) edges.emplace_back(pos, p);
        } else {
          stack[top++] = tree.right_child(v);
          stack[top++] = tree.left_child(v);
        }
      }
      if (edges.size() >= kEdgeBuffer) flush();  // bounded memory even for huge neighbourhoods
    }
    flush();
  });
  detail::PointForest components(n);  // by point id
  for (Index p = 0; p < n; ++p) {
    const Index root = by_position.find(p);
    if (root != p) components.unite(tree.id_at(p), tree.id_at(root));
  }
  return detail::finish_labels(points, tree, std::move(core), components, radius2, executor);
}

}  // namespace cb::cluster
