// Sampled silhouette: the s sample rows against all n points.
//
// The sample rows are gathered into tiles (feature-major, padded), the n
// points are visited once, in panels of consecutive points, and each panel in
// blocks of col_tile points. For each block, the distances to every tile row
// (distance_kernel.hpp) are added into the tile's per-row sums of distances to
// each cluster of every labeling: the block's points are grouped by cluster
// once per panel, and each group's distance rows are summed in registers and
// added once (add_row_sum). So one pass over the points scores all labelings:
// O(s·n·(d + labelings)) time, O(s·clusters + panel) memory, never n×n.
//
// Determinism: panels run one after another; within a panel the tiles are
// independent and each tile adds its blocks in point order. Every sum gets
// its terms in an order fixed by the sample and n, never by the thread count.
#include "silhouette_sampled.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/sampling.hpp"
#include "distance_kernel.hpp"
#include "label_encoding.hpp"
#include "point_silhouette.hpp"

namespace cb::metrics {

std::vector<Index> silhouette_sample(Index n, Index size, std::uint64_t seed) {
  return uniform_row_sample(n, size, seed);
}

namespace detail {
namespace {

constexpr Index kPad = 32;  // tile rows are padded to this (a multiple of both kernels' widths)
static_assert(kPad % kDistanceRowBlock == 0 && kPad % kRowSumChunk == 0);
constexpr Index kDefaultSampleTile = 128;  // sample rows per tile
constexpr Index kDefaultColumnBlock = 64;  // points per distance block (64 × 128 doubles = 64 KiB)
constexpr Index kPanelBlocks = 128;        // blocks prepared together (grouping is shared by all tiles)

Index round_up(Index x, Index m) { return (x + m - 1) / m * m; }

/// One labeling's place in the pass: its dense codes and its first row of the
/// per-tile sums (one row per cluster).
struct LabelingPlan {
  EncodedLabels encoded;
  Index first_row = 0;
  bool defined = false;
};

/// A tile of sample rows: feature-major centred coordinates (d × rp, zero
/// padded) and the sums of distances (sum_rows × rp, row-major).
struct SampleTile {
  Index begin = 0;  // into the sample
  Index size = 0;
  Index rp = 0;
  std::vector<double> xt;
  std::vector<double> sums;
};

/// The members of one cluster of one labeling within a block.
struct Segment {
  Index sum_row;       // row of the tile sums it adds to
  std::int32_t begin;  // into BlockGroups::members
  std::int32_t end;
};

/// The points of one block grouped by cluster, for every scored labeling.
struct BlockGroups {
  std::vector<std::int32_t> members;  // offsets within the block
  std::vector<Segment> segments;
};

class SampledPass {
 public:
  SampledPass(MatrixView points, std::span<const Index> sample, const std::vector<LabelingPlan>& plans, Index sum_rows,
              Index sample_tile, Index column_block)
      : points_(points), plans_(plans), column_block_(column_block) {
    const Index d = points.cols();
    mean_ =
        points.colwise().sum() / static_cast<double>(points.rows());  // centred: smaller rounding (as the exact pass)
    const auto s = static_cast<Index>(sample.size());
    for (Index begin = 0; begin < s; begin += sample_tile) {
      SampleTile t;
      t.begin = begin;
      t.size = std::min(sample_tile, s - begin);
      t.rp = round_up(t.size, kPad);
      t.xt.assign(static_cast<std::size_t>(d * t.rp), 0.0);
      for (Index r = 0; r < t.size; ++r) {
        const Index row = sample[static_cast<std::size_t>(begin + r)];
        for (Index f = 0; f < d; ++f) t.xt[static_cast<std::size_t>(f * t.rp + r)] = points(row, f) - mean_(f);
      }
      t.sums.assign(static_cast<std::size_t>(sum_rows * t.rp), 0.0);
      tiles_.push_back(std::move(t));
    }
  }

  const std::vector<SampleTile>& tiles() const { return tiles_; }

  void run(const Executor& executor) {
    const Index n = points_.rows();
    const Index panel_size = column_block_ * kPanelBlocks;
    for (Index p0 = 0; p0 < n; p0 += panel_size) {
      prepare_panel(p0, std::min(panel_size, n - p0), executor);
      executor.for_chunks(tiles_.size(), 1, [&](std::size_t, Range r) {
        for (auto t = r.begin; t < r.end; ++t) visit_panel(tiles_[t]);
      });
    }
  }

 private:
  /// Centres the panel's points and groups each of its blocks by cluster.
  void prepare_panel(Index p0, Index count, const Executor& executor) {
    const Index d = points_.cols();
    panel_begin_ = p0;
    panel_size_ = count;
    panel_.resize(count, d);
    const auto blocks = static_cast<std::size_t>((count + column_block_ - 1) / column_block_);
    groups_.resize(blocks);
    executor.for_chunks(blocks, 1, [&](std::size_t, Range r) {
      for (auto b = r.begin; b < r.end; ++b) {
        const Index b0 = static_cast<Index>(b) * column_block_;
        const Index cols = std::min(column_block_, count - b0);
        for (Index j = b0; j < b0 + cols; ++j) panel_.row(j) = points_.row(p0 + j) - mean_;
        group_block(p0 + b0, cols, groups_[b]);
      }
    });
  }

  /// Groups points [first, first+cols) by cluster for every scored labeling
  /// (by cluster, then by point: a fixed order); noise is left out.
  void group_block(Index first, Index cols, BlockGroups& out) const {
    out.members.clear();
    out.segments.clear();
    std::vector<std::pair<Label, std::int32_t>> keyed;
    for (const auto& plan : plans_) {
      if (!plan.defined) continue;
      keyed.clear();
      for (Index o = 0; o < cols; ++o)
        if (const Label c = plan.encoded.codes[static_cast<std::size_t>(first + o)]; c != kNoise)
          keyed.emplace_back(c, static_cast<std::int32_t>(o));
      std::sort(keyed.begin(), keyed.end());
      for (std::size_t i = 0; i < keyed.size(); ++i) {
        if (i == 0 || keyed[i].first != keyed[i - 1].first)
          out.segments.push_back({plan.first_row + keyed[i].first, static_cast<std::int32_t>(out.members.size()), 0});
        out.members.push_back(keyed[i].second);
        out.segments.back().end = static_cast<std::int32_t>(out.members.size());
      }
    }
  }

  /// Adds the distances from the tile's rows to every point of the panel.
  void visit_panel(SampleTile& tile) const {
    const Index d = points_.cols();
    std::vector<double> dist(static_cast<std::size_t>(column_block_ * tile.rp));  // cols × rp
    for (std::size_t b = 0; b < groups_.size(); ++b) {
      const Index b0 = static_cast<Index>(b) * column_block_;
      const Index cols = std::min(column_block_, panel_size_ - b0);
      distance_block(tile.xt.data(), tile.rp, panel_.row(b0).data(), cols, d, dist.data());
      const BlockGroups& g = groups_[b];
      for (const Segment& seg : g.segments)
        add_row_sum(dist.data(), tile.rp, g.members.data() + seg.begin, seg.end - seg.begin, tile.rp,
                    tile.sums.data() + seg.sum_row * tile.rp);
    }
  }

  MatrixView points_;
  const std::vector<LabelingPlan>& plans_;
  Index column_block_;
  Eigen::RowVectorXd mean_;
  std::vector<SampleTile> tiles_;
  Index panel_begin_ = 0;
  Index panel_size_ = 0;
  Matrix panel_;                     // the current panel's centred points
  std::vector<BlockGroups> groups_;  // per block of the current panel
};

}  // namespace

std::vector<SilhouetteResult> silhouette_many_sampled(MatrixView points, std::span<const Labels> labelings,
                                                      const SilhouetteOptions& options, const Executor& executor) {
  const Index n = points.rows();
  const std::span<const Index> sample = options.sample_rows;
  check_sample_rows(sample, n, "silhouette");
  const auto L = static_cast<Index>(labelings.size());
  const auto s = static_cast<Index>(sample.size());
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();

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
    plan.encoded = encode_labels(labels, /*exclude_noise=*/true);
    auto& res = results[static_cast<std::size_t>(l)];
    res.sampled = true;
    res.noise_excluded = plan.encoded.noise;
    res.points_scored = n - plan.encoded.noise;
    res.clusters = plan.encoded.clusters();
    plan.defined = res.clusters >= 2 && res.clusters <= res.points_scored - 1;
    if (plan.defined) {
      plan.first_row = sum_rows;
      sum_rows += plan.encoded.clusters();
      any_defined = true;
    } else {
      res.status = "undefined";
      res.mean = nan;
    }
    if (options.per_sample) res.per_sample = Vector::Constant(s, nan);
  }
  if (!any_defined) return results;

  SampledPass pass(points, sample, plans, sum_rows, options.row_tile > 0 ? options.row_tile : kDefaultSampleTile,
                   options.col_tile > 0 ? options.col_tile : kDefaultColumnBlock);
  pass.run(executor);

  std::vector<double> scored;  // one labeling's values of its sampled non-noise rows, in sample order
  std::vector<std::int32_t> scored_cluster;
  for (Index l = 0; l < L; ++l) {
    const auto& plan = plans[static_cast<std::size_t>(l)];
    auto& res = results[static_cast<std::size_t>(l)];
    if (!plan.defined) continue;
    scored.clear();
    scored_cluster.clear();
    for (const SampleTile& t : pass.tiles()) {
      for (Index r = 0; r < t.size; ++r) {
        const Label own = plan.encoded.codes[static_cast<std::size_t>(sample[static_cast<std::size_t>(t.begin + r)])];
        if (own == kNoise) continue;
        const double value =
            point_silhouette(t.sums.data() + plan.first_row * t.rp + r, t.rp, own, plan.encoded.counts);
        scored.push_back(value);
        scored_cluster.push_back(own);
        if (options.per_sample) res.per_sample(t.begin + r) = value;
      }
    }
    auto estimate = estimate_mean(scored, res.points_scored);
    if (options.post_stratify && !scored.empty())
      res.post_stratified = estimate_mean_post_stratified(scored, scored_cluster, plan.encoded.counts, estimate);
    res.sample_size = static_cast<Index>(scored.size());
    res.mean = estimate.mean;
    res.std_error = estimate.std_error;
    res.ci_low = estimate.ci_low;
    res.ci_high = estimate.ci_high;
    if (scored.empty()) res.status = "empty_sample";
  }
  return results;
}

}  // namespace detail
}  // namespace cb::metrics
