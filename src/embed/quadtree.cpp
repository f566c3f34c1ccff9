#include "quadtree.hpp"

#include <algorithm>
#include <cmath>

namespace cb::embed::detail {

namespace {
constexpr int kMaxDepth = 48;  // beyond this, coincident points share a leaf
}

QuadTree::QuadTree(const Matrix& y) {
  const Index n = y.rows();
  order_.resize(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order_[i] = static_cast<std::int32_t>(i);
  const double x0 = y.col(0).minCoeff(), x1 = y.col(0).maxCoeff();
  const double y0 = y.col(1).minCoeff(), y1 = y.col(1).maxCoeff();
  const double half = 0.5 * std::max(x1 - x0, y1 - y0) * (1.0 + 1e-9) + 1e-300;
  nodes_.reserve(static_cast<std::size_t>(2 * n + 1));
  build(y, 0, static_cast<std::int32_t>(n), 0.5 * (x0 + x1), 0.5 * (y0 + y1), half, 0);
}

void QuadTree::build(const Matrix& y, std::int32_t lo, std::int32_t hi, double cx, double cy, double half,
                     int depth) {
  const auto self = static_cast<std::int32_t>(nodes_.size());
  nodes_.push_back({0, 0, 4 * half * half, hi - lo, 0});
  double sx = 0, sy = 0;  // count-weighted sum of the children's centres (or of the leaf's points)
  if (hi - lo == 1 || depth == kMaxDepth) {
    for (std::int32_t p = lo; p < hi; ++p) sx += y(order_[p], 0), sy += y(order_[p], 1);
  } else {
    auto* first = order_.data() + lo;
    auto* last = order_.data() + hi;
    auto* mid = std::partition(first, last, [&](std::int32_t p) { return y(p, 1) < cy; });
    auto* q1 = std::partition(first, mid, [&](std::int32_t p) { return y(p, 0) < cx; });
    auto* q3 = std::partition(mid, last, [&](std::int32_t p) { return y(p, 0) < cx; });
    const std::int32_t b0 = lo, b1 = static_cast<std::int32_t>(q1 - order_.data()),
                       b2 = static_cast<std::int32_t>(mid - order_.data()),
                       b3 = static_cast<std::int32_t>(q3 - order_.data()), b4 = hi;
    const double h = 0.5 * half;
    auto child = [&](std::int32_t from, std::int32_t to, double x, double yc) {
      if (to == from) return;
      const auto index = nodes_.size();
      build(y, from, to, x, yc, h, depth + 1);
      sx += nodes_[index].count * nodes_[index].com_x;
      sy += nodes_[index].count * nodes_[index].com_y;
    };
    child(b0, b1, cx - h, cy - h);
    child(b1, b2, cx + h, cy - h);
    child(b2, b3, cx - h, cy + h);
    child(b3, b4, cx + h, cy + h);
  }
  nodes_[self].com_x = sx / (hi - lo);
  nodes_[self].com_y = sy / (hi - lo);
  nodes_[self].skip = static_cast<std::int32_t>(nodes_.size());
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
