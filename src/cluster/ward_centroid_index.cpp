#include "ward_centroid_index.hpp"

#include <algorithm>
#include <limits>

namespace cb::cluster::detail {
namespace {

constexpr Index kLeafSize = 32;
constexpr std::size_t kGrain = 4096;  // positions per chunk of a flat scan
/// A node's bound and a member's exact cost are rounded differently; prune only beyond this.
constexpr double kBoundSlack = 1e-12;

}  // namespace

WardCentroidIndex::WardCentroidIndex(MatrixView points, std::span<const double> weights, Index max_tree_dims)
    : n_(points.rows()), d_(points.cols()), built_(points.rows()), active_(points.rows()) {
  leaf_size_ = d_ <= max_tree_dims ? kLeafSize : std::max<Index>(n_, 1);
  coord_.resize(std::size_t(n_ * d_));
  for (Index i = 0; i < n_; ++i)
    for (Index j = 0; j < d_; ++j) coord_[std::size_t(j * n_ + i)] = points(i, j);
  if (weights.empty()) count_.assign(std::size_t(n_), 1.0);
  else count_.assign(weights.begin(), weights.end());
  is_active_.assign(std::size_t(n_), 1);
  slot_at_.resize(std::size_t(n_));
  pos_of_.resize(std::size_t(n_));
  leaf_of_.assign(std::size_t(n_), -1);
  for (Index i = 0; i < n_; ++i) slot_at_[std::size_t(i)] = pos_of_[std::size_t(i)] = i;
  rebuild();
}

Index WardCentroidIndex::first_active_slot() {
  while (pos_of_[std::size_t(first_slot_)] < 0) ++first_slot_;  // a merged-away slot has no position
  return first_slot_;
}

void WardCentroidIndex::costs(Index pa, Index b, Index e, double* out) const {
  const Index m = e - b;
  for (Index p = 0; p < m; ++p) out[p] = 0.0;
  for (Index j = 0; j < d_; ++j) {
    const double* c = coord_.data() + j * n_ + b;
    const double a = coord_[std::size_t(j * n_ + pa)];
    for (Index p = 0; p < m; ++p) {
      const double t = c[p] - a;
      out[p] += t * t;
    }
  }
  const double na = count_[std::size_t(pa)];
  const double* nb = count_.data() + b;
  for (Index p = 0; p < m; ++p) out[p] *= na * nb[p] / (na + nb[p]);
}

double WardCentroidIndex::cost(Index a, Index b) const {
  const Index pb = pos_of_[std::size_t(b)];
  double value = 0.0;
  costs(pos_of_[std::size_t(a)], pb, pb + 1, &value);  // the arithmetic of the scans
  return value;
}

Candidate WardCentroidIndex::scan_leaf(Index pa, Index b, Index e, const Executor& executor) const {
  return parallel_argmin(executor, std::size_t(e - b), kGrain, [&](std::size_t cb, std::size_t ce) {
    thread_local std::vector<double> cost;
    cost.resize(ce - cb);
    costs(pa, b + Index(cb), b + Index(ce), cost.data());
    Candidate best;
    for (std::size_t i = cb; i < ce; ++i) {
      const Index p = b + Index(i);
      if (p == pa || !is_active_[std::size_t(p)]) continue;
      const Candidate here{cost[i - cb], slot_at_[std::size_t(p)]};
      if (here.beats(best)) best = here;
    }
    return best;
  });
}

double WardCentroidIndex::box_lower_bound(Index node, const double* at) const {
  const double* lo = lo_.data() + node * d_;
  const double* hi = hi_.data() + node * d_;
  double s = 0.0;
  for (Index j = 0; j < d_; ++j) {
    const double t = at[j] < lo[j] ? lo[j] - at[j] : at[j] > hi[j] ? at[j] - hi[j] : 0.0;
    s += t * t;
  }
  return s;
}

Candidate WardCentroidIndex::nearest(Index slot, const Executor& executor) const {
  const Index pa = pos_of_[std::size_t(slot)];
  if (nodes_.size() == 1) return scan_leaf(pa, 0, built_, executor);
  thread_local std::vector<double> at;
  at.resize(std::size_t(d_));
  for (Index j = 0; j < d_; ++j) at[std::size_t(j)] = coord_[std::size_t(j * n_ + pa)];
  const double na = count_[std::size_t(pa)];
  // Ward's factor |A||B|/(|A|+|B|) grows with |B|: the node's smallest size bounds it from below.
  auto bound = [&](Index t) {
    const double nb = nodes_[std::size_t(t)].min_count;
    return box_lower_bound(t, at.data()) * (na * nb / (na + nb));
  };
  Candidate best;
  thread_local std::vector<std::pair<Index, double>> stack;
  stack.clear();
  stack.emplace_back(0, 0.0);
  while (!stack.empty()) {
    const auto [t, lower] = stack.back();
    stack.pop_back();
    const Node& node = nodes_[std::size_t(t)];
    if (node.active == 0 || lower * (1 - kBoundSlack) > best.value) continue;
    if (node.left < 0) {
      const Candidate here = scan_leaf(pa, node.begin, node.end, serial_executor());
      if (here.beats(best)) best = here;
      continue;
    }
    const double bl = bound(node.left), br = bound(node.right);
    if (bl <= br) stack.emplace_back(node.right, br), stack.emplace_back(node.left, bl);
    else stack.emplace_back(node.left, bl), stack.emplace_back(node.right, br);
  }
  return best;
}

void WardCentroidIndex::merge(Index x, Index y) {
  const Index px = pos_of_[std::size_t(x)], py = pos_of_[std::size_t(y)];
  const double nx = count_[std::size_t(px)], ny = count_[std::size_t(py)];
  for (Index j = 0; j < d_; ++j) {
    double* c = coord_.data() + j * n_;
    c[py] = (nx * c[px] + ny * c[py]) / (nx + ny);
  }
  count_[std::size_t(py)] = nx + ny;
  is_active_[std::size_t(px)] = 0;
  pos_of_[std::size_t(x)] = -1;
  --active_;
  for (Index t = leaf_of_[std::size_t(px)]; t >= 0; t = nodes_[std::size_t(t)].parent) --nodes_[std::size_t(t)].active;
  // The merged centroid lies between the two old ones but maybe outside y's boxes: widen them.
  for (Index t = leaf_of_[std::size_t(py)]; t >= 0; t = nodes_[std::size_t(t)].parent)
    for (Index j = 0; j < d_; ++j) {
      const double c = coord_[std::size_t(j * n_ + py)];
      lo_[std::size_t(t * d_ + j)] = std::min(lo_[std::size_t(t * d_ + j)], c);
      hi_[std::size_t(t * d_ + j)] = std::max(hi_[std::size_t(t * d_ + j)], c);
    }
  if (active_ > 1 && 2 * active_ <= built_) rebuild();  // half the positions are dead: compact
}

Index WardCentroidIndex::build(std::vector<Index>& order, Index begin, Index end, Index parent) {
  const auto t = Index(nodes_.size());
  nodes_.push_back({begin, end, -1, -1, parent, end - begin, 0.0});
  lo_.resize(std::size_t((t + 1) * d_), std::numeric_limits<double>::infinity());
  hi_.resize(std::size_t((t + 1) * d_), -std::numeric_limits<double>::infinity());
  double min_count = std::numeric_limits<double>::infinity();
  for (Index q = begin; q < end; ++q) {
    const Index p = order[std::size_t(q)];
    min_count = std::min(min_count, count_[std::size_t(p)]);
    for (Index j = 0; j < d_; ++j) {
      const double c = coord_[std::size_t(j * n_ + p)];
      lo_[std::size_t(t * d_ + j)] = std::min(lo_[std::size_t(t * d_ + j)], c);
      hi_[std::size_t(t * d_ + j)] = std::max(hi_[std::size_t(t * d_ + j)], c);
    }
  }
  nodes_[std::size_t(t)].min_count = min_count;
  if (end - begin <= leaf_size_) {
    for (Index q = begin; q < end; ++q) leaf_of_[std::size_t(q)] = t;  // new positions are ranks in `order`
    return t;
  }
  Index split = 0;
  for (Index j = 1; j < d_; ++j)
    if (hi_[std::size_t(t * d_ + j)] - lo_[std::size_t(t * d_ + j)] >
        hi_[std::size_t(t * d_ + split)] - lo_[std::size_t(t * d_ + split)])
      split = j;
  const Index mid = begin + (end - begin) / 2;
  const double* c = coord_.data() + split * n_;
  std::nth_element(order.begin() + begin, order.begin() + mid, order.begin() + end,
                   [&](Index a, Index b) { return c[a] < c[b] || (c[a] == c[b] && a < b); });
  const Index left = build(order, begin, mid, t);
  const Index right = build(order, mid, end, t);
  nodes_[std::size_t(t)].left = left;
  nodes_[std::size_t(t)].right = right;
  return t;
}

void WardCentroidIndex::rebuild() {
  std::vector<Index> order;  // current positions of the active clusters, then in tree order
  order.reserve(std::size_t(active_));
  for (Index p = 0; p < built_; ++p)
    if (is_active_[std::size_t(p)]) order.push_back(p);
  nodes_.clear();
  lo_.clear();
  hi_.clear();
  std::fill(leaf_of_.begin(), leaf_of_.end(), -1);
  build(order, 0, Index(order.size()), -1);
  // Lay the clusters out in tree order: a leaf is a contiguous range of positions.
  const auto m = Index(order.size());
  std::vector<double> coord(coord_.size());
  std::vector<double> count(count_.size());
  std::vector<Index> slot_at(slot_at_.size());
  for (Index q = 0; q < m; ++q) {
    const Index p = order[std::size_t(q)];
    for (Index j = 0; j < d_; ++j) coord[std::size_t(j * n_ + q)] = coord_[std::size_t(j * n_ + p)];
    count[std::size_t(q)] = count_[std::size_t(p)];
    slot_at[std::size_t(q)] = slot_at_[std::size_t(p)];
    pos_of_[std::size_t(slot_at[std::size_t(q)])] = q;
  }
  coord_.swap(coord);
  count_.swap(count);
  slot_at_.swap(slot_at);
  std::fill(is_active_.begin(), is_active_.end(), 0);
  std::fill(is_active_.begin(), is_active_.begin() + m, 1);
  built_ = m;
}

}  // namespace cb::cluster::detail
