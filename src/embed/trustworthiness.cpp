// Trustworthiness: for each (sampled) point, the rank in the original space of
// each of its k embedded neighbours; ranks beyond k are penalised.
//
// The sample points are cut into tiles of kTileRows; the n points are visited
// in panels of consecutive points, each panel by every tile (in parallel over
// tiles, so a panel is read from memory once and from cache by the others).
// Pass 1 finds every sample point's k nearest points in the embedding; pass 2
// counts, per neighbour, the points nearer in the original space. A tile skips
// a point that is farther than all of its rows' current bounds, so tiles are
// made of sample points near one another (k-d tree order of the sample). Per tile:
// O(kTileRows·(d + k)) memory. Penalties are integers summed in sample order,
// so the result never depends on the thread count.
#include "clusterbench/embed/trustworthiness.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/sampling.hpp"
#include "rank_penalty_kernel.hpp"

namespace cb::embed {
namespace {

using detail::kTileRows;
constexpr Index kPanelPoints = 4096;  // points visited by every tile before the next (≈ 300 KiB at d = 8: L2)

/// One tile of sample points and its state through both passes.
struct PenaltyTile {
  Index begin = 0;  // into the sample, in spatial order
  Index size = 0;
  std::vector<Index> self;                 // kTileRows rows (−1: padding)
  std::vector<double> original_t;          // d × kTileRows, feature-major
  std::vector<double> embedded_t;          // e × kTileRows
  std::vector<double> threshold, best_d2;  // pass 1
  std::vector<std::int32_t> best_index;
  std::vector<Index> kept;
  std::vector<double> limit, neighbour_d2, neighbour, ranked_before;  // pass 2, neighbour-major (k × kTileRows)
};

std::vector<double> feature_major(MatrixView x, const std::vector<Index>& rows) {
  std::vector<double> t(static_cast<std::size_t>(x.cols() * kTileRows), 0.0);
  for (Index r = 0; r < kTileRows; ++r)
    if (rows[static_cast<std::size_t>(r)] >= 0)
      for (Index f = 0; f < x.cols(); ++f)
        t[static_cast<std::size_t>(f * kTileRows + r)] = x(rows[static_cast<std::size_t>(r)], f);
  return t;
}

/// Positions 0..s−1 of the sample in k-d tree order (split at the median of
/// the widest feature, recursively), so consecutive positions are near one
/// another in the original space. Depends on the data and sample only.
std::vector<Index> spatial_order(MatrixView x, std::span<const Index> sample) {
  std::vector<Index> order(sample.size());
  std::iota(order.begin(), order.end(), Index{0});
  const auto split = [&](auto&& self, std::size_t begin, std::size_t end) -> void {
    if (end - begin <= static_cast<std::size_t>(kTileRows)) return;
    Index widest = 0;
    double widest_range = -1;
    for (Index f = 0; f < x.cols(); ++f) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (std::size_t p = begin; p < end; ++p) {
        const double v = x(sample[static_cast<std::size_t>(order[p])], f);
        lo = std::min(lo, v), hi = std::max(hi, v);
      }
      if (hi - lo > widest_range) widest_range = hi - lo, widest = f;
    }
    // Split at a multiple of the tile size, so tiles do not straddle halves.
    const std::size_t half = begin + ((end - begin) / 2 + kTileRows - 1) / kTileRows * kTileRows;
    const auto key = [&](Index p) { return std::pair(x(sample[static_cast<std::size_t>(p)], widest), p); };
    std::nth_element(
        order.begin() + static_cast<std::ptrdiff_t>(begin), order.begin() + static_cast<std::ptrdiff_t>(half),
        order.begin() + static_cast<std::ptrdiff_t>(end), [&](Index a, Index b) { return key(a) < key(b); });
    self(self, begin, half);
    self(self, half, end);
  };
  split(split, 0, order.size());
  return order;
}

detail::PointRun run_of(MatrixView x, Index first, Index count) { return {x.data(), x.outerStride(), first, count}; }

/// The original-space rank penalty of each sample point, in sample order.
std::vector<std::int64_t> rank_penalties(MatrixView original, MatrixView embedded, Index k,
                                         std::span<const Index> sample, const Executor& executor) {
  const Index n = original.rows();
  const auto s = static_cast<Index>(sample.size());
  constexpr double inf = std::numeric_limits<double>::infinity();
  const auto order = spatial_order(original, sample);
  std::vector<PenaltyTile> tiles;
  for (Index begin = 0; begin < s; begin += kTileRows) {
    PenaltyTile t;
    t.begin = begin;  // into `order`
    t.size = std::min(kTileRows, s - begin);
    t.self.assign(kTileRows, -1);
    for (Index r = 0; r < t.size; ++r)
      t.self[static_cast<std::size_t>(r)] =
          sample[static_cast<std::size_t>(order[static_cast<std::size_t>(begin + r)])];
    t.original_t = feature_major(original, t.self);
    t.embedded_t = feature_major(embedded, t.self);
    t.threshold.assign(kTileRows, -inf);
    std::fill_n(t.threshold.begin(), t.size, inf);
    t.best_d2.assign(static_cast<std::size_t>(kTileRows * k), inf);
    t.best_index.assign(static_cast<std::size_t>(kTileRows * k), -1);
    t.kept.assign(kTileRows, 0);
    tiles.push_back(std::move(t));
  }
  const auto for_each_tile_per_panel = [&](auto&& visit) {
    for (Index p0 = 0; p0 < n; p0 += kPanelPoints) {
      const Index count = std::min(kPanelPoints, n - p0);
      executor.for_chunks(tiles.size(), 1, [&](std::size_t, Range r) {
        for (auto t = r.begin; t < r.end; ++t) visit(tiles[t], p0, count);
      });
    }
  };

  // Pass 1: the k nearest points in the embedding.
  for_each_tile_per_panel([&](PenaltyTile& t, Index p0, Index count) {
    detail::NearestSet nearest{k, t.threshold.data(), t.best_d2.data(), t.best_index.data(), t.kept.data()};
    detail::scan_nearest({t.embedded_t.data(), embedded.cols(), t.self.data()}, run_of(embedded, p0, count), nearest);
  });

  // Their distances in the original space, the same arithmetic as pass 2's.
  executor.for_chunks(tiles.size(), 1, [&](std::size_t, Range range) {
    for (auto ti = range.begin; ti < range.end; ++ti) {
      PenaltyTile& t = tiles[ti];
      t.limit.assign(kTileRows, -1.0);
      t.neighbour_d2.assign(static_cast<std::size_t>(k * kTileRows), -1.0);
      t.neighbour.assign(static_cast<std::size_t>(k * kTileRows), -1.0);
      t.ranked_before.assign(static_cast<std::size_t>(k * kTileRows), 0.0);
      for (Index r = 0; r < t.size; ++r) {
        const Index i = t.self[static_cast<std::size_t>(r)];
        for (Index c = 0; c < k; ++c) {
          const auto j = t.best_index[static_cast<std::size_t>(r * k + c)];
          const auto at = static_cast<std::size_t>(c * kTileRows + r);
          t.neighbour_d2[at] =
              detail::squared_distance(original.row(i).data(), original.row(j).data(), original.cols());
          t.neighbour[at] = static_cast<double>(j);
          t.limit[static_cast<std::size_t>(r)] = std::max(t.limit[static_cast<std::size_t>(r)], t.neighbour_d2[at]);
        }
      }
    }
  });

  // Pass 2: the rank of each neighbour among all points in the original space.
  for_each_tile_per_panel([&](PenaltyTile& t, Index p0, Index count) {
    detail::RankCounts ranks{k, t.limit.data(), t.neighbour_d2.data(), t.neighbour.data(), t.ranked_before.data()};
    detail::scan_ranks({t.original_t.data(), original.cols(), t.self.data()}, run_of(original, p0, count), ranks);
  });

  std::vector<std::int64_t> penalties(static_cast<std::size_t>(s), 0);
  for (const PenaltyTile& t : tiles)
    for (Index r = 0; r < t.size; ++r)
      for (Index c = 0; c < k; ++c) {
        const auto at = static_cast<std::size_t>(c * kTileRows + r);
        // The scan counted the point itself (distance 0, index i) where it ranks before the neighbour.
        const double nd = t.neighbour_d2[at];
        const bool self_counted =
            0.0 < nd || (nd == 0.0 && static_cast<double>(t.self[static_cast<std::size_t>(r)]) < t.neighbour[at]);
        const auto rank = static_cast<std::int64_t>(t.ranked_before[at]) - (self_counted ? 1 : 0) + 1;  // 1-based
        if (rank > k) penalties[static_cast<std::size_t>(order[static_cast<std::size_t>(t.begin + r)])] += rank - k;
      }
  return penalties;
}

void check_input(MatrixView original, MatrixView embedded, Index k) {
  const Index n = original.rows();
  if (n == 0 || original.cols() == 0 || embedded.cols() == 0) throw InputError("trustworthiness: the data is empty");
  if (embedded.rows() != n)
    throw InputError("trustworthiness: the embedding has " + std::to_string(embedded.rows()) +
                     " rows but the data has " + std::to_string(n));
  if (k < 1 || 2 * k >= n)
    throw InputError("trustworthiness: n_neighbors (" + std::to_string(k) + ") must be at least 1 and less than n/2");
  if (n > std::numeric_limits<std::int32_t>::max()) throw InputError("trustworthiness: more than 2^31 points");
}

}  // namespace

TrustworthinessEstimate trustworthiness_sampled(MatrixView original, MatrixView embedded, Index n_neighbors,
                                                std::span<const Index> sample_rows, const Executor& executor) {
  check_input(original, embedded, n_neighbors);
  const Index n = original.rows();
  const Index k = n_neighbors;
  std::vector<Index> every_row;
  const bool sampled = !sample_rows.empty();
  if (sampled) {
    check_sample_rows(sample_rows, n, "trustworthiness");
  } else {
    every_row.resize(static_cast<std::size_t>(n));
    std::iota(every_row.begin(), every_row.end(), Index{0});
    sample_rows = every_row;
  }
  const auto m = static_cast<Index>(sample_rows.size());
  const auto penalties = rank_penalties(original, embedded, k, sample_rows, executor);

  // sklearn: 1 − 2/(n·k·(2n − 3k − 1)) · Σ penalties. The sum over all n points
  // is estimated as n/m times the sample's (an integer: exact when m = n).
  const double nd = static_cast<double>(n), kd = static_cast<double>(k);
  const double scale = 2.0 / (nd * kd * (2.0 * nd - 3.0 * kd - 1.0));
  const std::int64_t total = std::accumulate(penalties.begin(), penalties.end(), std::int64_t{0});
  const double value = 1.0 - static_cast<double>(total) * (nd / static_cast<double>(m)) * scale;
  // Per point, the value its term alone would give: their mean is the estimate.
  std::vector<double> per_point(penalties.size());
  for (std::size_t i = 0; i < penalties.size(); ++i)
    per_point[i] = 1.0 - static_cast<double>(penalties[i]) * nd * scale;
  const double se = estimate_mean(per_point, n).std_error;
  return {value, se, value - kNormalQuantile975 * se, value + kNormalQuantile975 * se, m, sampled};
}

double trustworthiness(MatrixView original, MatrixView embedded, Index n_neighbors, const Executor& executor) {
  return trustworthiness_sampled(original, embedded, n_neighbors, {}, executor).value;
}

}  // namespace cb::embed
