// Exact silhouette over distance tiles, each distance computed once.
//
// The labelings are first grouped by their meet (labeling_meet.hpp): one
// pass fills, per point, the sums of distances to the cells of each group's
// meet, and each labeling's cluster sums are the totals of its cells. The
// points are ordered by the cells of the first group, then cut into tiles of
// `row_tile` points. Every unordered pair of tiles (a, b) is visited once:
// distances by the direct sum of squared differences (no ‖x‖²+‖y‖²−2x·y
// cancellation), vectorised over the points of tile a, in blocks of col_tile
// points of b, rounded to a fixed-point grid (distance_kernel.hpp). They are
// added into per-point sums over each cell: for the points of a, each cell's
// member rows of the block are summed in registers and added once; for the
// points of b, the first group's cells are runs of a's points (sums along
// rows), the other groups use the transposed block the same way as for a.
// Memory: the data, and per point one sum per cell of every group.
//
// Determinism: the sums are integers, so they are exact: each point's value
// depends on the data and its labeling only — not on the thread count, the
// tiles, nor on which other labelings share the pass (a resumed grid scores
// another subset of runs together than a clean one and must store the same
// numbers). Tile pairs are still scheduled in rounds (the circle method of a
// round-robin tournament), so within a round every tile occurs in one pair
// only and no two tasks write the same sums.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports false "may be used uninitialized" inside Eigen's AVX-512 kernels (-march=native builds).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "clusterbench/metrics/silhouette.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "clusterbench/core/error.hpp"
#include "distance_kernel.hpp"
#include "label_encoding.hpp"
#include "labeling_meet.hpp"
#include "point_silhouette.hpp"
#include "silhouette_sampled.hpp"

namespace cb::metrics {
namespace {

constexpr Index kPad = 32;  // tiles and column blocks are padded to this (a multiple of kDistanceRowBlock)
static_assert(kPad % detail::kDistanceRowBlock == 0 && kPad % detail::kRowSumChunk == 0);
constexpr Index kDefaultRowTile = 128;  // points per tile
constexpr Index kDefaultColTile = 64;   // columns of tile b per distance block (64×128 sums = 64 KiB)

using Fixed = std::int64_t;

Index round_up(Index x, Index m) { return (x + m - 1) / m * m; }

/// One group's place in the pass: the cell of every point (kNoise: in no
/// cell) and its rows of the per-tile sums (cells, then one dump row).
struct PassLabeling {
  const std::vector<Label>* cells = nullptr;
  Index cell_count = 0;
  Index first_row = 0;
  Index dump_row() const { return first_row + cell_count; }
};

using detail::point_silhouette;

/// One tile of points: its range, its points feature-major (zero-padded to
/// rp), and its points' fixed-point sums of distances (sum_rows × rp, row-major).
struct Tile {
  Index begin = 0;
  Index size = 0;
  Index rp = 0;
  std::vector<double> xt;
  std::vector<Fixed> sums;
};

/// The pairs of tiles of round r of a round-robin over m tiles (circle
/// method, r < round_count(m)): over all rounds every unordered pair occurs
/// exactly once, and within a round every tile at most once.
Index round_count(Index m) { return m % 2 == 0 ? m - 1 : m; }

std::vector<std::pair<Index, Index>> round_pairs(Index m, Index r) {
  const Index players = m % 2 == 0 ? m : m + 1;  // an odd count gets a "bye" player
  const Index ring = players - 1;
  std::vector<std::pair<Index, Index>> pairs;
  pairs.emplace_back(r, players - 1);
  for (Index k = 1; k < players / 2; ++k) pairs.emplace_back((r + k) % ring, (r - k + ring) % ring);
  std::erase_if(pairs, [m](const auto& p) { return p.first >= m || p.second >= m; });
  return pairs;
}

class SilhouettePass {
 public:
  /// The points are ordered so that each cell of plans[0] is a run of
  /// consecutive points.
  SilhouettePass(const Matrix& centred, const std::vector<PassLabeling>& plans, Index sum_rows, Index row_tile,
                 Index col_tile, double scale)
      : x_(centred), plans_(plans), sum_rows_(sum_rows), col_tile_(col_tile), scale_(scale) {
    const Index n = x_.rows();
    const Index d = x_.cols();
    const auto L = static_cast<Index>(plans.size());
    codes_.resize(static_cast<std::size_t>(n * L));
    for (Index l = 0; l < L; ++l) {
      const auto& plan = plans[static_cast<std::size_t>(l)];
      for (Index j = 0; j < n; ++j) {
        const Label c = (*plan.cells)[static_cast<std::size_t>(j)];
        codes_[static_cast<std::size_t>(j * L + l)] =
            static_cast<std::int32_t>(c == kNoise ? plan.dump_row() : plan.first_row + c);
      }
    }
    for (Index begin = 0; begin < n; begin += row_tile) {
      Tile t;
      t.begin = begin;
      t.size = std::min(row_tile, n - begin);
      t.rp = round_up(t.size, kPad);
      t.xt.assign(static_cast<std::size_t>(d * t.rp), 0.0);
      for (Index r = 0; r < t.size; ++r)
        for (Index f = 0; f < d; ++f) t.xt[static_cast<std::size_t>(f * t.rp + r)] = x_(begin + r, f);
      t.sums.assign(static_cast<std::size_t>(sum_rows_ * t.rp), 0);
      tiles_.push_back(std::move(t));
    }
    group_blocks();
    find_runs();
  }

  Index tile_count() const { return static_cast<Index>(tiles_.size()); }
  const Tile& tile(Index t) const { return tiles_[static_cast<std::size_t>(t)]; }

  /// Adds the distances between the points of tiles a and b (a == b: within one tile).
  void visit(Index ia, Index ib) {
    Tile& a = tiles_[static_cast<std::size_t>(ia)];
    Tile& b = tiles_[static_cast<std::size_t>(ib)];
    const auto L = static_cast<Index>(plans_.size());
    const Index d = x_.cols();
    const Index cp = round_up(col_tile_, kPad);
    // Per-thread scratch, reused across visits (zeroing 128 KiB per visit cost more than the adds of a small group).
    thread_local std::vector<Fixed> dist, dist_t;
    dist.resize(static_cast<std::size_t>(cp * a.rp));      // cols × a.rp
    dist_t.resize(static_cast<std::size_t>(a.size * cp));  // a.size × cols, row stride cp
    using RowMajor = Eigen::Matrix<Fixed, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    for (Index j0 = 0; j0 < b.size; j0 += col_tile_) {
      const Index cols = std::min(col_tile_, b.size - j0);
      detail::distance_block_fixed(a.xt.data(), a.rp, x_.row(b.begin + j0).data(), cols, d, scale_, dist.data());
      const bool mirror = ia != ib;
      if (mirror && L > 1) {  // the transposed block feeds the points of b for all groups but the first
        Eigen::Map<const RowMajor> src(dist.data(), cols, a.rp);
        Eigen::Map<RowMajor, 0, Eigen::OuterStride<>> target(dist_t.data(), a.size, cols, Eigen::OuterStride<>(cp));
        target = src.leftCols(a.size).transpose();
        if (const Index padded = round_up(cols, kPad); padded > cols)  // summed into b's padding: keep them defined
          for (Index r = 0; r < a.size; ++r)
            std::fill(dist_t.begin() + r * cp + cols, dist_t.begin() + r * cp + padded, Fixed{0});
      }
      // Per cell: sum the distance rows of its members in registers, then
      // add once to the cell's row of sums.
      const Index block_b = first_block_[static_cast<std::size_t>(ib)] + j0 / col_tile_;
      for (Index l = 0; l < L; ++l) {
        add_grouped(block_b, l, dist.data(), a.rp, a.rp, a.sums.data(), 0);
        if (!mirror) continue;
        if (l == 0) {  // the cells of a are runs of its points: sum along the rows of the block
          for (const auto& run : runs_[static_cast<std::size_t>(ia)]) {
            Fixed* target = b.sums.data() + run.row * b.rp + j0;
            for (Index jj = 0; jj < cols; ++jj)
              target[jj] += Eigen::Map<const Eigen::Array<Fixed, Eigen::Dynamic, 1>>(
                                dist.data() + jj * a.rp + run.begin, run.end - run.begin)
                                .sum();
          }
          continue;
        }
        for (Index ja = 0, block_a = first_block_[static_cast<std::size_t>(ia)]; ja < a.size;
             ja += col_tile_, ++block_a)
          add_grouped(block_a, l, dist_t.data() + ja * cp, cp, round_up(cols, kPad), b.sums.data() + j0, b.rp);
      }
    }
  }

 private:
  Index code(Index point, Index l) const {
    return codes_[static_cast<std::size_t>(point * static_cast<Index>(plans_.size()) + l)];
  }

  /// One cell's members within a block of col_tile points of a tile.
  struct Segment {
    std::int32_t row;    // row of the sums (the cell's)
    std::int32_t begin;  // into members_
    std::int32_t end;
  };

  /// Groups the points of every block (col_tile consecutive points of a tile)
  /// by cell, per group; points in no cell are left out.
  void group_blocks() {
    const auto L = static_cast<Index>(plans_.size());
    std::vector<std::pair<std::int32_t, std::int32_t>> keyed;  // (row, offset in block)
    for (const Tile& t : tiles_) {
      first_block_.push_back(static_cast<Index>(block_segments_.size()) / std::max<Index>(L, 1));
      for (Index s0 = 0; s0 < t.size; s0 += col_tile_) {
        const Index count = std::min(col_tile_, t.size - s0);
        for (Index l = 0; l < L; ++l) {
          const auto dump = static_cast<std::int32_t>(plans_[static_cast<std::size_t>(l)].dump_row());
          keyed.clear();
          for (Index o = 0; o < count; ++o)
            if (const auto row = static_cast<std::int32_t>(code(t.begin + s0 + o, l)); row != dump)
              keyed.emplace_back(row, static_cast<std::int32_t>(o));
          std::sort(keyed.begin(), keyed.end());  // by cell, then by point: a fixed order
          const auto first_segment = static_cast<std::int32_t>(segments_.size());
          for (std::size_t i = 0; i < keyed.size(); ++i) {
            if (i == 0 || keyed[i].first != keyed[i - 1].first)
              segments_.push_back({keyed[i].first, static_cast<std::int32_t>(members_.size()), 0});
            members_.push_back(keyed[i].second);
            segments_.back().end = static_cast<std::int32_t>(members_.size());
          }
          block_segments_.emplace_back(first_segment, static_cast<std::int32_t>(segments_.size()));
        }
      }
    }
  }

  /// Runs of consecutive points of one cell of the first group, per tile.
  void find_runs() {
    const auto dump = static_cast<std::int32_t>(plans_.front().dump_row());
    for (const Tile& t : tiles_) {
      std::vector<Segment> runs;
      for (Index r = 0; r < t.size; ++r) {
        const auto row = static_cast<std::int32_t>(code(t.begin + r, 0));
        if (row == dump) continue;
        if (runs.empty() || runs.back().row != row || runs.back().end != r)
          runs.push_back({row, static_cast<std::int32_t>(r), static_cast<std::int32_t>(r)});
        runs.back().end = static_cast<std::int32_t>(r + 1);
      }
      runs_.push_back(std::move(runs));
    }
  }

  /// For each cell of block `block` under group l: the sum of the rows
  /// source[member*stride + 0..width) of its members, added to
  /// target[row*target_stride + 0..width). width is a multiple of kPad.
  void add_grouped(Index block, Index l, const Fixed* source, Index stride, Index width, Fixed* target,
                   Index target_stride) const {
    if (target_stride == 0) target_stride = width;
    const auto [first, last] = block_segments_[static_cast<std::size_t>(block * static_cast<Index>(plans_.size()) + l)];
    for (auto s = first; s < last; ++s) {
      const Segment& seg = segments_[static_cast<std::size_t>(s)];
      detail::add_row_sum_fixed(source, stride, members_.data() + seg.begin, seg.end - seg.begin, width,
                                target + seg.row * target_stride);
    }
  }

  const Matrix& x_;
  const std::vector<PassLabeling>& plans_;
  Index sum_rows_;
  Index col_tile_;
  double scale_;
  std::vector<std::int32_t> codes_;  // codes_[j*L + l]: the row of the tile sums point j adds to for group l
  std::vector<Tile> tiles_;
  std::vector<Index> first_block_;                                     // per tile: index of its first block
  std::vector<std::pair<std::int32_t, std::int32_t>> block_segments_;  // per (block, group): segment range
  std::vector<Segment> segments_;
  std::vector<std::int32_t> members_;
  std::vector<std::vector<Segment>> runs_;  // per tile: runs of the first group (begin/end are tile offsets)
};

/// An upper bound of every distance between the points: the diagonal of their bounding box.
double bounding_diagonal(const Matrix& x) {
  if (x.rows() == 0) return 0;
  return (x.colwise().maxCoeff() - x.colwise().minCoeff()).norm();
}

}  // namespace

std::vector<SilhouetteResult> silhouette_many(MatrixView points, std::span<const Labels> labelings,
                                              const SilhouetteOptions& options, const Executor& executor) {
  const Index n = points.rows();
  if (n == 0) throw InputError("silhouette: the data has no points");
  if (options.row_tile < 0 || options.col_tile < 0)
    throw InputError("silhouette: row_tile and col_tile must be >= 0 (0 = automatic)");
  if (!options.sample_rows.empty()) return detail::silhouette_many_sampled(points, labelings, options, executor);
  const auto L = static_cast<Index>(labelings.size());

  std::vector<detail::EncodedLabels> encoded(static_cast<std::size_t>(L));
  std::vector<SilhouetteResult> results(static_cast<std::size_t>(L));
  std::vector<Index> scored;  // labelings whose silhouette is defined
  for (Index l = 0; l < L; ++l) {
    const Labels& labels = labelings[static_cast<std::size_t>(l)];
    if (static_cast<Index>(labels.size()) != n)
      throw InputError("silhouette: labeling " + std::to_string(l) + " has " + std::to_string(labels.size()) +
                       " labels for " + std::to_string(n) + " points");
    auto& enc = encoded[static_cast<std::size_t>(l)];
    enc = detail::encode_labels(labels, /*exclude_noise=*/true);
    auto& res = results[static_cast<std::size_t>(l)];
    res.noise_excluded = enc.noise;
    res.points_scored = n - enc.noise;
    res.clusters = enc.clusters();
    if (options.per_sample) res.per_sample = Vector::Constant(n, std::numeric_limits<double>::quiet_NaN());
    if (res.clusters >= 2 && res.clusters <= res.points_scored - 1) {
      scored.push_back(l);
    } else {
      res.status = "undefined";
      res.mean = std::numeric_limits<double>::quiet_NaN();
    }
  }
  if (scored.empty()) return results;

  const auto groups = detail::group_by_meet(encoded, scored, {});

  // Order the points by the cells of the first group (points in none last),
  // so each cell is a run of consecutive points; the pass works in that order
  // and the values are put back at the end.
  std::vector<Index> order(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  {
    const auto& cells = groups.front().cells;
    const auto key = [&](Index i) {
      const Label c = cells[static_cast<std::size_t>(i)];
      return c == kNoise ? std::numeric_limits<Label>::max() : c;
    };
    std::stable_sort(order.begin(), order.end(), [&](Index x, Index y) { return key(x) < key(y); });
  }
  std::vector<std::vector<Label>> ordered_cells(groups.size(), std::vector<Label>(static_cast<std::size_t>(n)));
  std::vector<PassLabeling> plans(groups.size());
  Index sum_rows = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (Index p = 0; p < n; ++p)
      ordered_cells[g][static_cast<std::size_t>(p)] =
          groups[g].cells[static_cast<std::size_t>(order[static_cast<std::size_t>(p)])];
    plans[g] = {&ordered_cells[g], groups[g].cell_count, sum_rows};
    sum_rows += groups[g].cell_count + 1;
  }

  // Centre the data: distances are unchanged, rounding of the differences is smaller.
  const Eigen::RowVectorXd mean = points.colwise().sum() / static_cast<double>(n);
  Matrix centred(n, points.cols());
  for (Index p = 0; p < n; ++p) centred.row(p) = points.row(order[static_cast<std::size_t>(p)]) - mean;
  const double scale = detail::fixed_point_scale(n, bounding_diagonal(centred));

  const Index row_tile = options.row_tile > 0 ? options.row_tile : kDefaultRowTile;
  // Column blocks are whole multiples of kPad within a tile, or the whole tile.
  Index col_tile = round_up(options.col_tile > 0 ? options.col_tile : kDefaultColTile, kPad);
  if (col_tile >= row_tile) col_tile = row_tile;
  SilhouettePass pass(centred, plans, sum_rows, row_tile, col_tile, scale);
  const Index m = pass.tile_count();

  // Within each tile first, then the rounds of tile pairs.
  executor.for_chunks(static_cast<std::size_t>(m), 1, [&](std::size_t, Range r) {
    for (auto t = r.begin; t < r.end; ++t) pass.visit(static_cast<Index>(t), static_cast<Index>(t));
  });
  for (Index round_index = 0; round_index < round_count(m); ++round_index) {
    const auto round = round_pairs(m, round_index);
    executor.for_chunks(round.size(), 1, [&](std::size_t, Range r) {
      for (auto p = r.begin; p < r.end; ++p) pass.visit(round[p].first, round[p].second);
    });
  }

  // Per tile: fold each group's cells into its members' clusters, then score the points.
  Matrix values = Matrix::Constant(n, L, std::numeric_limits<double>::quiet_NaN());
  executor.for_chunks(static_cast<std::size_t>(m), 1, [&](std::size_t, Range range) {
    const Tile& t = pass.tile(static_cast<Index>(range.begin));
    std::vector<Fixed> folded;
    std::vector<double> sums;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto& group = groups[g];
      const Fixed* cell_sums = t.sums.data() + plans[g].first_row * t.rp;
      for (std::size_t member = 0; member < group.members.size(); ++member) {
        const Index l = group.members[member];
        const auto& enc = encoded[static_cast<std::size_t>(l)];
        const auto& cluster_of = group.cluster_of_cell[member];
        const Index k = enc.clusters();
        folded.assign(static_cast<std::size_t>(k * t.rp), 0);
        for (Index c = 0; c < group.cell_count; ++c)
          if (const Label cluster = cluster_of[static_cast<std::size_t>(c)]; cluster != kNoise)
            Eigen::Map<Eigen::Array<Fixed, Eigen::Dynamic, 1>>(folded.data() + cluster * t.rp, t.rp) +=
                Eigen::Map<const Eigen::Array<Fixed, Eigen::Dynamic, 1>>(cell_sums + c * t.rp, t.rp);
        sums.resize(folded.size());
        for (std::size_t i = 0; i < folded.size(); ++i)
          sums[i] = static_cast<double>(folded[i]) / scale;  // exact: scale is 2^e
        for (Index r = 0; r < t.size; ++r) {
          const Index point = order[static_cast<std::size_t>(t.begin + r)];
          const Label own = enc.codes[static_cast<std::size_t>(point)];
          if (own != kNoise) values(point, l) = point_silhouette(sums.data() + r, t.rp, own, enc.counts);
        }
      }
    }
  });

  for (Index l : scored) {
    auto& res = results[static_cast<std::size_t>(l)];
    if (options.per_sample) res.per_sample = values.col(l);
    double total = 0;
    for (Index i = 0; i < n; ++i)
      if (encoded[static_cast<std::size_t>(l)].codes[static_cast<std::size_t>(i)] != kNoise) total += values(i, l);
    res.mean = total / static_cast<double>(res.points_scored);
    res.sample_size = res.points_scored;
    res.ci_low = res.ci_high = res.mean;  // exact: the interval collapses
  }
  return results;
}

SilhouetteResult silhouette(MatrixView points, const Labels& labels, const SilhouetteOptions& options,
                            const Executor& executor) {
  return silhouette_many(points, std::span<const Labels>(&labels, 1), options, executor).front();
}

}  // namespace cb::metrics
