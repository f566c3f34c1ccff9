// DBCV as hdbscan's validity_index computes it (see dbcv.hpp), in O(n_c) memory
// per cluster. Each cluster's points are copied feature-major, so every
// "distances from one point to all members" row is a contiguous, vectorised
// loop; Prim's tree needs one such row per added vertex, used both to find the
// new vertex's parent (as the reference does, among the vertices already in
// the tree) and to relax the vertices outside it.
#include "clusterbench/metrics/dbcv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "dbcv_detail.hpp"

namespace cb::metrics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kCoreGrain = 64;  // points per chunk of the core-distance pass
constexpr Index kCoreBlock = 256;       // points per block of the core-distance tiles

/// out[j] = Σ_f (coord[f·stride + j] − at[f])² for j < size: the whole cost of DBCV. Cloned for
/// AVX-512 (picked at load time); the same operations in the same order either way.
__attribute__((target_clones("avx512f", "default"))) void squared_distances_to(const double* coord, Index stride,
                                                                               Index size, Index dim, const double* at,
                                                                               double* out) {
  std::fill(out, out + size, 0.0);
  for (Index f = 0; f < dim; ++f) {
    const double* c = coord + f * stride;
    const double a = at[f];
    for (Index j = 0; j < size; ++j) {
      const double t = c[j] - a;
      out[j] += t * t;
    }
  }
}

/// One cluster's members, feature-major: coord[f * size + j] is feature f of member j.
struct ClusterPoints {
  Index dim = 0;
  Index size = 0;
  std::vector<double> coord;

  ClusterPoints() = default;
  ClusterPoints(MatrixView points, const std::vector<Index>& rows) : dim(points.cols()), size(Index(rows.size())) {
    coord.resize(std::size_t(dim * size));
    for (Index j = 0; j < size; ++j)
      for (Index f = 0; f < dim; ++f) coord[std::size_t(f * size + j)] = points(rows[std::size_t(j)], f);
  }

  /// out[j] = squared distance from the point `at` (dim coordinates) to member j.
  void squared_distances(const double* at, double* out) const {
    squared_distances_to(coord.data(), size, size, dim, at, out);
  }
  std::vector<double> point(Index j) const {
    std::vector<double> p(static_cast<std::size_t>(dim));
    for (Index f = 0; f < dim; ++f) p[std::size_t(f)] = coord[std::size_t(f * size + j)];
    return p;
  }
};

struct ClusterTree {
  std::vector<Index> rows;      ///< the cluster's rows of the points, ascending
  ClusterPoints members;        ///< their coordinates
  std::vector<double> core;     ///< all-points core distance per member
  std::vector<double> core2;    ///< its square
  std::vector<Index> internal;  ///< members of MST degree > 1
  ClusterPoints internal_points;
  std::vector<double> internal_core;
  double sparseness = 0;  ///< largest internal MST edge
};

/// term[j] = d2[j]^(-dim/2) (0 where d2[j] = 0: a point does not count itself or its
/// duplicates), by squaring over whole arrays so every step vectorises; d2 is overwritten.
__attribute__((target_clones("avx512f", "default"))) void inverse_power(double* d2, double* term, Index m, Index dim) {
  for (Index j = 0; j < m; ++j) {
    d2[j] = d2[j] == 0 ? 0.0 : 1.0 / d2[j];
    term[j] = dim % 2 == 1 ? std::sqrt(d2[j]) : 1.0;
  }
  for (Index n = dim / 2; n > 0; n >>= 1) {
    if (n & 1)
      for (Index j = 0; j < m; ++j) term[j] *= d2[j];
    if (n > 1)
      for (Index j = 0; j < m; ++j) d2[j] *= d2[j];
  }
}

/// Σ x[j] in eight interleaved partial sums added in a fixed order: vectorisable and
/// the same value on every machine and thread count.
double fixed_order_sum(const double* x, Index m) {
  double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  Index j = 0;
  for (; j + 8 <= m; j += 8)
    for (int p = 0; p < 8; ++p) part[p] += x[j + p];
  for (; j < m; ++j) part[j % 8] += x[j];
  return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}

/// ((Σ_{j≠i, d>0} d_ij^-dim) / (m − 1))^(-1/dim): a density-aware "distance to the neighbours".
/// d^-dim = (1/d²)^(dim/2): no square root for even dims. Each pair is computed once: the
/// members are cut into blocks, a tile of blocks (I, J ≥ I) adds its terms to I's rows and
/// to J's columns in its own partial sums, and every point adds its partials in block order,
/// so the value does not depend on the thread count. Tiles are computed a band of block
/// rows at a time, so the partial sums take O(m) memory rather than O(m²); the band size
/// does not change the order of any sum either.
std::vector<double> core_distances(const ClusterPoints& c, const Executor& executor, std::size_t band_tiles) {
  const Index m = c.size;
  const Index dim = c.dim;
  const Index blocks = (m + kCoreBlock - 1) / kCoreBlock;
  auto block_begin = [&](Index b) { return b * kCoreBlock; };
  auto block_size = [&](Index b) { return std::min(m, (b + 1) * kCoreBlock) - b * kCoreBlock; };
  std::vector<double> sum(static_cast<std::size_t>(m), 0.0);
  std::vector<std::pair<Index, Index>> tiles;  // the band's tiles (I, J ≥ I), row-major
  std::vector<std::size_t> first_tile;         // tiles index of (I, I) for each block row I of the band
  std::vector<double> row_part, col_part;      // per tile: partial sums for I's points and J's, kCoreBlock each
  for (Index band_begin = 0, band_end = 0; band_begin < blocks; band_begin = band_end) {
    tiles.clear();
    first_tile.clear();
    while (band_end < blocks &&
           (band_end == band_begin || tiles.size() + std::size_t(blocks - band_end) <= band_tiles)) {
      first_tile.push_back(tiles.size());
      for (Index j = band_end; j < blocks; ++j) tiles.emplace_back(band_end, j);
      ++band_end;
    }
    row_part.assign(tiles.size() * std::size_t(kCoreBlock), 0.0);
    col_part.assign(tiles.size() * std::size_t(kCoreBlock), 0.0);
    executor.parallel_for(tiles.size(), 1, [&](Range r) {
      std::vector<double> inv(static_cast<std::size_t>(kCoreBlock)), term(static_cast<std::size_t>(kCoreBlock));
      std::vector<double> at(static_cast<std::size_t>(dim));
      for (auto t = r.begin; t < r.end; ++t) {
        const auto [bi, bj] = tiles[t];
        const Index j0 = block_begin(bj), width = block_size(bj);
        double* rows = row_part.data() + t * std::size_t(kCoreBlock);
        double* cols = col_part.data() + t * std::size_t(kCoreBlock);
        for (Index i = block_begin(bi); i < block_begin(bi) + block_size(bi); ++i) {
          for (Index f = 0; f < dim; ++f) at[std::size_t(f)] = c.coord[std::size_t(f * m + i)];
          squared_distances_to(c.coord.data() + j0, c.size, width, dim, at.data(), inv.data());
          inverse_power(inv.data(), term.data(), width, dim);
          rows[i - block_begin(bi)] = fixed_order_sum(term.data(), width);
          if (bi != bj)
            for (Index j = 0; j < width; ++j) cols[j] += term[std::size_t(j)];
        }
      }
    });
    // A point of block b adds the band's partials in block order: column sums of tiles (I, b)
    // for I < b, then, in b's own row, the row sums of tiles (b, J) for J ≥ b.
    auto partial = [&](const std::vector<double>& part, Index bi, Index bj, Index offset) {
      const std::size_t t = first_tile[std::size_t(bi - band_begin)] + std::size_t(bj - bi);
      return part[t * std::size_t(kCoreBlock) + std::size_t(offset)];
    };
    const auto first_point = std::size_t(block_begin(band_begin));
    executor.parallel_for(std::size_t(m) - first_point, kCoreGrain, [&](Range r) {
      for (auto k = r.begin; k < r.end; ++k) {
        const Index i = Index(first_point + k), b = i / kCoreBlock, offset = i % kCoreBlock;
        double& s = sum[std::size_t(i)];
        for (Index bi = band_begin; bi < std::min(band_end, b); ++bi) s += partial(col_part, bi, b, offset);
        if (b < band_end)
          for (Index bj = b; bj < blocks; ++bj) s += partial(row_part, b, bj, offset);
      }
    });
  }
  std::vector<double> core(static_cast<std::size_t>(m));
  for (Index i = 0; i < m; ++i)
    core[std::size_t(i)] = std::pow(sum[std::size_t(i)] / static_cast<double>(m - 1), -1.0 / static_cast<double>(dim));
  return core;
}

/// numpy.isclose(a, b): |a − b| ≤ 1e-8 + 1e-5·|b|, the reference's tolerance for finding an edge's parent.
bool close(double a, double b) { return std::abs(a - b) <= 1e-8 + 1e-5 * std::abs(b); }

/// reach2[j] = squared mutual reachability distance from member i to every member j.
/// Squares keep every comparison of Prim's tree (sqrt is monotone, and sqrt(x·x) == x
/// exactly) without a square root per pair.
void reachability_row(const ClusterTree& c, Index i, std::vector<double>& reach2) {
  c.members.squared_distances(c.members.point(i).data(), reach2.data());
  const double core2_i = c.core2[std::size_t(i)];
  const double* core2 = c.core2.data();
  double* r = reach2.data();
  for (std::size_t j = 0; j < reach2.size(); ++j) r[j] = std::max(r[j], std::max(core2_i, core2[j]));
}

/// Prim's tree from vertex 0 with the reference's tie rules: the next vertex is
/// the first minimum in vertex order, its parent the smallest vertex already in
/// the tree whose reachability is close to the edge weight.
void build_tree(ClusterTree& c) {
  const auto m = std::size_t(c.members.size);
  c.core2.resize(m);
  for (std::size_t j = 0; j < m; ++j) c.core2[j] = c.core[j] * c.core[j];
  // best2[j]: squared distance from the tree to j; +inf marks vertices already in the tree
  // apart from `in_tree`, so the relaxation below is one branch-free loop.
  std::vector<double> best2(m, kInf), reach2(m);
  std::vector<std::size_t> degree(m, 0);
  std::vector<char> in_tree(m, 0);
  std::vector<std::pair<std::size_t, std::size_t>> edges;  // (new vertex, parent) in Prim's order
  std::vector<double> weights;
  in_tree[0] = 1;
  reachability_row(c, 0, reach2);
  for (std::size_t added = 1; added < m; ++added) {
    std::size_t pick = m;
    double pick_value = kInf;
    for (std::size_t j = 0; j < m; ++j) {
      if (in_tree[j]) continue;
      best2[j] = std::min(best2[j], reach2[j]);
      if (pick == m || best2[j] < pick_value) {
        pick = j;
        pick_value = best2[j];
      }
    }
    const double weight = std::sqrt(pick_value);
    reachability_row(c, Index(pick), reach2);
    // Only a vertex whose squared reachability is below (weight + tolerance)² can be close.
    const double tolerance = 1e-8 + 1e-5 * weight;
    const double bound2 = (weight + tolerance) * (weight + tolerance);
    std::size_t parent = m;
    for (std::size_t v = 0; v < m && parent == m; ++v)
      if (in_tree[v] && reach2[v] <= bound2 && close(std::sqrt(reach2[v]), weight)) parent = v;
    if (parent == m) throw std::logic_error("dbcv: no parent found for an MST edge");
    in_tree[pick] = 1;
    ++degree[pick];
    ++degree[parent];
    edges.emplace_back(pick, parent);
    weights.push_back(weight);
  }
  for (std::size_t v = 0; v < m; ++v)
    if (degree[v] > 1) c.internal.push_back(Index(v));
  double internal_max = -kInf, all_max = -kInf;
  for (std::size_t e = 0; e < edges.size(); ++e) {
    all_max = std::max(all_max, weights[e]);
    if (degree[edges[e].first] > 1 && degree[edges[e].second] > 1) internal_max = std::max(internal_max, weights[e]);
  }
  // Sparseness is undefined without internal edges; the authors' code then takes all edges.
  c.sparseness = internal_max > -kInf ? internal_max : all_max;
  for (const Index v : c.internal) c.internal_core.push_back(c.core[std::size_t(v)]);
}

/// Smallest mutual reachability distance between internal vertices of a and b.
/// It is at least max(core_a[i], smallest core of b), which skips most of a's vertices.
double separation(const ClusterTree& a, const ClusterTree& b) {
  if (a.internal.empty() || b.internal.empty()) return kInf;
  const double b_core_min = *std::min_element(b.internal_core.begin(), b.internal_core.end());
  std::vector<double> d2(static_cast<std::size_t>(b.internal_points.size));
  double out = kInf;
  for (std::size_t i = 0; i < a.internal.size(); ++i) {
    const double core_i = a.internal_core[i];
    if (std::max(core_i, b_core_min) >= out) continue;
    b.internal_points.squared_distances(a.internal_points.point(Index(i)).data(), d2.data());
    const double core2_i = core_i * core_i;
    double out2 = out * out;
    for (std::size_t j = 0; j < d2.size(); ++j)
      out2 = std::min(out2, std::max(d2[j], std::max(core2_i, b.internal_core[j] * b.internal_core[j])));
    out = std::sqrt(out2);
  }
  return out;
}

}  // namespace

std::vector<double> detail::dbcv_core_distances(MatrixView points, const Executor& executor, std::size_t band_tiles) {
  std::vector<Index> rows(static_cast<std::size_t>(points.rows()));
  for (Index i = 0; i < points.rows(); ++i) rows[std::size_t(i)] = i;
  return core_distances(ClusterPoints(points, rows), executor, band_tiles);
}

double dbcv(MatrixView points, const Labels& labels, const Executor& executor) {
  if (static_cast<Index>(labels.size()) != points.rows())
    throw InputError("dbcv: " + std::to_string(labels.size()) + " labels for " + std::to_string(points.rows()) +
                     " points");
  Label clusters = 0;
  for (const Label l : labels) clusters = std::max(clusters, static_cast<Label>(l + 1));
  std::vector<ClusterTree> trees(static_cast<std::size_t>(clusters));
  for (Index i = 0; i < points.rows(); ++i)
    if (labels[static_cast<std::size_t>(i)] >= 0)
      trees[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])].rows.push_back(i);
  std::erase_if(trees, [](const ClusterTree& t) { return t.rows.empty(); });
  if (trees.size() < 2) return kNaN;
  for (const auto& t : trees)
    if (t.rows.size() < 3) return kNaN;
  for (auto& t : trees) {
    t.members = ClusterPoints(points, t.rows);
    t.core = core_distances(t.members, executor, detail::kCoreBandTiles);
    build_tree(t);
    std::vector<Index> internal_rows;
    for (const Index v : t.internal) internal_rows.push_back(t.rows[std::size_t(v)]);
    t.internal_points = ClusterPoints(points, internal_rows);
  }
  const std::size_t c = trees.size();
  std::vector<double> between(c * c, kInf);  // symmetric: each pair once
  executor.parallel_for(c, 1, [&](Range r) {
    for (auto i = r.begin; i < r.end; ++i)
      for (std::size_t j = i + 1; j < c; ++j) between[i * c + j] = separation(trees[i], trees[j]);
  });
  double result = 0;
  for (std::size_t i = 0; i < c; ++i) {
    double nearest = kInf;
    for (std::size_t j = 0; j < c; ++j)
      if (j != i) nearest = std::min(nearest, between[std::min(i, j) * c + std::max(i, j)]);
    const double validity = (nearest - trees[i].sparseness) / std::max(nearest, trees[i].sparseness);
    result += static_cast<double>(trees[i].rows.size()) / static_cast<double>(points.rows()) * validity;
  }
  return result;
}

}  // namespace cb::metrics
