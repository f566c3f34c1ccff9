// Ward linkage in O(n·d) memory: nearest-neighbour chain on cluster centroids.
// The Ward distance between clusters A and B is sqrt(2·|A||B|/(|A|+|B|))·‖cA−cB‖,
// exactly what the Lance–Williams recurrence produces, so no matrix is needed.
// Initial sizes may be weights (a point standing for several coincident
// points, e.g. a micro-cluster): the recurrence is the same from there on.
// Active clusters are kept compact (swap-remove) and stored coordinate by
// coordinate, so the nearest-neighbour scan (the whole cost) runs over
// contiguous arrays and vectorises across clusters.
#include <cmath>

#include "hierarchical_detail.hpp"

namespace cb::cluster::detail {
namespace {

constexpr std::size_t kGrain = 4096;

struct Centroids {
  Index n = 0, d = 0;
  std::vector<double> coord;  // coord[j * n + p]: coordinate j of the cluster at position p
  std::vector<double> count;  // points per position

  /// cost[p − b] = |A||P|/(|A|+|P|)·‖cA−cP‖² (half the squared Ward distance) for p in [b, e).
  void costs(Index pa, Index b, Index e, double* cost) const {
    const Index m = e - b;
    for (Index p = 0; p < m; ++p) cost[p] = 0.0;
    for (Index j = 0; j < d; ++j) {
      const double* c = coord.data() + j * n + b;
      const double a = coord[std::size_t(j * n + pa)];
      for (Index p = 0; p < m; ++p) {
        const double t = c[p] - a;
        cost[p] += t * t;
      }
    }
    const double na = count[std::size_t(pa)];
    const double* nb = count.data() + b;
    for (Index p = 0; p < m; ++p) cost[p] *= na * nb[p] / (na + nb[p]);
  }
};

}  // namespace

std::vector<RawMerge> nn_chain_ward_centroids(MatrixView points, std::span<const double> weights,
                                              const Executor& executor) {
  const Index n = points.rows();
  const Index d = points.cols();
  Centroids cs;
  cs.n = n;
  cs.d = d;
  cs.coord.resize(std::size_t(n * d));
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) cs.coord[std::size_t(j * n + i)] = points(i, j);
  if (weights.empty()) cs.count.assign(std::size_t(n), 1.0);
  else cs.count.assign(weights.begin(), weights.end());
  std::vector<Index> slot_at(static_cast<std::size_t>(n)), pos_of(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) slot_at[std::size_t(i)] = pos_of[std::size_t(i)] = i;
  Index m = n;  // active clusters

  std::vector<Index> chain;
  chain.reserve(std::size_t(n));
  std::vector<RawMerge> merges;
  merges.reserve(std::size_t(n - 1));
  while (m > 1) {
    if (chain.empty()) chain.push_back(slot_at[0]);
    Index x = 0, y = 0;
    double current = 0.0;
    for (;;) {
      x = chain.back();
      const Index px = pos_of[std::size_t(x)];
      const Candidate best = parallel_argmin(executor, std::size_t(m), kGrain, [&](std::size_t b, std::size_t e) {
        thread_local std::vector<double> cost;
        cost.resize(e - b);
        cs.costs(px, Index(b), Index(e), cost.data());
        Candidate c;
        for (std::size_t p = b; p < e; ++p) {
          if (Index(p) == px) continue;
          const Candidate here{cost[p - b], slot_at[p]};
          if (here.beats(c)) c = here;
        }
        return c;
      });
      y = best.id;
      current = best.value;
      if (chain.size() > 1) {
        const Index prev = chain[chain.size() - 2];
        const Index pp = pos_of[std::size_t(prev)];
        double to_prev = 0.0;
        cs.costs(px, pp, pp + 1, &to_prev);  // same arithmetic as the scan
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

    // Merged cluster lives in y's position; x's position is filled by the last.
    const Index px = pos_of[std::size_t(x)], py = pos_of[std::size_t(y)];
    const double nx = cs.count[std::size_t(px)], ny = cs.count[std::size_t(py)];
    for (Index j = 0; j < d; ++j) {
      double* c = cs.coord.data() + j * n;
      c[py] = (nx * c[px] + ny * c[py]) / (nx + ny);
    }
    cs.count[std::size_t(py)] = nx + ny;
    const Index last = m - 1;
    if (px != last) {
      for (Index j = 0; j < d; ++j) cs.coord[std::size_t(j * n + px)] = cs.coord[std::size_t(j * n + last)];
      cs.count[std::size_t(px)] = cs.count[std::size_t(last)];
      slot_at[std::size_t(px)] = slot_at[std::size_t(last)];
      pos_of[std::size_t(slot_at[std::size_t(px)])] = px;
    }
    --m;
  }
  return merges;
}

}  // namespace cb::cluster::detail
