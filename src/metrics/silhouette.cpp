// Exact silhouette over distance tiles, each distance computed once.
//
// The points are centred and ordered by the clusters of the first scored
// labeling, then cut into tiles of `row_tile` points. Every unordered pair of
// tiles (a, b) is visited once: distances by the direct sum of squared
// differences (no ‖x‖²+‖y‖²−2x·y cancellation; distance_kernel.hpp),
// vectorised over the points of tile a, in blocks of col_tile points of b.
// They are added into per-point sums of distances to each cluster of each
// labeling: for the points of a, each cluster's member rows of the block are
// summed in registers and added once; for the points of b, the first
// labeling's clusters are runs of a's points (sums along rows), the other
// labelings use the transposed block the same way as for a.
// Memory: the data, and per point one sum per cluster of every labeling.
//
// Determinism: tile pairs are scheduled in rounds (the circle method of a
// round-robin tournament), so within a round every tile occurs in one pair
// only. Rounds run one after another, pairs of a round in parallel. So each
// point's sums receive their terms in an order fixed by n and the tile size,
// never by the thread count.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports false "may be used uninitialized" inside Eigen's AVX-512 GEMM kernel (-march=native builds).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "clusterbench/metrics/silhouette.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "clusterbench/core/error.hpp"
#include "distance_kernel.hpp"
#include "label_encoding.hpp"
#include "point_silhouette.hpp"
#include "silhouette_sampled.hpp"

namespace cb::metrics {
namespace {

constexpr Index kPad = 32;  // tiles and column blocks are padded to this (a multiple of kDistanceRowBlock)
static_assert(kPad % detail::kDistanceRowBlock == 0 && kPad % detail::kRowSumChunk == 0);
constexpr Index kDefaultRowTile = 128;  // points per tile
constexpr Index kDefaultColTile = 64;   // columns of tile b per distance block (64×128 doubles = 64 KiB)

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Index round_up(Index x, Index m) { return (x + m - 1) / m * m; }

/// One labeling's place in the pass: its dense codes and its rows of the
/// per-tile sums (clusters, then one dump row that swallows noise).
struct LabelingPlan {
  detail::EncodedLabels encoded;
  Index first_row = 0;
  bool defined = false;
};

using detail::point_silhouette;

/// One tile of points: its range, its points feature-major (zero-padded to
/// rp), and its points' sums of distances (sum_rows × rp, row-major).
struct Tile {
  Index begin = 0;
  Index size = 0;
  Index rp = 0;
  std::vector<double> xt;
  std::vector<double> sums;
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
  /// `sorted`: a defined labeling by whose clusters the points are ordered
  /// (each cluster a run of consecutive points), or -1 for none.
  SilhouettePass(const Matrix& centred, const std::vector<LabelingPlan>& plans, Index sum_rows, Index row_tile,
                 Index col_tile, bool gemm, Index sorted)
      : x_(centred), plans_(plans), sum_rows_(sum_rows), col_tile_(col_tile), gemm_(gemm), sorted_(sorted) {
    const Index n = x_.rows();
    const Index d = x_.cols();
    const auto L = static_cast<Index>(plans.size());
    codes_.resize(static_cast<std::size_t>(n * L));
    for (Index l = 0; l < L; ++l) {
      const auto& plan = plans[static_cast<std::size_t>(l)];
      const Index dump = plan.first_row + plan.encoded.clusters();
      for (Index j = 0; j < n; ++j) {
        const Label c = plan.encoded.codes[static_cast<std::size_t>(j)];
        codes_[static_cast<std::size_t>(j * L + l)] = static_cast<std::int32_t>(c == kNoise ? dump : plan.first_row + c);
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
      t.sums.assign(static_cast<std::size_t>(sum_rows_ * t.rp), 0.0);
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
    std::vector<double> dist(static_cast<std::size_t>(cp * a.rp), 0.0);       // cols × a.rp
    std::vector<double> dist_t(static_cast<std::size_t>(a.size * cp), 0.0);   // a.size × cols, row stride cp
    // Only labelings other than the sorted one need the transposed block.
    const bool need_transpose = gemm_ || std::any_of(plans_.begin(), plans_.end(), [&](const LabelingPlan& p) {
                                  return p.defined && (sorted_ < 0 || &p != &plans_[static_cast<std::size_t>(sorted_)]);
                                });
    Eigen::MatrixXd onehot_a, onehot_b;
    if (gemm_) {
      onehot_a = one_hot(a.begin, a.size);
      onehot_b.resize(sum_rows_, col_tile_);
    }
    for (Index j0 = 0; j0 < b.size; j0 += col_tile_) {
      const Index cols = std::min(col_tile_, b.size - j0);
      detail::distance_block(a.xt.data(), a.rp, x_.row(b.begin + j0).data(), cols, d, dist.data());
      const bool mirror = ia != ib;
      if (mirror && need_transpose) {  // the transposed block feeds the points of b
        Eigen::Map<const RowMajor> src(dist.data(), cols, a.rp);
        Eigen::Map<RowMajor, 0, Eigen::OuterStride<>>(dist_t.data(), a.size, cols, Eigen::OuterStride<>(cp)) =
            src.leftCols(a.size).transpose();
      }
      if (gemm_) {
        onehot_b.leftCols(cols) = one_hot(b.begin + j0, cols);
        Eigen::Map<RowMajor>(a.sums.data(), sum_rows_, a.rp).noalias() +=
            onehot_b.leftCols(cols) * Eigen::Map<const RowMajor>(dist.data(), cols, a.rp);
        if (mirror)
          Eigen::Map<RowMajor>(b.sums.data(), sum_rows_, b.rp).middleCols(j0, cols).noalias() +=
              onehot_a * Eigen::Map<const RowMajor, 0, Eigen::OuterStride<>>(dist_t.data(), a.size, cols,
                                                                           Eigen::OuterStride<>(cp));
        continue;
      }
      // Per cluster: sum the distance rows of its members in registers, then
      // add once to the cluster's row of sums.
      const Index block_b = first_block_[static_cast<std::size_t>(ib)] + j0 / col_tile_;
      for (Index l = 0; l < L; ++l) {
        if (!plans_[static_cast<std::size_t>(l)].defined) continue;
        add_grouped(block_b, l, dist.data(), a.rp, a.rp, a.sums.data(), 0);
        if (!mirror) continue;
        if (l == sorted_) {  // the clusters of a are runs of its points: sum along the rows of the block
          for (const auto& run : runs_[static_cast<std::size_t>(ia)]) {
            double* target = b.sums.data() + run.row * b.rp + j0;
            for (Index jj = 0; jj < cols; ++jj)
              target[jj] += Eigen::Map<const Eigen::ArrayXd>(dist.data() + jj * a.rp + run.begin, run.end - run.begin).sum();
          }
          continue;
        }
        for (Index ja = 0, block_a = first_block_[static_cast<std::size_t>(ia)]; ja < a.size; ja += col_tile_, ++block_a)
          add_grouped(block_a, l, dist_t.data() + ja * cp, cp, round_up(cols, kPad), b.sums.data() + j0, b.rp);
      }
    }
  }

 private:
  Index code(Index point, Index l) const {
    return codes_[static_cast<std::size_t>(point * static_cast<Index>(plans_.size()) + l)];
  }
  /// Stacked one-hot rows (sum_rows × count) of points [begin, begin+count).
  Eigen::MatrixXd one_hot(Index begin, Index count) const {
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(sum_rows_, count);
    for (Index j = 0; j < count; ++j)
      for (Index l = 0; l < static_cast<Index>(plans_.size()); ++l) h(code(begin + j, l), j) = 1.0;
    return h;
  }

  /// One cluster's members within a block of col_tile points of a tile.
  struct Segment {
    std::int32_t row;    // row of the sums (cluster code of the labeling)
    std::int32_t begin;  // into members_
    std::int32_t end;
  };

  /// Groups the points of every block (col_tile consecutive points of a tile)
  /// by cluster, per labeling; noise points are left out.
  void group_blocks() {
    const auto L = static_cast<Index>(plans_.size());
    std::vector<std::pair<std::int32_t, std::int32_t>> keyed;  // (row, offset in block)
    for (const Tile& t : tiles_) {
      first_block_.push_back(static_cast<Index>(block_segments_.size()) / std::max<Index>(L, 1));
      for (Index s0 = 0; s0 < t.size; s0 += col_tile_) {
        const Index count = std::min(col_tile_, t.size - s0);
        for (Index l = 0; l < L; ++l) {
          const auto& plan = plans_[static_cast<std::size_t>(l)];
          const auto dump = static_cast<std::int32_t>(plan.first_row + plan.encoded.clusters());
          keyed.clear();
          if (!plan.defined) {  // not scored: no segments
            block_segments_.emplace_back(0, 0);
            continue;
          }
          for (Index o = 0; o < count; ++o)
            if (const auto row = static_cast<std::int32_t>(code(t.begin + s0 + o, l)); row != dump)
              keyed.emplace_back(row, static_cast<std::int32_t>(o));
          std::sort(keyed.begin(), keyed.end());  // by cluster, then by point: a fixed order
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

  /// Runs of consecutive points of one cluster of the sorted labeling, per tile.
  void find_runs() {
    if (sorted_ < 0) return;
    const auto& plan = plans_[static_cast<std::size_t>(sorted_)];
    const auto dump = static_cast<std::int32_t>(plan.first_row + plan.encoded.clusters());
    for (const Tile& t : tiles_) {
      std::vector<Segment> runs;
      for (Index r = 0; r < t.size; ++r) {
        const auto row = static_cast<std::int32_t>(code(t.begin + r, sorted_));
        if (row == dump) continue;
        if (runs.empty() || runs.back().row != row || runs.back().end != r)
          runs.push_back({row, static_cast<std::int32_t>(r), static_cast<std::int32_t>(r)});
        runs.back().end = static_cast<std::int32_t>(r + 1);
      }
      runs_.push_back(std::move(runs));
    }
  }

  /// For each cluster of block `block` under labeling l: the sum of the rows
  /// source[member*stride + 0..width) of its members, added to
  /// target[row*target_stride + 0..width). width is a multiple of kPad.
  void add_grouped(Index block, Index l, const double* source, Index stride, Index width, double* target,
                   Index target_stride) const {
    if (target_stride == 0) target_stride = width;
    const auto [first, last] = block_segments_[static_cast<std::size_t>(block * static_cast<Index>(plans_.size()) + l)];
    for (auto s = first; s < last; ++s) {
      const Segment& seg = segments_[static_cast<std::size_t>(s)];
      detail::add_row_sum(source, stride, members_.data() + seg.begin, seg.end - seg.begin, width,
                          target + seg.row * target_stride);
    }
  }

  const Matrix& x_;
  const std::vector<LabelingPlan>& plans_;
  Index sum_rows_;
  Index col_tile_;
  bool gemm_;
  Index sorted_;
  std::vector<std::int32_t> codes_;  // codes_[j*L + l]: the row of the tile sums point j adds to for labeling l
  std::vector<Tile> tiles_;
  std::vector<Index> first_block_;  // per tile: index of its first block
  std::vector<std::pair<std::int32_t, std::int32_t>> block_segments_;  // per (block, labeling): segment range
  std::vector<Segment> segments_;
  std::vector<std::int32_t> members_;
  std::vector<std::vector<Segment>> runs_;  // per tile: runs of the sorted labeling (begin/end are tile offsets)
};

}  // namespace

std::vector<SilhouetteResult> silhouette_many(MatrixView points, std::span<const Labels> labelings,
                                              const SilhouetteOptions& options, const Executor& executor) {
  const Index n = points.rows();
  if (n == 0) throw InputError("silhouette: the data has no points");
  if (options.row_tile < 0 || options.col_tile < 0)
    throw InputError("silhouette: row_tile and col_tile must be >= 0 (0 = automatic)");
  if (!options.sample_rows.empty()) return detail::silhouette_many_sampled(points, labelings, options, executor);
  const auto L = static_cast<Index>(labelings.size());

  std::vector<LabelingPlan> plans(static_cast<std::size_t>(L));
  std::vector<SilhouetteResult> results(static_cast<std::size_t>(L));
  Index sum_rows = 0;
  bool any_defined = false;
  for (Index l = 0; l < L; ++l) {
    const Labels& labels = labelings[static_cast<std::size_t>(l)];
    if (static_cast<Index>(labels.size()) != n)
      throw InputError("silhouette: labeling " + std::to_string(l) + " has " + std::to_string(labels.size()) +
                       " labels for " + std::to_string(n) + " points");
    auto& plan = plans[static_cast<std::size_t>(l)];
    plan.encoded = detail::encode_labels(labels, /*exclude_noise=*/true);
    plan.first_row = sum_rows;
    sum_rows += plan.encoded.clusters() + 1;
    auto& res = results[static_cast<std::size_t>(l)];
    res.noise_excluded = plan.encoded.noise;
    res.points_scored = n - plan.encoded.noise;
    res.clusters = plan.encoded.clusters();
    plan.defined = res.clusters >= 2 && res.clusters <= res.points_scored - 1;
    any_defined = any_defined || plan.defined;
    if (!plan.defined) {
      res.status = "undefined";
      res.mean = std::numeric_limits<double>::quiet_NaN();
    }
    if (options.per_sample) res.per_sample = Vector::Constant(n, std::numeric_limits<double>::quiet_NaN());
  }
  if (!any_defined) return results;

  // Order the points by the clusters of the first scored labeling (noise
  // last), so each of its clusters is a run of consecutive points; the pass
  // works in that order and the values are put back at the end. Batch-invariant
  // passes order by the first coordinate instead (nearby points tend to share
  // clusters, so blocks still hold few clusters) and treat all labelings alike.
  Index sorted = 0;
  while (!plans[static_cast<std::size_t>(sorted)].defined) ++sorted;
  std::vector<Index> order(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  if (options.batch_invariant) {
    sorted = -1;
    std::stable_sort(order.begin(), order.end(), [&](Index x, Index y) { return points(x, 0) < points(y, 0); });
  } else {
    const auto& key_codes = plans[static_cast<std::size_t>(sorted)].encoded.codes;
    const auto key = [&](Index i) {
      const Label c = key_codes[static_cast<std::size_t>(i)];
      return c == kNoise ? std::numeric_limits<Label>::max() : c;
    };
    std::stable_sort(order.begin(), order.end(), [&](Index x, Index y) { return key(x) < key(y); });
  }
  std::vector<LabelingPlan> ordered_plans = plans;
  for (std::size_t l = 0; l < plans.size(); ++l)
    for (Index p = 0; p < n; ++p)
      ordered_plans[l].encoded.codes[static_cast<std::size_t>(p)] =
          plans[l].encoded.codes[static_cast<std::size_t>(order[static_cast<std::size_t>(p)])];

  // Centre the data: distances are unchanged, rounding of the differences is smaller.
  const Eigen::RowVectorXd mean = points.colwise().sum() / static_cast<double>(n);
  Matrix centred(n, points.cols());
  for (Index p = 0; p < n; ++p) centred.row(p) = points.row(order[static_cast<std::size_t>(p)]) - mean;

  const Index row_tile = options.row_tile > 0 ? options.row_tile : kDefaultRowTile;
  // Column blocks are whole multiples of kPad within a tile, or the whole tile.
  Index col_tile = round_up(options.col_tile > 0 ? options.col_tile : kDefaultColTile, kPad);
  if (col_tile >= row_tile) col_tile = row_tile;
  SilhouettePass pass(centred, ordered_plans, sum_rows, row_tile, col_tile, options.onehot_gemm, sorted);
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

  Matrix values(n, L);  // silhouette per (original) point and labeling (NaN where not scored)
  executor.for_chunks(static_cast<std::size_t>(m), 1, [&](std::size_t, Range range) {
    const Tile& t = pass.tile(static_cast<Index>(range.begin));
    for (Index l = 0; l < L; ++l) {
      const auto& plan = ordered_plans[static_cast<std::size_t>(l)];
      for (Index r = 0; r < t.size; ++r) {
        const Label own = plan.encoded.codes[static_cast<std::size_t>(t.begin + r)];
        values(order[static_cast<std::size_t>(t.begin + r)], l) = (!plan.defined || own == kNoise)
                                     ? std::numeric_limits<double>::quiet_NaN()
                                     : point_silhouette(t.sums.data() + plan.first_row * t.rp + r, t.rp, own,
                                                        plan.encoded.counts);
      }
    }
  });

  for (Index l = 0; l < L; ++l) {
    auto& res = results[static_cast<std::size_t>(l)];
    if (options.per_sample) res.per_sample = values.col(l);
    if (!plans[static_cast<std::size_t>(l)].defined) continue;
    double total = 0;
    for (Index i = 0; i < n; ++i)
      if (plans[static_cast<std::size_t>(l)].encoded.codes[static_cast<std::size_t>(i)] != kNoise) total += values(i, l);
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
