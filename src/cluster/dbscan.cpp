// Plain DBSCAN: core flags by capped radius counts, core components by a
// union-find fed one chunk of neighbourhoods at a time, then labelling.
// Components are a set partition, so the union order (and thus thread timing)
// cannot change the result.
#include "clusterbench/cluster/dbscan.hpp"

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
  result.clusters = next;
  for (Label l : result.labels) result.noise_points += l == kNoise;
  result.noise_fraction = double(result.noise_points) / double(n);
  result.status = next >= 2 ? DbscanStatus::ok : (next == 1 ? DbscanStatus::one_cluster : DbscanStatus::all_noise);
  result.core = std::move(core);
  return result;
}

}  // namespace detail

DbscanResult dbscan(MatrixView points, const DbscanOptions& options, const Executor& executor) {
  check_input(points, options.min_samples);
  if (!(options.eps > 0.0) || !std::isfinite(options.eps))
    throw InputError("DBSCAN eps must be positive and finite, got " + std::to_string(options.eps));
  const Index n = points.rows();
  const double radius2 = options.eps * options.eps;
  const neighbors::KdTree tree(points, {options.leaf_size});

  std::vector<std::uint8_t> core(std::size_t(n), 0);
  executor.parallel_for(std::size_t(n), kGrain, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i)
      core[i] = tree.count_within(points.row(Index(i)).data(), radius2, options.min_samples) >= options.min_samples;
  });

  // Core–core edges (j < i) of one chunk at a time, merged under a lock.
  detail::PointForest components(n);
  std::mutex forest_mutex;
  executor.parallel_for(std::size_t(n), kGrain, [&](Range r) {
    std::vector<std::pair<Index, Index>> edges;
    auto flush = [&] {
      const std::lock_guard<std::mutex> lock(forest_mutex);
      for (const auto& [a, b] : edges) components.unite(a, b);
      edges.clear();
    };
    for (std::size_t i = r.begin; i < r.end; ++i) {
      if (!core[i]) continue;
      tree.for_each_within(points.row(Index(i)).data(), radius2, [&](Index j, double) {
        if (Index(i) > j && core[std::size_t(j)]) edges.emplace_back(Index(i), j);
      });
      if (edges.size() >= kEdgeBuffer) flush();  // bounded memory even for huge neighbourhoods
    }
    flush();
  });
  return detail::finish_labels(points, tree, std::move(core), components, radius2, executor);
}

std::string_view dbscan_status_name(DbscanStatus status) {
  switch (status) {
    case DbscanStatus::ok: return "ok";
    case DbscanStatus::one_cluster: return "one_cluster";
    case DbscanStatus::all_noise: return "all_noise";
  }
  return "?";
}

}  // namespace cb::cluster
