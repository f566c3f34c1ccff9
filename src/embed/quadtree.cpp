#include "quadtree.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>

namespace cb::embed::detail {

namespace {

// The tree is built from Morton codes: each point's cell at the deepest level (kMaxDepth
// bits per coordinate) interleaved into one key, y's bit above x's, so sorting the keys
// orders the points depth-first with quadrants in the order (x<, y<), (x≥, y<), (x<, y≥),
// (x≥, y≥), and every subtree is a run of the sorted keys. A radix sort and one recursive
// scan replace partitioning the points at every node (the build was a third of t-SNE's time).
constexpr int kMaxDepth = 31;  // beyond this (cells 2^-31 of the range), coincident points share a leaf
constexpr int kRadixBits = 11;

std::uint64_t spread_bits(std::uint32_t v) {  // bit b of v to bit 2b
  std::uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFull;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFull;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0Full;
  x = (x | (x << 2)) & 0x3333333333333333ull;
  x = (x | (x << 1)) & 0x5555555555555555ull;
  return x;
}

/// Stable LSD radix sort of (key, point) by key; digits equal for every key are skipped.
void radix_sort(std::vector<std::uint64_t>& keys, std::vector<std::int32_t>& points) {
  const std::size_t n = keys.size();
  std::uint64_t differing = 0;
  for (const auto k : keys) differing |= k ^ keys[0];
  std::vector<std::uint64_t> keys_out(n);
  std::vector<std::int32_t> points_out(n);
  constexpr std::size_t kBuckets = std::size_t{1} << kRadixBits;
  std::vector<std::size_t> start(kBuckets);
  for (int shift = 0; shift < 2 * kMaxDepth; shift += kRadixBits) {
    if (((differing >> shift) & (kBuckets - 1)) == 0) continue;
    std::fill(start.begin(), start.end(), 0);
    for (const auto k : keys) ++start[(k >> shift) & (kBuckets - 1)];
    std::size_t offset = 0;
    for (auto& s : start) offset += std::exchange(s, offset);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = start[(keys[i] >> shift) & (kBuckets - 1)]++;
      keys_out[at] = keys[i];
      points_out[at] = points[i];
    }
    keys.swap(keys_out);
    points.swap(points_out);
  }
}

struct Builder {
  const Matrix& y;
  const std::vector<std::uint64_t>& keys;  // sorted
  const std::vector<std::int32_t>& order;  // points in key order
  double root_width2;
  std::vector<QuadNode>& nodes;

  /// Appends the subtree of the points [lo, hi) (equal in their top `depth` key levels) in
  /// depth-first order. A node's centre of mass is the count-weighted mean of its children's,
  /// in quadrant order; a leaf's the mean of its points in order.
  void add(std::int32_t lo, std::int32_t hi, int depth) {
    const auto self = nodes.size();
    const double scale = std::ldexp(1.0, -2 * depth);
    nodes.push_back({0, 0, root_width2 * scale, hi - lo, 0});
    double sx = 0, sy = 0;
    const auto first = static_cast<std::size_t>(lo), last = static_cast<std::size_t>(hi);
    if (hi - lo == 1 || depth == kMaxDepth || keys[first] == keys[last - 1]) {
      for (std::size_t p = first; p < last; ++p) sx += y(order[p], 0), sy += y(order[p], 1);
    } else {
      const int shift = 2 * (kMaxDepth - depth - 1);  // the two bits of this level
      std::int32_t begin = lo;
      for (std::uint64_t q = 0; q < 4 && begin < hi; ++q) {
        const auto end =
            static_cast<std::int32_t>(std::partition_point(keys.begin() + begin, keys.begin() + hi,
                                                           [&](std::uint64_t k) { return ((k >> shift) & 3) <= q; }) -
                                      keys.begin());
        if (end == begin) continue;
        const auto index = nodes.size();
        add(begin, end, depth + 1);
        sx += nodes[index].count * nodes[index].com_x;
        sy += nodes[index].count * nodes[index].com_y;
        begin = end;
      }
    }
    nodes[self].com_x = sx / (hi - lo);
    nodes[self].com_y = sy / (hi - lo);
    nodes[self].skip = static_cast<std::int32_t>(nodes.size());
  }
};

}  // namespace

QuadTree::QuadTree(const Matrix& y, const Executor& executor) {
  const Index n = y.rows();
  order_.resize(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order_[i] = static_cast<std::int32_t>(i);
  const double x0 = y.col(0).minCoeff(), x1 = y.col(0).maxCoeff();
  const double y0 = y.col(1).minCoeff(), y1 = y.col(1).maxCoeff();
  const double side = std::max(x1 - x0, y1 - y0) * (1.0 + 1e-9) + 1e-300;
  // Cells of the deepest level: coordinates scaled to [0, 2^kMaxDepth) within the root square.
  const double cells = std::ldexp(1.0, kMaxDepth);
  const double to_cell = cells / side;
  const auto cell = [&](double v, double lo) {
    return static_cast<std::uint32_t>(std::min(std::max((v - lo) * to_cell, 0.0), cells - 1));
  };
  std::vector<std::uint64_t> keys(static_cast<std::size_t>(n));
  executor.parallel_for(static_cast<std::size_t>(n), 8192, [&](Range r) {
    for (auto i = r.begin; i < r.end; ++i)
      keys[i] = spread_bits(cell(y(Index(i), 0), x0)) | (spread_bits(cell(y(Index(i), 1), y0)) << 1);
  });
  radix_sort(keys, order_);
  nodes_.reserve(static_cast<std::size_t>(2 * n));
  if (n > 0) Builder{y, keys, order_, side * side, nodes_}.add(0, static_cast<std::int32_t>(n), 0);
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

constexpr int kLanes = 8;  // interaction-list padding: one AVX-512 register, four SSE2 ones

/// A group's interaction list, structure of arrays, padded to whole lanes with zero counts.
/// Sized for a whole tree up front, so the walk can write every node it passes and keep
/// only the accepted ones by advancing `size` (no branch to mispredict per node).
struct Interactions {
  std::vector<double> x, y, count, leaf;  // leaf: 1 for a leaf (it may hold the point itself), else 0
  std::size_t size = 0;
  void reserve(std::size_t nodes) {
    const std::size_t capacity = nodes + kLanes;
    if (x.size() >= capacity) return;
    x.resize(capacity), y.resize(capacity), count.resize(capacity), leaf.resize(capacity);
  }
  void clear() { size = 0; }
  /// Writes node c at the end; it stays in the list only if `keep`.
  void offer(const QuadNode& c, bool is_leaf, bool keep) {
    x[size] = c.com_x, y[size] = c.com_y, count[size] = c.count, leaf[size] = is_leaf ? 1.0 : 0.0;
    size += keep ? 1 : 0;
  }
  void pad() {
    while (size % kLanes != 0) x[size] = 0, y[size] = 0, count[size] = 0, leaf[size] = 0, ++size;
  }
};

struct PointRepulsion {
  double sum_q, fx, fy;
};

using Lanes = double __attribute__((vector_size(kLanes * sizeof(double))));
using LaneMask = std::int64_t __attribute__((vector_size(kLanes * sizeof(double))));

/// Σ N·q and Σ N·q²·(p − c) over the list for the point (xi, yi), in kLanes partial sums
/// (element e into lane e mod kLanes) merged in a fixed order. Cloned for AVX-512 and AVX2
/// (one, two or four registers per Lanes), picked at load time; no FMA contraction, so every
/// clone performs the same roundings and gives the same bits.
__attribute__((target_clones("avx512f", "avx2", "default"), optimize("fp-contract=off"))) PointRepulsion
sum_interactions(const Interactions& list, double xi, double yi) {
  Lanes sum_q = {}, ax = {}, ay = {};
  for (std::size_t e = 0; e < list.size; e += kLanes) {
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
    const Lanes nqq = nq * q;
    sum_q += nq;
    ax += nqq * dx;
    ay += nqq * dy;
  }
  PointRepulsion out{0, 0, 0};
  for (int t = 0; t < kLanes; ++t) out.sum_q += sum_q[t], out.fx += ax[t], out.fy += ay[t];
  return out;
}

}  // namespace

double QuadTree::repulsion_all(const Matrix& y, double theta, Matrix& rep, const Executor& executor) const {
  rep.resize(y.rows(), 2);
  const double theta2 = theta * theta;
  return executor.reduce(
      groups_.size(), 8, 0.0,
      [&](Range r) {
        thread_local Interactions list;  // reused: sizing it for the tree is not free
        list.reserve(nodes_.size());
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
            const bool accept = leaf || c.width2 < theta2 * (dx * dx + dy * dy);
            list.offer(c, leaf, accept);
            node = accept ? static_cast<std::size_t>(c.skip) : node + 1;
          }
          list.pad();
          for (std::int32_t k = group.begin; k < group.end; ++k) {
            const Index i = order_[static_cast<std::size_t>(k)];
            const PointRepulsion sums = sum_interactions(list, y(i, 0), y(i, 1));
            const double s = sums.sum_q, fx = sums.fx, fy = sums.fy;
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
