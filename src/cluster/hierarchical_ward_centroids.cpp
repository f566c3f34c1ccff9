// Ward linkage in O(n·d) memory: nearest-neighbour chain on cluster centroids.
// The Ward distance between clusters A and B is sqrt(2·|A||B|/(|A|+|B|))·‖cA−cB‖,
// exactly what the Lance–Williams recurrence produces, so no matrix is needed.
// Initial sizes may be weights (a point standing for several coincident
// points, e.g. a micro-cluster): the recurrence is the same from there on.
// The chain's nearest-neighbour queries (the whole cost) go to a
// WardCentroidIndex: a kd-tree of the centroids in low dimensions, a parallel
// scan of contiguous arrays otherwise; both give the exact arg-min.
#include <algorithm>
#include <cmath>

#include "hierarchical_detail.hpp"
#include "ward_centroid_index.hpp"

namespace cb::cluster::detail {

std::vector<RawMerge> nn_chain_ward_centroids(MatrixView points, std::span<const double> weights,
                                              const Executor& executor, Index max_tree_dims) {
  const Index n = points.rows();
  WardCentroidIndex clusters(points, weights, max_tree_dims);
  std::vector<Index> chain;
  chain.reserve(std::size_t(n));
  std::vector<RawMerge> merges;
  merges.reserve(std::size_t(std::max<Index>(n - 1, 0)));
  while (clusters.active() > 1) {
    if (chain.empty()) chain.push_back(clusters.first_active_slot());
    Index x = 0, y = 0;
    double current = 0.0;
    for (;;) {
      x = chain.back();
      const Candidate best = clusters.nearest(x, executor);
      y = best.id;
      current = best.value;
      if (chain.size() > 1) {
        const Index prev = chain[chain.size() - 2];
        const double to_prev = clusters.cost(x, prev);
        if (to_prev <= current) {
          y = prev;
          current = to_prev;
          break;
        }
      }
      chain.push_back(y);
    }
    chain.resize(chain.size() - 2);
    if (x > y) std::swap(x, y);
    merges.push_back({x, y, std::sqrt(2.0 * current)});
    clusters.merge(x, y);
  }
  return merges;
}

}  // namespace cb::cluster::detail
