#include "quadtree.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace cb::embed::detail {

namespace {

constexpr int kMaxDepth = 48;              // beyond this, coincident points share a leaf
constexpr int kParallelLevels = 2;         // the top levels split into up to 16 subtrees built concurrently
constexpr std::int32_t kParallelMin = 4096;  // smaller subtrees are built serially

/// The square a subtree covers and the slice of the point order it holds.
struct Cell {
  std::int32_t lo, hi;
  double cx, cy, half;
  int depth;
};

/// Splits the cell's points into its quadrants (in place in `order`); returns the non-empty child cells in quadrant order.
std::vector<Cell> split(const Matrix& y, std::vector<std::int32_t>& order, const Cell& c) {
  auto* first = order.data() + c.lo;
  auto* last = order.data() + c.hi;
  auto* mid = std::partition(first, last, [&](std::int32_t p) { return y(p, 1) < c.cy; });
  auto* q1 = std::partition(first, mid, [&](std::int32_t p) { return y(p, 0) < c.cx; });
  auto* q3 = std::partition(mid, last, [&](std::int32_t p) { return y(p, 0) < c.cx; });
  const std::int32_t b[5] = {c.lo, static_cast<std::int32_t>(q1 - order.data()), static_cast<std::int32_t>(mid - order.data()),
                             static_cast<std::int32_t>(q3 - order.data()), c.hi};
  const double h = 0.5 * c.half;
  const double dx[4] = {-h, h, -h, h}, dy[4] = {-h, -h, h, h};
  std::vector<Cell> children;
  for (int q = 0; q < 4; ++q)
    if (b[q + 1] > b[q]) children.push_back({b[q], b[q + 1], c.cx + dx[q], c.cy + dy[q], h, c.depth + 1});
  return children;
}

bool is_leaf(const Cell& c) { return c.hi - c.lo == 1 || c.depth == kMaxDepth; }

/// Appends the subtree of `c` to `nodes` in depth-first order (skip indices relative to `nodes`).
/// A node's centre of mass is the count-weighted mean of its children's, in quadrant order.
void build_serial(const Matrix& y, std::vector<std::int32_t>& order, const Cell& c, std::vector<QuadNode>& nodes) {
  const auto self = nodes.size();
  nodes.push_back({0, 0, 4 * c.half * c.half, c.hi - c.lo, 0});
  double sx = 0, sy = 0;
  if (is_leaf(c)) {
    for (std::int32_t p = c.lo; p < c.hi; ++p) sx += y(order[p], 0), sy += y(order[p], 1);
  } else {
    for (const Cell& child : split(y, order, c)) {
      const auto index = nodes.size();
      build_serial(y, order, child, nodes);
      sx += nodes[index].count * nodes[index].com_x;
      sy += nodes[index].count * nodes[index].com_y;
    }
  }
  nodes[self].com_x = sx / (c.hi - c.lo);
  nodes[self].com_y = sy / (c.hi - c.lo);
  nodes[self].skip = static_cast<std::int32_t>(nodes.size());
}

/// The same tree as build_serial: the top levels split serially, their subtrees are built
/// concurrently into separate arrays and concatenated in quadrant order.
std::vector<QuadNode> build(const Matrix& y, std::vector<std::int32_t>& order, const Cell& c, int parallel_levels,
                            const Executor& executor) {
  std::vector<QuadNode> nodes;
  if (parallel_levels == 0 || c.hi - c.lo < kParallelMin || is_leaf(c)) {
    build_serial(y, order, c, nodes);
    return nodes;
  }
  const auto children = split(y, order, c);
  std::vector<std::vector<QuadNode>> parts(children.size());
  std::vector<std::function<void()>> tasks;
  for (std::size_t q = 0; q < children.size(); ++q)
    tasks.emplace_back([&, q] { parts[q] = build(y, order, children[q], parallel_levels - 1, executor); });
  executor.run_all(tasks);
  nodes.push_back({0, 0, 4 * c.half * c.half, c.hi - c.lo, 0});
  double sx = 0, sy = 0;
  for (const auto& part : parts) {
    const auto offset = static_cast<std::int32_t>(nodes.size());
    sx += part[0].count * part[0].com_x;
    sy += part[0].count * part[0].com_y;
    for (QuadNode node : part) {
      node.skip += offset;
      nodes.push_back(node);
    }
  }
  nodes[0].com_x = sx / (c.hi - c.lo);
  nodes[0].com_y = sy / (c.hi - c.lo);
  nodes[0].skip = static_cast<std::int32_t>(nodes.size());
  return nodes;
}

}  // namespace

QuadTree::QuadTree(const Matrix& y, const Executor& executor) {
  const Index n = y.rows();
  order_.resize(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order_[i] = static_cast<std::int32_t>(i);
  const double x0 = y.col(0).minCoeff(), x1 = y.col(0).maxCoeff();
  const double y0 = y.col(1).minCoeff(), y1 = y.col(1).maxCoeff();
  const double half = 0.5 * std::max(x1 - x0, y1 - y0) * (1.0 + 1e-9) + 1e-300;
  nodes_ = build(y, order_, {0, static_cast<std::int32_t>(n), 0.5 * (x0 + x1), 0.5 * (y0 + y1), half, 0}, kParallelLevels,
                 executor);
  find_groups();
}

void QuadTree::find_groups() {
  // Depth-first, the points of consecutive subtrees are consecutive in order_.
  std::int32_t node = 0, offset = 0;
  const auto end = static_cast<std::int32_t>(nodes_.size());
  while (node < end) {
    const QuadNode& c = nodes_[static_cast<std::size_t>(node)];
    if (c.count <= kGroupSize || c.skip == node + 1) {
      groups_.push_back({node, offset, offset + c.count});
      offset += c.count;
      node = c.skip;
    } else {
      ++node;
    }
  }
}

namespace {

#if defined(__AVX__)
constexpr int kLanes = 4;
#else
constexpr int kLanes = 2;
#endif
using Lanes = double __attribute__((vector_size(kLanes * sizeof(double))));
using LaneMask = std::int64_t __attribute__((vector_size(kLanes * sizeof(double))));

/// A group's interaction list, structure of arrays, padded to whole lanes with zero counts.
struct Interactions {
  std::vector<double> x, y, count, leaf;  // leaf: 1 for a leaf (it may hold the point itself), else 0
  void clear() { x.clear(), y.clear(), count.clear(), leaf.clear(); }
  void add(const QuadNode& c, bool is_leaf) {
    x.push_back(c.com_x), y.push_back(c.com_y), count.push_back(c.count), leaf.push_back(is_leaf ? 1.0 : 0.0);
  }
  void pad() {
    while (x.size() % kLanes != 0) x.push_back(0), y.push_back(0), count.push_back(0), leaf.push_back(0);
  }
};

}  // namespace

double QuadTree::repulsion_all(const Matrix& y, double theta, Matrix& rep, const Executor& executor) const {
  rep.resize(y.rows(), 2);
  const double theta2 = theta * theta;
  return executor.reduce(
      groups_.size(), 8, 0.0,
      [&](Range r) {
        Interactions list;
        double total = 0;
        for (std::size_t g = r.begin; g < r.end; ++g) {
          const Group& group = groups_[g];
          double bx0 = std::numeric_limits<double>::max(), by0 = bx0, bx1 = -bx0, by1 = -bx0;
          for (std::int32_t k = group.begin; k < group.end; ++k) {
            const Index i = order_[static_cast<std::size_t>(k)];
            bx0 = std::min(bx0, y(i, 0)), bx1 = std::max(bx1, y(i, 0));
            by0 = std::min(by0, y(i, 1)), by1 = std::max(by1, y(i, 1));
          }
          // Cells far from the whole box are summarised; the rest are opened down to their leaves.
          list.clear();
          std::size_t node = 0;
          while (node < nodes_.size()) {
            const QuadNode& c = nodes_[node];
            const double dx = std::max({0.0, bx0 - c.com_x, c.com_x - bx1});
            const double dy = std::max({0.0, by0 - c.com_y, c.com_y - by1});
            const bool leaf = c.skip == static_cast<std::int32_t>(node) + 1;
            if (leaf || c.width2 < theta2 * (dx * dx + dy * dy)) {
              list.add(c, leaf);
              node = static_cast<std::size_t>(c.skip);
            } else {
              ++node;
            }
          }
          list.pad();
          for (std::int32_t k = group.begin; k < group.end; ++k) {
            const Index i = order_[static_cast<std::size_t>(k)];
            const double xi = y(i, 0), yi = y(i, 1);
            Lanes sum_q = {}, ax = {}, ay = {};
            for (std::size_t e = 0; e < list.x.size(); e += kLanes) {
              Lanes cx, cy, count, leaf;
              __builtin_memcpy(&cx, &list.x[e], sizeof(Lanes));
              __builtin_memcpy(&cy, &list.y[e], sizeof(Lanes));
              __builtin_memcpy(&count, &list.count[e], sizeof(Lanes));
              __builtin_memcpy(&leaf, &list.leaf[e], sizeof(Lanes));
              const Lanes dx = xi - cx, dy = yi - cy;
              const Lanes d2 = dx * dx + dy * dy;
              // The point itself (and exact duplicates) sit in a leaf at distance 0: one fewer there.
              const LaneMask at_zero = d2 == 0.0;
              const Lanes n = count - (Lanes)((LaneMask)leaf & at_zero);  // leaf is 1.0 or 0.0: masked bit patterns
              const Lanes q = 1.0 / (1.0 + d2);
              const Lanes nq = n * q;
              sum_q += nq;
              ax += nq * q * dx;
              ay += nq * q * dy;
            }
            double s = 0, fx = 0, fy = 0;
            for (int t = 0; t < kLanes; ++t) s += sum_q[t], fx += ax[t], fy += ay[t];
            rep(i, 0) = fx, rep(i, 1) = fy;
            total += s;
          }
        }
        return total;
      },
      [](double& acc, double part) { acc += part; });
}

double QuadTree::repulsion(const Matrix& y, Index i, double theta, double& fx, double& fy) const {
  const double xi = y(i, 0), yi = y(i, 1);
  const double theta2 = theta * theta;
  double sum_q = 0, ax = 0, ay = 0;
  std::size_t node = 0;
  const std::size_t end = nodes_.size();
  while (node < end) {
    const QuadNode& c = nodes_[node];
    const double dx = xi - c.com_x, dy = yi - c.com_y;
    const double d2 = dx * dx + dy * dy;
    const bool leaf = c.skip == static_cast<std::int32_t>(node) + 1;
    if (leaf || c.width2 < theta2 * d2) {
      double count = c.count;
      if (leaf && d2 == 0.0) count -= 1;  // the point itself (and its exact duplicates) sit here
      if (count > 0) {
        const double q = 1.0 / (1.0 + d2);
        sum_q += count * q;
        const double m = count * q * q;
        ax += m * dx;
        ay += m * dy;
      }
      node = static_cast<std::size_t>(c.skip);
    } else {
      ++node;
    }
  }
  fx += ax;
  fy += ay;
  return sum_q;
}

}  // namespace cb::embed::detail
