#include "clusterbench/metrics/dbcv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "clusterbench/core/error.hpp"

namespace cb::metrics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct ClusterTree {
  std::vector<Index> rows;         ///< the cluster's rows of the points, ascending
  std::vector<double> core;        ///< all-points core distance per member
  std::vector<Index> internal;     ///< members (indices into rows) of MST degree > 1
  double sparseness = 0;           ///< largest internal MST edge
};

double distance(MatrixView points, Index a, Index b) { return (points.row(a) - points.row(b)).norm(); }

/// x^n for a whole n ≥ 0 by squaring: the inner loop below runs m² times, and
/// std::pow with a double exponent was most of a grid's scoring time.
double whole_power(double x, Index n) {
  double result = 1;
  for (; n > 0; n >>= 1, x *= x)
    if (n & 1) result *= x;
  return result;
}

/// ((Σ_{j≠i, d>0} d_ij^-dim) / (m − 1))^(-1/dim): a density-aware "distance to the neighbours".
std::vector<double> core_distances(MatrixView points, const std::vector<Index>& rows) {
  const auto m = rows.size();
  const Index dim = points.cols();
  std::vector<double> core(m);
  for (std::size_t i = 0; i < m; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const double d = distance(points, rows[i], rows[j]);
      if (d != 0) sum += whole_power(1.0 / d, dim);
    }
    core[i] = std::pow(sum / static_cast<double>(m - 1), -1.0 / static_cast<double>(dim));
  }
  return core;
}

double mutual_reachability(MatrixView points, const ClusterTree& c, std::size_t i, std::size_t j) {
  return std::max({distance(points, c.rows[i], c.rows[j]), c.core[i], c.core[j]});
}

/// numpy.isclose(a, b): |a − b| ≤ 1e-8 + 1e-5·|b|, the reference's tolerance for finding an edge's parent.
bool close(double a, double b) { return std::abs(a - b) <= 1e-8 + 1e-5 * std::abs(b); }

void build_tree(MatrixView points, ClusterTree& c) {
  const std::size_t m = c.rows.size();
  std::vector<std::size_t> remaining;
  for (std::size_t i = 1; i < m; ++i) remaining.push_back(i);
  std::vector<double> best(m, kInf);
  std::vector<std::size_t> order{0}, degree(m, 0);
  std::vector<char> in_tree(m, 0);
  in_tree[0] = 1;
  std::vector<std::pair<std::size_t, double>> added;  // (new vertex, edge weight) in Prim's order
  std::size_t current = 0;
  while (!remaining.empty()) {
    std::size_t pick = 0;
    for (std::size_t r = 0; r < remaining.size(); ++r) {
      const std::size_t j = remaining[r];
      best[j] = std::min(best[j], mutual_reachability(points, c, current, j));
      if (best[j] < best[remaining[pick]]) pick = r;  // first minimum, in vertex order
    }
    current = remaining[pick];
    added.emplace_back(current, best[current]);
    remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(pick));
    // The edge's other end, as the reference finds it: the smallest vertex already in
    // the tree whose distance to the new vertex is close to the edge weight.
    std::size_t parent = m;
    for (std::size_t v = 0; v < m && parent == m; ++v)
      if (in_tree[v] && close(mutual_reachability(points, c, current, v), best[current])) parent = v;
    if (parent == m) throw std::logic_error("dbcv: no parent found for an MST edge");
    in_tree[current] = 1;
    ++degree[current];
    ++degree[parent];
    order.push_back(parent);  // parent of added[i] is order[i + 1]
  }
  for (std::size_t v = 0; v < m; ++v)
    if (degree[v] > 1) c.internal.push_back(v);
  double internal_max = -kInf, all_max = -kInf;
  for (std::size_t e = 0; e < added.size(); ++e) {
    const auto [v, weight] = added[e];
    all_max = std::max(all_max, weight);
    if (degree[v] > 1 && degree[order[e + 1]] > 1) internal_max = std::max(internal_max, weight);
  }
  // Sparseness is undefined without internal edges; the authors' code then takes all edges.
  c.sparseness = internal_max > -kInf ? internal_max : all_max;
}

double separation(MatrixView points, const ClusterTree& a, const ClusterTree& b) {
  double out = kInf;
  for (const std::size_t i : a.internal)
    for (const std::size_t j : b.internal)
      out = std::min(out, std::max({distance(points, a.rows[i], b.rows[j]), a.core[i], b.core[j]}));
  return out;
}

}  // namespace

double dbcv(MatrixView points, const Labels& labels) {
  if (static_cast<Index>(labels.size()) != points.rows())
    throw InputError("dbcv: " + std::to_string(labels.size()) + " labels for " + std::to_string(points.rows()) + " points");
  Label clusters = 0;
  for (const Label l : labels) clusters = std::max(clusters, static_cast<Label>(l + 1));
  std::vector<ClusterTree> trees(static_cast<std::size_t>(clusters));
  for (Index i = 0; i < points.rows(); ++i)
    if (labels[static_cast<std::size_t>(i)] >= 0) trees[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])].rows.push_back(i);
  std::erase_if(trees, [](const ClusterTree& t) { return t.rows.empty(); });
  if (trees.size() < 2) return kNaN;
  for (auto& t : trees) {
    if (t.rows.size() < 3) return kNaN;
    t.core = core_distances(points, t.rows);
    build_tree(points, t);
  }
  double result = 0;
  for (std::size_t i = 0; i < trees.size(); ++i) {
    double nearest = kInf;
    for (std::size_t j = 0; j < trees.size(); ++j)
      if (j != i) nearest = std::min(nearest, separation(points, trees[i], trees[j]));
    const double validity = (nearest - trees[i].sparseness) / std::max(nearest, trees[i].sparseness);
    result += static_cast<double>(trees[i].rows.size()) / static_cast<double>(points.rows()) * validity;
  }
  return result;
}

}  // namespace cb::metrics
