// One K-Means restart: Lloyd iterations, plain or with Hamerly bounds, from
// given centroids, following scikit-learn's _kmeans_single_lloyd (empty
// clusters re-seeded from the farthest points, strict or tol convergence, a
// final assignment when not strictly converged). One deliberate difference:
// when labels stopped changing but an empty cluster was re-seeded in that last
// step, we also reassign, so the returned labels always match the centroids.
//
// Why Hamerly is bit-identical to Lloyd (and any thread count to one):
// - Labels. A point keeps its label only when its bounds prove the computed
//   distance to its own centre is strictly below the computed distance to every
//   other one, with a relative margin covering the rounding of distances and of
//   bound updates (bounds are rounded outward). Otherwise all its distances are
//   computed by the kernel Lloyd uses, so it gets Lloyd's label.
// - Centroids. Per-cluster sums are kept in 128-bit fixed point (each feature
//   on its own power-of-two grid, see DataSummary::scale). Integer sums are
//   exact, so the sums are a function of the labels alone, whatever the order
//   of updates: both methods move only the points that changed cluster
//   (Hamerly then reads only the bounds of most points, not the points).
//   The grid is 2^-61 of the largest |x_f|, finer than a double sum's error.
//
// Restarts run side by side (run_lockstep): each sweep over the data does one
// step of every unfinished run, chunk by chunk, so a chunk of points comes
// from memory once and is reused from cache by the other runs. Each run's
// arithmetic is exactly what it would be alone.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/cluster/kmeans_kernels.hpp"
#include "clusterbench/core/error.hpp"

namespace cb::cluster {
namespace {

using detail::kTile;
using detail::PointsRef;
__extension__ typedef __int128 Wide;  // exact centroid sums (GCC/Clang extension)

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A float ≥ v, without branches: v · (1 + 2^-22) rounded to the nearest float
/// stays above v (relative rounding ≤ 2^-24), the tiny addend covers
/// denormals. Bounds are stored as floats to halve their memory traffic.
inline float float_up(double v) { return static_cast<float>(v * (1.0 + 0x1.0p-22) + 0x1.0p-140); }

class SingleRun {
 public:
  /// The sweep a run needs next.
  enum class Pass {
    iterate,       ///< assign (Lloyd or Hamerly), move points between cluster sums
    final_assign,  ///< Lloyd assignment to the final centroids, with the inertia
    inertia,       ///< inertia only (labels already match the centroids)
    done,
  };

  SingleRun(const MatrixView& points, const detail::Columns& columns, const Matrix& initial,
            const KMeansOptions& options, const detail::DataSummary& summary, const Executor& executor)
      : p_(detail::points_ref(points)),
        columns_(columns),
        k_(initial.rows()),
        d_(p_.d),
        kd_(static_cast<std::size_t>(k_ * d_)),
        n_(static_cast<std::size_t>(p_.n)),
        grain_(detail::chunk_grain(p_.n)),
        chunks_(Executor::chunk_count(n_, grain_)),
        options_(options),
        summary_(summary),
        executor_(executor),
        hamerly_(options.method == KMeansMethod::hamerly),
        // Relative error bound of a computed distance (d + 2 roundings of
        // nonnegative terms, then sqrt), with room to spare.
        rel_(static_cast<double>(d_ + 8) * 0x1.0p-52),
        centres_(initial),

        sums_(kd_),
        counts_(static_cast<std::size_t>(k_)),
        deltas_(chunks_),
        chunk_changed_(chunks_),
        chunk_work_(chunks_, 0),
        chunk_inertia_(chunks_, 0.0),
        chunk_counts_(chunks_ * static_cast<std::size_t>(k_), 0) {
    detail::assign_huge(labels_, n_, Label{-1});
    if (hamerly_) {
      detail::assign_huge(upper_, n_, std::numeric_limits<float>::infinity());
      detail::assign_huge(lower_, n_, 0.0f);
      shift_.assign(static_cast<std::size_t>(k_), 0.0);
      half_gap_.assign(static_cast<std::size_t>(k_), 0.0);
    }
  }

  Pass next() const { return pass_; }

  /// The current pass's work on one chunk (called concurrently for different chunks).
  void chunk(std::size_t chunk, Range r) {
    switch (pass_) {
      case Pass::iterate:
        chunk_changed_[chunk] = hamerly_ ? hamerly_chunk(chunk, r, iteration_ == 0) : lloyd_chunk(chunk, r, true);
        break;
      case Pass::final_assign:
        lloyd_chunk(chunk, r, false);
        inertia_chunk(chunk, r);
        break;
      case Pass::inertia: inertia_chunk(chunk, r); break;
      case Pass::done: break;
    }
  }

  /// After every chunk of the pass: merge, update, choose the next pass.
  void finish() {
    switch (pass_) {
      case Pass::iterate: {
        const std::int64_t changed = apply_moves();
        const double shift_total = update_centres(result_.empty_clusters_fixed);
        ++iteration_;
        const bool strict = changed == 0;
        const bool tol_met = !strict && shift_total <= summary_.absolute_tol;
        result_.converged = strict || tol_met;
        // Strict: labels already match the (unchanged) centroids. Otherwise
        // scikit-learn reruns the E-step so labels match the final centroids.
        if (strict && result_.empty_clusters_fixed == relocations_before_) pass_ = Pass::inertia;
        else if (result_.converged || iteration_ == options_.max_iter) pass_ = Pass::final_assign;
        relocations_before_ = result_.empty_clusters_fixed;
        break;
      }
      case Pass::final_assign:
      case Pass::inertia: pass_ = Pass::done; break;
      case Pass::done: break;
    }
  }

  KMeansResult take_result() {
    std::fill(counts_.begin(), counts_.end(), 0);
    double inertia = 0.0;
    for (std::size_t c = 0; c < chunks_; ++c) {
      inertia += chunk_inertia_[c];
      for (Index j = 0; j < k_; ++j)
        counts_[static_cast<std::size_t>(j)] +=
            chunk_counts_[c * static_cast<std::size_t>(k_) + static_cast<std::size_t>(j)];
    }
    result_.iterations = iteration_;
    result_.inertia = inertia;
    result_.empty_clusters = static_cast<int>(std::count(counts_.begin(), counts_.end(), 0));
    result_.distance_evaluations = std::accumulate(chunk_work_.begin(), chunk_work_.end(), std::int64_t{0});
    result_.centroids = std::move(centres_);
    result_.labels = std::move(labels_);
    return std::move(result_);
  }

 private:
  // ---- fixed-point sums ----------------------------------------------------

  Wide fixed(double v, Index f) const {
    return static_cast<Wide>(static_cast<std::int64_t>(v * summary_.scale[static_cast<std::size_t>(f)]));
  }

  /// Moves a point that changed cluster (from = −1: had none) between the
  /// chunk's deltas of the sums, in the parallel pass.
  void move_point(std::size_t chunk, std::size_t row, Label from, Label to) {
    Delta& delta = deltas_[chunk];
    if (!delta.used) {
      delta.sums.assign(kd_, Wide{0});
      delta.counts.assign(static_cast<std::size_t>(k_), 0);
      delta.used = true;
    }
    const double* x = p_.row(static_cast<Index>(row));
    Wide* into = delta.sums.data() + static_cast<std::size_t>(to) * static_cast<std::size_t>(d_);
    if (from >= 0) {
      Wide* out = delta.sums.data() + static_cast<std::size_t>(from) * static_cast<std::size_t>(d_);
      for (Index f = 0; f < d_; ++f) {
        const Wide q = fixed(x[f], f);
        out[f] -= q;
        into[f] += q;
      }
      --delta.counts[static_cast<std::size_t>(from)];
    } else {
      for (Index f = 0; f < d_; ++f) into[f] += fixed(x[f], f);
    }
    ++delta.counts[static_cast<std::size_t>(to)];
  }

  /// Adds the chunks' deltas to the cluster sums. Integer sums are exact, so
  /// this equals recomputing them from the labels, in any order. Returns the
  /// number of points that changed cluster.
  std::int64_t apply_moves() {
    for (Delta& delta : deltas_) {
      if (!delta.used) continue;
      for (std::size_t t = 0; t < kd_; ++t) sums_[t] += delta.sums[t];
      for (std::size_t j = 0; j < counts_.size(); ++j) counts_[j] += delta.counts[j];
      delta.used = false;
    }
    return std::accumulate(chunk_changed_.begin(), chunk_changed_.end(), std::int64_t{0});
  }

  /// Σ squared distance to the labelled centroid (point order) and points per
  /// cluster, for the chunk.
  void inertia_chunk(std::size_t chunk, Range r) {
    double s = 0.0;
    std::int64_t* counts = chunk_counts_.data() + chunk * static_cast<std::size_t>(k_);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      s += detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(labels_[i]).data(), d_);
      ++counts[labels_[i]];
    }
    chunk_inertia_[chunk] = s;
  }

  // ---- Lloyd ---------------------------------------------------------------

  std::int64_t lloyd_chunk(std::size_t chunk, Range r, bool record_moves) {
    Label nearest[kTile];
    double best[kTile], second[kTile];
    std::int64_t changed = 0;
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::tile_nearest(columns_.tile(b), columns_.stride, d_, centres_.data(), k_, nearest, best, second);
      for (std::size_t i = 0; i < count; ++i) {
        if (labels_[b + i] != nearest[i]) {
          ++changed;
          if (record_moves) move_point(chunk, b + i, labels_[b + i], nearest[i]);
          labels_[b + i] = nearest[i];
        }
      }
    }
    chunk_work_[chunk] += static_cast<std::int64_t>(r.size()) * k_;
    return changed;
  }

  // ---- Hamerly -------------------------------------------------------------

  std::int64_t hamerly_chunk(std::size_t chunk, Range r, bool first) {
    // Three sweeps, branch-free where the skip decisions are data-random:
    // update all bounds (vectorised), tighten the upper bound where they do
    // not decide, compute all distances where that still does not decide.
    std::vector<std::uint32_t> open(r.size());  // offsets in the chunk, compacted
    std::vector<double> open_bound(r.size());
    std::size_t n_open = 0;
    std::int64_t work = 0;
    const double margin = 1.0 + 2.0 * rel_;
    if (first) {
      for (std::size_t t = 0; t < r.size(); ++t) open[t] = static_cast<std::uint32_t>(t);
      n_open = r.size();
    } else {
      std::vector<std::int64_t> decided(r.size());
      const detail::CentreMotion motion{
          shift_.data(), half_gap_.data(), max_shift_, second_max_shift_, static_cast<Label>(max_shift_index_), margin};
      detail::update_bounds(labels_.data() + r.begin, upper_.data() + r.begin, lower_.data() + r.begin, r.size(),
                            motion, decided.data(), open_bound.data());
      for (std::size_t t = 0; t < r.size(); ++t) {
        open[n_open] = static_cast<std::uint32_t>(t);
        open_bound[n_open] = open_bound[t];  // n_open ≤ t: compacting in place
        n_open += static_cast<std::size_t>(decided[t] + 1);
      }
      if (n_open * 10 > r.size() * 3) {
        // Bounds decide too little here (a centre travelled far): streaming
        // the whole chunk through the full kernel, as Lloyd does, is cheaper
        // than fetching the scattered open points one by one. Same labels.
        for (std::size_t t = 0; t < r.size(); ++t) open[t] = static_cast<std::uint32_t>(t);
        n_open = r.size();
      } else {
        // Tighten the upper bound with the exact distance to the own centre.
        std::size_t n_still = 0;
        constexpr std::size_t kAhead = 12;  // rows prefetched ahead: the gaps defeat the hardware prefetcher
        const std::size_t row_bytes = static_cast<std::size_t>(d_) * sizeof(double);
        for (std::size_t o = 0; o < n_open; ++o) {
          if (o + kAhead < n_open) {
            const char* ahead = reinterpret_cast<const char*>(p_.row(static_cast<Index>(r.begin + open[o + kAhead])));
            for (std::size_t byte = 0; byte < row_bytes; byte += 64) __builtin_prefetch(ahead + byte);
            __builtin_prefetch(ahead + row_bytes - 1);
          }
          const std::size_t i = r.begin + open[o];
          const Label a = labels_[i];
          const double exact =
              std::sqrt(detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(a).data(), d_)) *
              (1.0 + rel_);
          upper_[i] = float_up(exact);
          open[n_still] = open[o];
          n_still += !(exact * margin < open_bound[o]);
        }
        work += static_cast<std::int64_t>(n_open);
        n_open = n_still;
      }
    }

    // All distances for the rest: Lloyd's label, fresh bounds.
    std::vector<double> tile(kTile * static_cast<std::size_t>(d_));
    std::size_t rows[kTile];
    Label nearest[kTile];
    double best[kTile], second[kTile];
    float upper[kTile], lower[kTile];
    std::int64_t changed = 0;
    const bool whole_chunk = n_open == r.size();  // open[t] = t: read the rows in order
    for (std::size_t o = 0; o < n_open; o += kTile) {
      const std::size_t count = std::min(kTile, n_open - o);
      for (std::size_t t = 0; t < count; ++t) rows[t] = r.begin + open[o + t];
      if (whole_chunk) {
        detail::tile_nearest(columns_.tile(rows[0]), columns_.stride, d_, centres_.data(), k_, nearest, best, second);
      } else {
        detail::load_tile(p_, rows, count, tile.data());
        detail::tile_nearest(tile.data(), kTile, d_, centres_.data(), k_, nearest, best, second);
      }
      detail::bounds_from_squared(best, second, count, rel_, upper, lower);
      for (std::size_t t = 0; t < count; ++t) {
        const std::size_t i = rows[t];
        if (labels_[i] != nearest[t]) {
          ++changed;
          move_point(chunk, i, labels_[i], nearest[t]);
          labels_[i] = nearest[t];
        }
        upper_[i] = upper[t];
        lower_[i] = lower[t];
      }
    }
    work += static_cast<std::int64_t>(n_open) * k_;
    chunk_work_[chunk] += work;
    return changed;
  }

  // ---- update --------------------------------------------------------------

  /// New centroids from the sums, empty clusters re-seeded; updates the
  /// Hamerly motion data. Returns Σ_j |c_j' − c_j|².
  double update_centres(int& empty_fixed) {
    // Relocation works on copies: sums_ and counts_ must keep matching labels_.
    std::vector<Wide> sums = sums_;
    std::vector<std::int64_t> counts = counts_;
    empty_fixed += relocate_empty(sums, counts);

    Matrix updated(k_, d_);
    for (Index j = 0; j < k_; ++j) {
      const std::int64_t cnt = counts[static_cast<std::size_t>(j)];
      for (Index f = 0; f < d_; ++f) {
        const double scale = summary_.scale[static_cast<std::size_t>(f)];
        const double total = static_cast<double>(sums[static_cast<std::size_t>(j * d_ + f)]);
        // A cluster left without points keeps its centre.
        updated(j, f) = cnt > 0 ? total / static_cast<double>(cnt) / scale : centres_(j, f);
      }
    }

    double shift_total = 0.0;
    for (Index j = 0; j < k_; ++j) {
      const double sq = detail::squared_distance(updated.row(j).data(), centres_.row(j).data(), d_);
      shift_total += sq;
      if (hamerly_) shift_[static_cast<std::size_t>(j)] = std::sqrt(sq) * (1.0 + rel_);
    }
    centres_ = std::move(updated);
    if (hamerly_) update_motion();
    return shift_total;
  }

  /// Largest and second-largest centre shift, and half the distance from each
  /// centre to its nearest other centre (rounded to stay valid bounds).
  void update_motion() {
    max_shift_ = 0.0;
    second_max_shift_ = 0.0;
    max_shift_index_ = 0;
    for (std::size_t j = 0; j < shift_.size(); ++j) {
      const double s = shift_[j];
      if (s > max_shift_) {
        second_max_shift_ = max_shift_;
        max_shift_ = s;
        max_shift_index_ = j;
      } else if (s > second_max_shift_) {
        second_max_shift_ = s;
      }
    }
    std::fill(half_gap_.begin(), half_gap_.end(), kInf);
    for (Index a = 0; a < k_; ++a)
      for (Index b = a + 1; b < k_; ++b) {
        const double gap = 0.5 *
                           std::sqrt(detail::squared_distance(centres_.row(a).data(), centres_.row(b).data(), d_)) *
                           (1.0 - rel_);
        half_gap_[static_cast<std::size_t>(a)] = std::min(half_gap_[static_cast<std::size_t>(a)], gap);
        half_gap_[static_cast<std::size_t>(b)] = std::min(half_gap_[static_cast<std::size_t>(b)], gap);
      }
  }

  /// scikit-learn's _relocate_empty_clusters_dense: each empty cluster takes
  /// one of the points farthest from their (pre-update) centre, farthest first
  /// (ties: lower row first); that point's cluster gives it up. Returns the
  /// number of clusters re-seeded.
  int relocate_empty(std::vector<Wide>& sums, std::vector<std::int64_t>& counts) const {
    std::vector<Index> empty;
    for (Index j = 0; j < k_; ++j)
      if (counts[static_cast<std::size_t>(j)] == 0) empty.push_back(j);
    if (empty.empty()) return 0;
    const std::size_t m = empty.size();

    using Far = std::pair<double, std::size_t>;  // (squared distance, row)
    auto farther = [](const Far& a, const Far& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    };
    std::vector<std::vector<Far>> per_chunk(chunks_);
    executor_.for_chunks(n_, grain_, [&](std::size_t chunk, Range r) {
      std::vector<Far>& top = per_chunk[chunk];
      top.reserve(m + 1);
      for (std::size_t i = r.begin; i < r.end; ++i) {
        const Far cand{detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(labels_[i]).data(), d_), i};
        if (top.size() == m && !farther(cand, top.back())) continue;
        top.insert(std::upper_bound(top.begin(), top.end(), cand, farther), cand);
        if (top.size() > m) top.pop_back();
      }
    });
    std::vector<Far> all;
    for (auto& top : per_chunk) all.insert(all.end(), top.begin(), top.end());
    std::sort(all.begin(), all.end(), farther);

    const std::size_t relocated = std::min(m, all.size());
    for (std::size_t e = 0; e < relocated; ++e) {
      const std::size_t row = all[e].second;
      const auto from = static_cast<std::size_t>(labels_[row]);
      const auto to = static_cast<std::size_t>(empty[e]);
      const double* x = p_.row(static_cast<Index>(row));
      for (Index f = 0; f < d_; ++f) {
        const Wide q = fixed(x[f], f);
        sums[from * static_cast<std::size_t>(d_) + static_cast<std::size_t>(f)] -= q;
        sums[to * static_cast<std::size_t>(d_) + static_cast<std::size_t>(f)] = q;
      }
      counts[from] -= 1;
      counts[to] = 1;
    }
    return static_cast<int>(relocated);
  }

  const PointsRef p_;
  const detail::Columns& columns_;
  const Index k_;
  const Index d_;
  const std::size_t kd_;
  const std::size_t n_;
  const std::size_t grain_;
  const std::size_t chunks_;
  const KMeansOptions& options_;
  const detail::DataSummary& summary_;
  const Executor& executor_;
  const bool hamerly_;
  const double rel_;

  Matrix centres_;
  Labels labels_;
  std::vector<Wide> sums_;            // per cluster and feature, fixed point, matching labels_
  std::vector<std::int64_t> counts_;  // points per cluster, matching labels_
  struct Delta {
    std::vector<Wide> sums;
    std::vector<std::int64_t> counts;
    bool used = false;
  };
  std::vector<Delta> deltas_;  // per chunk: the moves of the current pass
  std::vector<std::int64_t> chunk_changed_;
  std::vector<std::int64_t> chunk_work_;
  std::vector<double> chunk_inertia_;
  std::vector<std::int64_t> chunk_counts_;

  Pass pass_ = Pass::iterate;
  int iteration_ = 0;           // iterations finished
  int relocations_before_ = 0;  // empty_clusters_fixed before the last iteration
  KMeansResult result_;

  // Hamerly state: bounds per point (upper on the distance to the own centre,
  // lower on the distance to every other), motion per centre.
  std::vector<float> upper_;
  std::vector<float> lower_;
  std::vector<double> shift_;
  std::vector<double> half_gap_;
  double max_shift_ = 0.0;
  double second_max_shift_ = 0.0;
  std::size_t max_shift_index_ = 0;
};

}  // namespace

namespace detail {

std::vector<KMeansResult> run_lockstep(const MatrixView& points, const Columns& columns,
                                       const std::vector<Matrix>& initial, const KMeansOptions& options,
                                       const DataSummary& summary, const Executor& executor) {
  std::vector<std::unique_ptr<SingleRun>> runs;
  for (const Matrix& init : initial)
    runs.push_back(std::make_unique<SingleRun>(points, columns, init, options, summary, executor));
  const auto n = static_cast<std::size_t>(points.rows());
  const std::size_t grain = chunk_grain(points.rows());
  std::vector<SingleRun*> active;
  for (;;) {
    active.clear();
    for (auto& run : runs)
      if (run->next() != SingleRun::Pass::done) active.push_back(run.get());
    if (active.empty()) break;
    executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
      for (SingleRun* run : active) run->chunk(chunk, r);
    });
    for (SingleRun* run : active) run->finish();
  }
  std::vector<KMeansResult> results;
  for (auto& run : runs) results.push_back(run->take_result());
  return results;
}

}  // namespace detail

Labels assign_nearest(MatrixView points, const Matrix& centroids, const Executor& executor) {
  if (centroids.rows() < 1 || centroids.cols() != points.cols())
    throw InputError("assign_nearest: centroids are " + std::to_string(centroids.rows()) + " × " +
                     std::to_string(centroids.cols()) + ", points have " + std::to_string(points.cols()) + " features");
  const PointsRef p = detail::points_ref(points);
  const Index k = centroids.rows();
  Labels labels(static_cast<std::size_t>(p.n));
  executor.for_chunks(labels.size(), detail::chunk_grain(p.n), [&](std::size_t, Range r) {
    std::vector<double> tile(kTile * static_cast<std::size_t>(p.d));
    Label nearest[kTile];
    double best[kTile], second[kTile];
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::load_tile_range(p, static_cast<Index>(b), count, tile.data());
      detail::tile_nearest(tile.data(), kTile, p.d, centroids.data(), k, nearest, best, second);
      std::copy(nearest, nearest + count, labels.begin() + static_cast<std::ptrdiff_t>(b));
    }
  });
  return labels;
}

}  // namespace cb::cluster
