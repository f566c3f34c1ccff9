// kd-tree construction (split the widest box side at the median) and the
// count / k-nearest queries. Tree depth is bounded by log2(n / leaf_size) + 1,
// well inside the fixed traversal stacks.
#include "clusterbench/neighbors/kdtree.hpp"

#include <algorithm>
#include <numeric>
#include <queue>
#include <string>

#include "clusterbench/core/error.hpp"

namespace cb::neighbors {

KdTree::KdTree(MatrixView points, const KdTreeOptions& options)
    : n_(points.rows()), d_(points.cols()), leaf_size_(options.leaf_size) {
  if (n_ == 0 || d_ == 0) throw InputError("kd-tree needs at least one point and one column");
  if (leaf_size_ < 1) throw InputError("kd-tree leaf_size must be at least 1, got " + std::to_string(leaf_size_));
  ids_.resize(std::size_t(n_));
  std::iota(ids_.begin(), ids_.end(), Index{0});
  data_.resize(std::size_t(n_ * d_));
  for (Index i = 0; i < n_; ++i)
    for (Index j = 0; j < d_; ++j) data_[std::size_t(i * d_ + j)] = points(i, j);
  nodes_.reserve(std::size_t(2 * (n_ / leaf_size_ + 1)));
  build(0, n_, 0);
  // Points were permuted through ids_ only; lay the coordinates out in tree order.
  std::vector<double> ordered(data_.size());
  for (Index p = 0; p < n_; ++p)
    for (Index j = 0; j < d_; ++j) ordered[std::size_t(p * d_ + j)] = points(ids_[std::size_t(p)], j);
  data_.swap(ordered);
}

Index KdTree::build(Index begin, Index end, int depth) {
  const Index id = Index(nodes_.size());
  nodes_.push_back({begin, end});
  lo_.resize(nodes_.size() * std::size_t(d_));
  hi_.resize(nodes_.size() * std::size_t(d_));
  double* lo = lo_.data() + id * d_;
  double* hi = hi_.data() + id * d_;
  for (Index j = 0; j < d_; ++j) lo[j] = hi[j] = data_[std::size_t(ids_[std::size_t(begin)] * d_ + j)];
  for (Index p = begin + 1; p < end; ++p) {
    const double* x = data_.data() + ids_[std::size_t(p)] * d_;
    for (Index j = 0; j < d_; ++j) lo[j] = std::min(lo[j], x[j]), hi[j] = std::max(hi[j], x[j]);
  }
  if (end - begin <= leaf_size_ || depth >= 60) return id;
  Index split = 0;
  for (Index j = 1; j < d_; ++j)
    if (hi[j] - lo[j] > hi[split] - lo[split]) split = j;
  if (hi[split] == lo[split]) return id;  // all points identical: keep as one leaf
  const Index mid = begin + (end - begin) / 2;
  std::nth_element(ids_.begin() + begin, ids_.begin() + mid, ids_.begin() + end, [&](Index a, Index b) {
    const double xa = data_[std::size_t(a * d_ + split)], xb = data_[std::size_t(b * d_ + split)];
    return xa < xb || (xa == xb && a < b);
  });
  const Index left = build(begin, mid, depth + 1);
  const Index right = build(mid, end, depth + 1);
  nodes_[std::size_t(id)].left = left;
  nodes_[std::size_t(id)].right = right;
  return id;
}

double KdTree::box_min_distance2(const Node& node, const double* q) const {
  const Index id = Index(&node - nodes_.data());
  const double* lo = lo_.data() + id * d_;
  const double* hi = hi_.data() + id * d_;
  double s = 0.0;
  for (Index j = 0; j < d_; ++j) {
    const double t = q[j] < lo[j] ? lo[j] - q[j] : (q[j] > hi[j] ? q[j] - hi[j] : 0.0);
    s += t * t;
  }
  return s;
}

double KdTree::box_max_distance2(const Node& node, const double* q) const {
  const Index id = Index(&node - nodes_.data());
  const double* lo = lo_.data() + id * d_;
  const double* hi = hi_.data() + id * d_;
  double s = 0.0;
  for (Index j = 0; j < d_; ++j) {
    const double t = std::max(q[j] - lo[j], hi[j] - q[j]);
    s += t * t;
  }
  return s;
}

Index KdTree::count_within(const double* query, double radius2, Index cap) const {
  Index count = 0;
  Index stack[128];
  int top = 0;
  stack[top++] = 0;
  while (top > 0 && count < cap) {
    const Node& node = nodes_[std::size_t(stack[--top])];
    if (box_min_distance2(node, query) > radius2) continue;
    // Rounding is monotone, so a box corner within the radius means every point is.
    if (box_max_distance2(node, query) <= radius2) {
      count += node.end - node.begin;
      continue;
    }
    if (node.left < 0) {
      for (Index p = node.begin; p < node.end && count < cap; ++p)
        if (point_distance2(p, query) <= radius2) ++count;
    } else {
      stack[top++] = node.right;
      stack[top++] = node.left;
    }
  }
  return std::min(count, cap);
}

std::vector<Index> KdTree::within(const double* query, double radius2) const {
  std::vector<Index> out;
  for_each_within(query, radius2, [&](Index id, double) { out.push_back(id); });
  return out;
}

std::vector<std::pair<double, Index>> KdTree::nearest(const double* query, Index k) const {
  if (k < 1 || k > n_)
    throw InputError("k-nearest query needs 1 <= k <= " + std::to_string(n_) + ", got " + std::to_string(k));
  std::priority_queue<std::pair<double, Index>> heap;  // worst on top
  auto worst = [&] { return Index(heap.size()) < k ? std::numeric_limits<double>::infinity() : heap.top().first; };
  // Depth-first, nearer child first.
  struct Item {
    Index node;
    double bound;
  };
  Item stack[128];
  int top = 0;
  stack[top++] = {0, box_min_distance2(nodes_[0], query)};
  while (top > 0) {
    const Item item = stack[--top];
    if (item.bound > worst()) continue;
    const Node& node = nodes_[std::size_t(item.node)];
    if (node.left < 0) {
      for (Index p = node.begin; p < node.end; ++p) {
        const std::pair<double, Index> cand{point_distance2(p, query), ids_[std::size_t(p)]};
        if (Index(heap.size()) < k) {
          heap.push(cand);
        } else if (cand < heap.top()) {
          heap.pop();
          heap.push(cand);
        }
      }
      continue;
    }
    const double bl = box_min_distance2(nodes_[std::size_t(node.left)], query);
    const double br = box_min_distance2(nodes_[std::size_t(node.right)], query);
    if (bl <= br) {
      stack[top++] = {node.right, br};
      stack[top++] = {node.left, bl};
    } else {
      stack[top++] = {node.left, bl};
      stack[top++] = {node.right, br};
    }
  }
  std::vector<std::pair<double, Index>> out(heap.size());
  for (std::size_t i = out.size(); i-- > 0;) {
    out[i] = heap.top();
    heap.pop();
  }
  return out;
}

double KdTree::kth_distance2(const double* query, Index k) const { return nearest(query, k).back().first; }

}  // namespace cb::neighbors
