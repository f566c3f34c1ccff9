#pragma once
// Internal pieces shared by the hierarchical clustering methods: the raw merge
// record each method produces, a deterministic parallel arg-min, and the final
// sort-and-relabel into SciPy's Z layout.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster::detail {

/// A merge of clusters `a` and `b` (method-specific slot ids) at `height`.
struct RawMerge {
  Index a;
  Index b;
  double height;
};

/// Best candidate of a search: smallest value, ties broken by the smallest id,
/// so the winner does not depend on scan order or chunking.
struct Candidate {
  double value = std::numeric_limits<double>::infinity();
  Index id = std::numeric_limits<Index>::max();
  bool beats(const Candidate& other) const { return value < other.value || (value == other.value && id < other.id); }
};

/// Arg-min over positions [0, m): eval(begin, end) returns the best candidate of
/// a range. Fixed chunks merged in order, so the result is thread-count free.
template <class Eval>
Candidate parallel_argmin(const Executor& executor, std::size_t m, std::size_t grain, Eval&& eval) {
  if (m <= grain) return eval(std::size_t{0}, m);
  return executor.reduce(
      m, grain, Candidate{}, [&](Range r) { return eval(r.begin, r.end); },
      [](Candidate& acc, const Candidate& c) {
        if (c.beats(acc)) acc = c;
      });
}

/// Squared Euclidean distance, summed in coordinate order.
inline double squared_distance(const double* a, const double* b, Index d) {
  double s = 0.0;
  for (Index j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

std::vector<RawMerge> nn_chain_distance_matrix(MatrixView points, bool ward, bool complete, const Executor& executor);
/// `weights`: initial cluster sizes, one per point; empty means all 1. `max_tree_dims`: above it the
/// nearest-neighbour search scans every cluster (0: always; the same merges either way).
std::vector<RawMerge> nn_chain_ward_centroids(MatrixView points, std::span<const double> weights,
                                              const Executor& executor, Index max_tree_dims = kWardTreeMaxDims);
std::vector<RawMerge> prim_single_linkage(MatrixView points, const Executor& executor);

/// Stable sort of the merges by height, then ids rewritten to SciPy's
/// convention (cluster formed by row j is n+j; smaller id first) with sizes
/// (sums of `weights`, one per leaf; empty means all 1).
Matrix sort_and_label(std::vector<RawMerge> merges, Index n, std::span<const double> weights = {});

/// Micro-cluster summary of points: K-Means centroids recomputed as the exact
/// means of their members, empty ones dropped.
struct MicroClusters {
  Matrix centroids;                  ///< L × d, means of the members
  std::vector<double> sizes;         ///< members per micro-cluster (all > 0)
  std::vector<Index> point_to_leaf;  ///< micro-cluster of each point
  double inertia = 0.0;              ///< Σ squared distance of a point to its micro-cluster's mean
};
MicroClusters summarise_micro_clusters(MatrixView points, Index count, std::uint64_t seed, const Executor& executor);

}  // namespace cb::cluster::detail
