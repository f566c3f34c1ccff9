// Ward linkage in O(n·d) memory: nearest-neighbour chain on cluster centroids.
// The Ward distance between clusters A and B is sqrt(2·|A||B|/(|A|+|B|))·‖cA−cB‖,
// exactly what the Lance–Williams recurrence produces, so no matrix is needed.
// Active clusters are kept compact (swap-remove) so scans read contiguous rows.
#include <cmath>

#include "hierarchical_detail.hpp"

namespace cb::cluster::detail {
namespace {
constexpr std::size_t kGrain = 4096;
}

std::vector<RawMerge> nn_chain_ward_centroids(MatrixView points, const Executor& executor) {
  const Index n = points.rows();
  const Index d = points.cols();
  Matrix centroid = points;               // compact: row p holds the cluster at position p
  std::vector<double> count(n, 1.0);      // by position
  std::vector<Index> slot_at(n), pos_of(n);
  for (Index i = 0; i < n; ++i) slot_at[i] = pos_of[i] = i;
  Index m = n;  // active clusters

  // |A||B|/(|A|+|B|)·‖cA−cB‖² : half the squared Ward distance.
  auto cost = [&](Index pa, Index pb) {
    const double na = count[pa], nb = count[pb];
    return na * nb / (na + nb) * squared_distance(&centroid(pa, 0), &centroid(pb, 0), d);
  };

  std::vector<Index> chain;
  chain.reserve(n);
  std::vector<RawMerge> merges;
  merges.reserve(n - 1);
  while (m > 1) {
    if (chain.empty()) chain.push_back(slot_at[0]);
    Index x = 0, y = 0;
    double current = 0.0;
    for (;;) {
      x = chain.back();
      const Index px = pos_of[x];
      const Candidate best = parallel_argmin(executor, std::size_t(m), kGrain, [&](std::size_t b, std::size_t e) {
        Candidate c;
        for (std::size_t p = b; p < e; ++p) {
          if (Index(p) == px) continue;
          const Candidate here{cost(px, Index(p)), slot_at[p]};
          if (here.beats(c)) c = here;
        }
        return c;
      });
      y = best.id;
      current = best.value;
      if (chain.size() > 1) {
        const Index prev = chain[chain.size() - 2];
        const double to_prev = cost(px, pos_of[prev]);
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
    const Index px = pos_of[x], py = pos_of[y];
    const double nx = count[px], ny = count[py];
    for (Index j = 0; j < d; ++j) centroid(py, j) = (nx * centroid(px, j) + ny * centroid(py, j)) / (nx + ny);
    count[py] = nx + ny;
    const Index last = m - 1;
    if (px != last) {
      centroid.row(px) = centroid.row(last);
      count[px] = count[last];
      slot_at[px] = slot_at[last];
      pos_of[slot_at[px]] = px;
    }
    --m;
  }
  return merges;
}

}  // namespace cb::cluster::detail
