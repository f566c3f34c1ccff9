#pragma once
// The active clusters of Ward's centroid chain and the nearest-neighbour search
// over them (internal to hierarchical clustering). In low dimensions the
// clusters sit in a kd-tree whose boxes only grow (a merged centroid widens its
// leaf's ancestors) and whose lower bound on a Ward cost uses each node's
// smallest cluster size, so a query visits a few leaves instead of every
// cluster. In high dimensions the whole set is one leaf, scanned in parallel.
// Either way the answer is the exact arg-min (ties: the smallest slot), computed
// with the same arithmetic, so the tree changes no merge.
#include <span>
#include <vector>

#include "hierarchical_detail.hpp"

namespace cb::cluster::detail {

class WardCentroidIndex {
 public:
  /// Slot i is point i with initial size weights[i] (all 1 when empty); `max_tree_dims`:
  /// above this many dimensions, one flat leaf.
  WardCentroidIndex(MatrixView points, std::span<const double> weights, Index max_tree_dims);

  Index active() const { return active_; }
  /// The active cluster with the smallest slot: where a new chain starts.
  Index first_active_slot();
  /// The active cluster nearest to `slot` by half the squared Ward distance, other than itself.
  Candidate nearest(Index slot, const Executor& executor) const;
  /// |A||B|/(|A|+|B|)·‖cA−cB‖²: half the squared Ward distance, as `nearest` computes it.
  double cost(Index a, Index b) const;
  /// Merges slot x's cluster into slot y's (y keeps the merged cluster).
  void merge(Index x, Index y);

 private:
  struct Node {
    Index begin = 0, end = 0;     // positions [begin, end)
    Index left = -1, right = -1;  // children; -1 for a leaf
    Index parent = -1;
    Index active = 0;      // active clusters below
    double min_count = 0;  // no cluster below is smaller (sizes only grow)
  };

  void rebuild();
  Index build(std::vector<Index>& order, Index begin, Index end, Index parent);
  double box_lower_bound(Index node, const double* at) const;
  void costs(Index pa, Index b, Index e, double* out) const;
  Candidate scan_leaf(Index pa, Index b, Index e, const Executor& executor) const;

  Index n_ = 0, d_ = 0, leaf_size_ = 0;
  Index built_ = 0;   // positions in use by the current layout
  Index active_ = 0;  // active clusters
  Index first_slot_ = 0;
  std::vector<double> coord_;  // coord_[j * n_ + p]: coordinate j of the cluster at position p
  std::vector<double> count_;
  std::vector<char> is_active_;
  std::vector<Index> slot_at_, pos_of_, leaf_of_;  // pos_of_: −1 once a slot is merged away
  std::vector<Node> nodes_;
  std::vector<double> lo_, hi_;  // box of node t: lo_[t * d_ + j], hi_[t * d_ + j]
};

}  // namespace cb::cluster::detail
