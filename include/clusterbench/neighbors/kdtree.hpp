#pragma once
// An exact kd-tree over the rows of a matrix for Euclidean radius and
// k-nearest-neighbour queries. Distances are squared Euclidean distances summed
// in coordinate order (the same arithmetic as scikit-learn's KDTree), so a
// threshold compares exactly as theirs does. Immutable after construction;
// queries from several threads at once are safe.
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb::neighbors {

struct KdTreeOptions {
  Index leaf_size = 16;  ///< most points in a leaf; smaller = deeper tree
};

class KdTree {
 public:
  /// Copies the points (in tree order). Throws InputError for empty data or leaf_size < 1.
  explicit KdTree(MatrixView points, const KdTreeOptions& options = {});

  Index size() const { return n_; }
  Index dims() const { return d_; }

  /// Calls visit(id, squared_distance) for every point within squared radius
  /// `radius2` (inclusive) of `query` (a pointer to dims() doubles). Order unspecified.
  template <class Visit>
  void for_each_within(const double* query, double radius2, Visit&& visit) const {
    if (n_ == 0) return;
    Index stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node& node = nodes_[std::size_t(stack[--top])];
      if (box_min_distance2(node, query) > radius2) continue;
      if (node.left < 0) {
        for (Index p = node.begin; p < node.end; ++p) {
          const double s = point_distance2(p, query);
          if (s <= radius2) visit(ids_[std::size_t(p)], s);
        }
      } else {
        stack[top++] = node.right;
        stack[top++] = node.left;
      }
    }
  }

  /// Number of points within squared radius `radius2` (inclusive), counting stops at `cap`.
  Index count_within(const double* query, double radius2, Index cap) const;

  /// Ids of the points within squared radius `radius2` (inclusive), unordered.
  std::vector<Index> within(const double* query, double radius2) const;

  /// Squared distance to the k-th nearest point (k ≥ 1; the query point itself
  /// counts when it is in the tree). Throws InputError unless 1 ≤ k ≤ size().
  double kth_distance2(const double* query, Index k) const;

  /// The k nearest points as (squared distance, id), ascending by distance then id.
  std::vector<std::pair<double, Index>> nearest(const double* query, Index k) const;

  // Low-level access for custom traversals. Nodes are numbered in preorder
  // (root 0, children after their parent); points by position in tree order.
  Index node_count() const { return Index(nodes_.size()); }
  bool is_leaf(Index node) const { return nodes_[std::size_t(node)].left < 0; }
  Index left_child(Index node) const { return nodes_[std::size_t(node)].left; }
  Index right_child(Index node) const { return nodes_[std::size_t(node)].right; }
  Index node_begin(Index node) const { return nodes_[std::size_t(node)].begin; }  ///< first position
  Index node_end(Index node) const { return nodes_[std::size_t(node)].end; }      ///< one past the last position
  /// Smallest possible squared distance from `query` to a point of the node.
  double node_min_distance2(Index node, const double* query) const {
    return box_min_distance2(nodes_[std::size_t(node)], query);
  }
  /// Largest possible squared distance from `query` to a point of the node; when it is
  /// ≤ r², every point of the node is within r (rounding is monotone).
  double node_max_distance2(Index node, const double* query) const {
    return box_max_distance2(nodes_[std::size_t(node)], query);
  }
  Index id_at(Index position) const { return ids_[std::size_t(position)]; }  ///< original row at a position
  /// Squared distance from `query` to the point at a position (same arithmetic as the queries).
  double distance2_at(Index position, const double* query) const { return point_distance2(position, query); }

 private:
  struct Node {
    Index begin, end;  // points [begin, end) in tree order
    Index left = -1, right = -1;
  };
  double point_distance2(Index p, const double* q) const {
    const double* x = data_.data() + p * d_;
    double s = 0.0;
    for (Index j = 0; j < d_; ++j) {
      const double t = q[j] - x[j];
      s += t * t;
    }
    return s;
  }
  double box_min_distance2(const Node& node, const double* q) const;
  double box_max_distance2(const Node& node, const double* q) const;
  Index build(Index begin, Index end, int depth);

  Index n_ = 0, d_ = 0, leaf_size_ = 16;
  std::vector<double> data_;  // n × d, tree order
  std::vector<Index> ids_;    // original row of each tree-order point
  std::vector<Node> nodes_;
  std::vector<double> lo_, hi_;  // bounding box per node, nodes × d
};

}  // namespace cb::neighbors
