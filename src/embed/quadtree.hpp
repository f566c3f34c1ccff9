#pragma once
// Internal: a 2-D quadtree for Barnes–Hut repulsion, stored in depth-first
// order so a subtree is a contiguous range [node, node.skip): traversal needs
// no stack — descend to node+1, or jump over the subtree to node.skip.
#include <cstdint>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::embed::detail {

/// 32 bytes, so traversals touch few cache lines; a leaf is a node whose subtree is itself (skip = index + 1).
struct QuadNode {
  double com_x, com_y;  ///< centre of mass
  double width2;        ///< squared side of the node's square
  std::int32_t count;   ///< points below
  std::int32_t skip;    ///< index of the next node after this subtree
};

class QuadTree {
 public:
  /// Builds over the rows of y (n × 2) from the points' Morton codes (see quadtree.cpp);
  /// the result is identical at any thread count.
  QuadTree(const Matrix& y, const Executor& executor);

  /// Repulsion on point i: returns Σ N·q and adds Σ N·q²·(y_i - com) into (fx, fy),
  /// q = 1 / (1 + d²), over cells summarised at opening angle theta (the point itself excluded).
  double repulsion(const Matrix& y, Index i, double theta, double& fx, double& fy) const;

  /// The same sums for every point, writing rep(i, ·) and returning Σ_i Σ N·q. Points are taken a
  /// group (a subtree of at most kGroupSize points) at a time: one walk per group collects the cells
  /// that are far enough from the group's bounding box (so from each of its points) and the leaves
  /// that are not, then every point of the group sums over that list in SIMD lanes. At least as exact
  /// as the per-point walk; sums are per point in list order, merged in group order.
  double repulsion_all(const Matrix& y, double theta, Matrix& rep, const Executor& executor) const;
  static constexpr std::int32_t kGroupSize = 64;

  /// Point indices grouped by leaf, in depth-first order: neighbouring points in
  /// this order traverse mostly the same nodes, so visiting points in it keeps them in cache.
  const std::vector<std::int32_t>& order() const { return order_; }

 private:
  struct Group {
    std::int32_t node;        // root of the group's subtree
    std::int32_t begin, end;  // its points: order_[begin, end)
  };
  void find_groups();

  std::vector<QuadNode> nodes_;
  std::vector<std::int32_t> order_;  // point indices, grouped by leaf
  std::vector<Group> groups_;        // in depth-first order
};

}  // namespace cb::embed::detail
