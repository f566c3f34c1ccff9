#pragma once
// Internal pieces shared by plain DBSCAN and the target-k mode: a union-find
// over points and the final labelling (components numbered by their first core
// point, border points to the lowest-numbered cluster within eps).
#include <cstdint>
#include <numeric>
#include <optional>
#include <vector>

#include "clusterbench/cluster/dbscan.hpp"
#include "clusterbench/neighbors/kdtree.hpp"

namespace cb::cluster::detail {

class PointForest {
 public:
  explicit PointForest(Index n) : parent_(std::size_t(n)) { std::iota(parent_.begin(), parent_.end(), Index{0}); }
  Index find(Index x) {
    while (parent_[std::size_t(x)] != x) {
      parent_[std::size_t(x)] = parent_[std::size_t(parent_[std::size_t(x)])];
      x = parent_[std::size_t(x)];
    }
    return x;
  }
  void unite(Index a, Index b) {
    a = find(a), b = find(b);
    if (a == b) return;
    if (a < b) std::swap(a, b);
    parent_[std::size_t(a)] = b;  // the smaller id becomes the root
  }

 private:
  std::vector<Index> parent_;
};

/// Fills clusters, noise_points, noise_fraction and status from labels.
void summarise(DbscanResult& result, int clusters);

/// DBSCAN on a cell grid (1 to 3 dimensions); nothing when the grid cannot be
/// laid over the data (see neighbors::CellGrid::fits) or eps² is near underflow.
std::optional<DbscanResult> dbscan_on_grid(MatrixView points, double eps, int min_samples, const Executor& executor);

/// Labels from core flags and core components (forest over core points), with
/// border points found by radius queries. Fills every field of the result.
DbscanResult finish_labels(MatrixView points, const neighbors::KdTree& tree, std::vector<std::uint8_t> core,
                           PointForest& components, double radius2, const Executor& executor);

/// The DBSCAN clustering at squared radius r2 from a hierarchy and its tree.
DbscanResult labels_from_hierarchy(MatrixView points, const neighbors::KdTree& tree, const DbscanHierarchy& hierarchy,
                                   double radius2, const Executor& executor);

}  // namespace cb::cluster::detail
