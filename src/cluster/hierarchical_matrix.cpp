// Nearest-neighbour chain on a condensed distance matrix with Lance–Williams
// updates (ward, complete, average). Same chain rules as SciPy's nn_chain:
// follow nearest neighbours until two are mutual, prefer the previous chain
// element on ties, store the merged cluster in the larger slot.
#include <algorithm>
#include <cmath>

#include "hierarchical_detail.hpp"

namespace cb::cluster::detail {
namespace {

constexpr std::size_t kGrain = 8192;

inline std::size_t condensed_index(std::size_t n, std::size_t i, std::size_t j) {
  if (i > j) std::swap(i, j);
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

}  // namespace

std::vector<RawMerge> nn_chain_distance_matrix(MatrixView points, bool ward, bool complete, const Executor& executor) {
  const auto n = static_cast<std::size_t>(points.rows());
  const Index d = points.cols();
  std::vector<double> dist(n * (n - 1) / 2);
  executor.parallel_for(n, 64, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      double* row = dist.data() + condensed_index(n, i, i + 1);
      for (std::size_t j = i + 1; j < n; ++j)
        row[j - i - 1] = std::sqrt(squared_distance(points.row(Index(i)).data(), points.row(Index(j)).data(), d));
    }
  });

  std::vector<double> size(n, 1.0);
  std::vector<std::size_t> active(n);  // active cluster slots, increasing
  for (std::size_t i = 0; i < n; ++i) active[i] = i;
  std::vector<std::size_t> chain;
  chain.reserve(n);
  std::vector<RawMerge> merges;
  merges.reserve(n - 1);

  while (merges.size() + 1 < n) {
    if (chain.empty()) chain.push_back(active.front());
    std::size_t x = 0, y = 0;
    double current = 0.0;
    for (;;) {
      x = chain.back();
      const Candidate best = parallel_argmin(executor, active.size(), kGrain, [&](std::size_t b, std::size_t e) {
        Candidate c;
        for (std::size_t p = b; p < e; ++p) {  // column part (i < x): strided
          const std::size_t i = active[p];
          if (i >= x) break;
          const double v = dist[n * i - (i * (i + 1)) / 2 + (x - i - 1)];
          if (v < c.value) c = {v, Index(i)};
        }
        const std::size_t row = n * x - (x * (x + 1)) / 2 - x - 1;  // dist[row + i] = D(x, i) for i > x (mod 2^64)
        for (std::size_t p = b; p < e; ++p) {                       // row part (i > x): contiguous
          const std::size_t i = active[p];
          if (i <= x) continue;
          const double v = dist[row + i];
          if (v < c.value) c = {v, Index(i)};
        }
        return c;
      });
      y = static_cast<std::size_t>(best.id);
      current = best.value;
      if (chain.size() > 1) {
        const std::size_t prev = chain[chain.size() - 2];
        const double to_prev = dist[condensed_index(n, x, prev)];
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
    const double nx = size[x], ny = size[y];
    merges.push_back({Index(x), Index(y), current});
    size[x] = 0.0;
    size[y] = nx + ny;
    active.erase(std::lower_bound(active.begin(), active.end(), x));

    executor.parallel_for(active.size(), kGrain, [&](Range r) {
      for (std::size_t p = r.begin; p < r.end; ++p) {
        const std::size_t i = active[p];
        if (i == y) continue;
        const double dxi = dist[condensed_index(n, x, i)];
        double& dyi = dist[condensed_index(n, y, i)];
        if (ward) {
          const double ni = size[i];
          const double t = 1.0 / (nx + ny + ni);
          dyi = std::sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * current * current);
        } else if (complete) {
          dyi = std::max(dxi, dyi);
        } else {
          dyi = (nx * dxi + ny * dyi) / (nx + ny);
        }
      }
    });
  }
  return merges;
}

}  // namespace cb::cluster::detail
