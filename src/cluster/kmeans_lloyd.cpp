// One K-Means restart: Lloyd iterations, plain or with Hamerly bounds, from
// given centroids, following scikit-learn's _kmeans_single_lloyd (empty
// clusters re-seeded from the farthest points, strict or tol convergence, a
// final assignment when not strictly converged).
//
// Why Hamerly is bit-identical to Lloyd (and any thread count to one):
// - Labels. A point keeps its label only when its bounds prove the computed
//   distance to its own centre is strictly below the computed distance to every
//   other one, with a relative margin covering the rounding of distances and of
//   bound updates (bounds are rounded outward). Otherwise all its distances are
//   computed by the kernel Lloyd uses, so it gets Lloyd's label.
// - Centroids. Per-cluster sums are kept in 128-bit fixed point (each feature
//   on its own power-of-two grid, see DataSummary::scale). Integer sums are
//   exact, so Lloyd's full recomputation and Hamerly's incremental update
//   (only points that changed cluster are moved) give the same sums, in any
//   order. Hamerly then reads only the bounds of most points, not the points.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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
// Multipliers that push a double bound outward by a few ulps after an update.
constexpr double kRoundUp = 1.0 + 0x1.0p-50;
constexpr double kRoundDown = 1.0 - 0x1.0p-50;

/// A float ≥ v, without branches: v · (1 + 2^-22) rounded to the nearest float
/// stays above v (relative rounding ≤ 2^-24), the tiny addend covers
/// denormals. Bounds are stored as floats to halve their memory traffic.
inline float float_up(double v) { return static_cast<float>(v * (1.0 + 0x1.0p-22) + 0x1.0p-140); }
/// A float ≤ v (possibly negative, still a valid lower bound of a distance).
inline float float_down(double v) {
  return static_cast<float>(std::min(v * (1.0 - 0x1.0p-22) - 0x1.0p-140, double{std::numeric_limits<float>::max()}));
}

/// Hamerly's per-point bounds: upper on the distance to the own centre, lower
/// on the distance to every other centre.
struct Bounds {
  float upper;
  float lower;
};

/// A point that changed cluster in a pass.
struct Move {
  std::size_t row;
  Label from;
  Label to;
};

class SingleRun {
 public:
  SingleRun(const MatrixView& points, const Matrix& initial, const KMeansOptions& options,
            const detail::DataSummary& summary, const Executor& executor)
      : p_(detail::points_ref(points)),
        k_(initial.rows()),
        d_(p_.d),
        kd_(static_cast<std::size_t>(k_ * d_)),
        n_(static_cast<std::size_t>(p_.n)),
        grain_(detail::chunk_grain(p_.n, k_, d_)),
        chunks_(Executor::chunk_count(n_, grain_)),
        options_(options),
        summary_(summary),
        executor_(executor),
        hamerly_(options.method == KMeansMethod::hamerly),
        // Relative error bound of a computed distance (d + 2 roundings of
        // nonnegative terms, then sqrt), with room to spare.
        rel_(static_cast<double>(d_ + 8) * 0x1.0p-52),
        centres_(initial),
        labels_(n_, -1),
        sums_(kd_),
        counts_(static_cast<std::size_t>(k_)),
        chunk_changed_(chunks_),
        chunk_work_(chunks_, 0) {
    if (hamerly_) {
      bounds_.assign(n_, Bounds{std::numeric_limits<float>::infinity(), 0.0f});
      moves_.resize(chunks_);
      shift_.assign(static_cast<std::size_t>(k_), 0.0);
      half_gap_.assign(static_cast<std::size_t>(k_), 0.0);
    }
  }

  KMeansResult run() {
    KMeansResult result;
    bool strict = false;
    bool tol_met = false;
    int iterations = 0;
    for (int it = 0; it < options_.max_iter; ++it) {
      const std::int64_t changed = hamerly_ ? hamerly_pass(/*first=*/it == 0) : lloyd_pass();
      const double shift_total = update_centres(result.empty_clusters_fixed);
      iterations = it + 1;
      if (changed == 0) {
        strict = true;
        break;
      }
      if (shift_total <= summary_.absolute_tol) {
        tol_met = true;
        break;
      }
    }
    // Labels must match the final centroids (scikit-learn reruns the E-step).
    if (!strict) hamerly_ ? hamerly_pass(/*first=*/false) : lloyd_pass();

    result.iterations = iterations;
    result.converged = strict || tol_met;
    result.inertia = inertia();
    result.empty_clusters = static_cast<int>(std::count(counts_.begin(), counts_.end(), 0));
    result.distance_evaluations = std::accumulate(chunk_work_.begin(), chunk_work_.end(), std::int64_t{0});
    result.centroids = std::move(centres_);
    result.labels = std::move(labels_);
    return result;
  }

 private:
  // ---- fixed-point sums ----------------------------------------------------

  Wide fixed(double v, Index f) const {
    return static_cast<Wide>(static_cast<std::int64_t>(v * summary_.scale[static_cast<std::size_t>(f)]));
  }

  /// Sums and counts of the chunk's points by their current labels.
  void chunk_sums(Range r, Wide* sums, std::int64_t* counts) const {
    std::fill(sums, sums + kd_, Wide{0});
    std::fill(counts, counts + k_, 0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const auto a = static_cast<std::size_t>(labels_[i]);
      const double* x = p_.row(static_cast<Index>(i));
      Wide* s = sums + a * static_cast<std::size_t>(d_);
      for (Index f = 0; f < d_; ++f) s[f] += fixed(x[f], f);
      ++counts[a];
    }
  }

  /// sums_ and counts_ recomputed from all labels (per-chunk partials, then merged).
  template <class AssignChunk>
  std::int64_t pass_with_full_sums(AssignChunk&& assign_chunk) {
    std::vector<Wide> partial(chunks_ * kd_);
    std::vector<std::int64_t> partial_counts(chunks_ * static_cast<std::size_t>(k_));
    executor_.for_chunks(n_, grain_, [&](std::size_t chunk, Range r) {
      chunk_changed_[chunk] = assign_chunk(chunk, r);
      chunk_sums(r, partial.data() + chunk * kd_, partial_counts.data() + chunk * static_cast<std::size_t>(k_));
    });
    std::fill(sums_.begin(), sums_.end(), Wide{0});
    std::fill(counts_.begin(), counts_.end(), 0);
    for (std::size_t c = 0; c < chunks_; ++c) {
      for (std::size_t t = 0; t < kd_; ++t) sums_[t] += partial[c * kd_ + t];
      for (Index j = 0; j < k_; ++j) counts_[static_cast<std::size_t>(j)] += partial_counts[c * static_cast<std::size_t>(k_) + static_cast<std::size_t>(j)];
    }
    return std::accumulate(chunk_changed_.begin(), chunk_changed_.end(), std::int64_t{0});
  }

  // ---- Lloyd ---------------------------------------------------------------

  std::int64_t lloyd_pass() {
    return pass_with_full_sums([&](std::size_t chunk, Range r) { return lloyd_chunk(chunk, r); });
  }

  std::int64_t lloyd_chunk(std::size_t chunk, Range r) {
    std::vector<double> tile(kTile * static_cast<std::size_t>(d_));
    Label nearest[kTile];
    double best[kTile], second[kTile];
    std::int64_t changed = 0;
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::load_tile_range(p_, static_cast<Index>(b), count, tile.data());
      detail::tile_nearest(tile.data(), d_, centres_.data(), k_, nearest, best, second);
      for (std::size_t i = 0; i < count; ++i) {
        if (labels_[b + i] != nearest[i]) ++changed;
        labels_[b + i] = nearest[i];
      }
    }
    chunk_work_[chunk] += static_cast<std::int64_t>(r.size()) * k_;
    return changed;
  }

  // ---- Hamerly -------------------------------------------------------------

  /// The first pass computes every distance and all sums; later passes move
  /// only the points that changed cluster.
  std::int64_t hamerly_pass(bool first) {
    if (first) return pass_with_full_sums([&](std::size_t chunk, Range r) { return hamerly_chunk(chunk, r, true); });
    executor_.for_chunks(n_, grain_, [&](std::size_t chunk, Range r) { chunk_changed_[chunk] = hamerly_chunk(chunk, r, false); });
    std::int64_t changed = 0;
    for (auto& moves : moves_) {
      for (const Move& m : moves) {
        const double* x = p_.row(static_cast<Index>(m.row));
        Wide* from = sums_.data() + static_cast<std::size_t>(m.from) * static_cast<std::size_t>(d_);
        Wide* to = sums_.data() + static_cast<std::size_t>(m.to) * static_cast<std::size_t>(d_);
        for (Index f = 0; f < d_; ++f) {
          const Wide q = fixed(x[f], f);
          from[f] -= q;
          to[f] += q;
        }
        --counts_[static_cast<std::size_t>(m.from)];
        ++counts_[static_cast<std::size_t>(m.to)];
      }
      changed += static_cast<std::int64_t>(moves.size());
      moves.clear();
    }
    return changed;
  }

  std::int64_t hamerly_chunk(std::size_t chunk, Range r, bool first) {
    // Three branch-free sweeps (the skip decisions are data-random, so
    // branching on them would mispredict half the time): update all bounds,
    // tighten the upper bound where they do not decide, compute all distances
    // where that still does not decide.
    std::vector<std::uint32_t> open(r.size());  // offsets in the chunk, compacted
    std::vector<double> open_bound(r.size());
    std::size_t n_open = 0;
    std::int64_t work = 0;
    const double margin = 1.0 + 2.0 * rel_;
    if (first) {
      for (std::size_t t = 0; t < r.size(); ++t) open[t] = static_cast<std::uint32_t>(t);
      n_open = r.size();
    } else {
      const double* shift = shift_.data();
      const double* gap = half_gap_.data();
      for (std::size_t t = 0; t < r.size(); ++t) {
        const std::size_t i = r.begin + t;
        const auto a = static_cast<std::size_t>(labels_[i]);
        Bounds& bd = bounds_[i];
        const double u = (static_cast<double>(bd.upper) + shift[a]) * kRoundUp;
        const double l = std::max(0.0, (static_cast<double>(bd.lower) - (a == max_shift_index_ ? second_max_shift_ : max_shift_)) * kRoundDown);
        const double bound = std::max(gap[a], l);
        bd = Bounds{float_up(u), float_down(l)};
        open[n_open] = static_cast<std::uint32_t>(t);
        open_bound[n_open] = bound;
        n_open += !(u * margin < bound);
      }
      // Tighten the upper bound with the exact distance to the own centre.
      std::size_t n_still = 0;
      for (std::size_t o = 0; o < n_open; ++o) {
        const std::size_t i = r.begin + open[o];
        const Label a = labels_[i];
        const double exact =
            std::sqrt(detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(a).data(), d_)) * (1.0 + rel_);
        bounds_[i].upper = float_up(exact);
        open[n_still] = open[o];
        n_still += !(exact * margin < open_bound[o]);
      }
      work += static_cast<std::int64_t>(n_open);
      n_open = n_still;
    }

    // All distances for the rest: Lloyd's label, fresh bounds.
    std::vector<double> tile(kTile * static_cast<std::size_t>(d_));
    std::vector<Move>& moves = moves_[chunk];
    std::size_t rows[kTile];
    Label nearest[kTile];
    double best[kTile], second[kTile];
    std::int64_t changed = 0;
    for (std::size_t o = 0; o < n_open; o += kTile) {
      const std::size_t count = std::min(kTile, n_open - o);
      for (std::size_t t = 0; t < count; ++t) rows[t] = r.begin + open[o + t];
      detail::load_tile(p_, rows, count, tile.data());
      detail::tile_nearest(tile.data(), d_, centres_.data(), k_, nearest, best, second);
      for (std::size_t t = 0; t < count; ++t) {
        const std::size_t i = rows[t];
        if (labels_[i] != nearest[t]) {
          ++changed;
          if (!first) moves.push_back(Move{i, labels_[i], nearest[t]});
          labels_[i] = nearest[t];
        }
        bounds_[i] = Bounds{float_up(std::sqrt(best[t]) * (1.0 + rel_)), float_down(std::sqrt(second[t]) * (1.0 - rel_))};
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
        const double gap =
            0.5 * std::sqrt(detail::squared_distance(centres_.row(a).data(), centres_.row(b).data(), d_)) * (1.0 - rel_);
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
    auto farther = [](const Far& a, const Far& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
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

  // ---- result --------------------------------------------------------------

  /// Σ squared distance to the assigned centroid, merged in chunk order. Also
  /// brings counts_ in line with the final labels.
  double inertia() {
    std::vector<double> chunk_inertia(chunks_, 0.0);
    std::vector<std::int64_t> chunk_counts(chunks_ * static_cast<std::size_t>(k_), 0);
    executor_.for_chunks(n_, grain_, [&](std::size_t chunk, Range r) {
      double s = 0.0;
      std::int64_t* counts = chunk_counts.data() + chunk * static_cast<std::size_t>(k_);
      for (std::size_t i = r.begin; i < r.end; ++i) {
        s += detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(labels_[i]).data(), d_);
        ++counts[labels_[i]];
      }
      chunk_inertia[chunk] = s;
    });
    std::fill(counts_.begin(), counts_.end(), 0);
    double total = 0.0;
    for (std::size_t c = 0; c < chunks_; ++c) {
      total += chunk_inertia[c];
      for (Index j = 0; j < k_; ++j)
        counts_[static_cast<std::size_t>(j)] += chunk_counts[c * static_cast<std::size_t>(k_) + static_cast<std::size_t>(j)];
    }
    return total;
  }

  const PointsRef p_;
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
  std::vector<Wide> sums_;              // per cluster and feature, fixed point, matching labels_
  std::vector<std::int64_t> counts_;    // points per cluster, matching labels_
  std::vector<std::int64_t> chunk_changed_;
  std::vector<std::int64_t> chunk_work_;

  // Hamerly state: bounds per point, moves per chunk, motion per centre.
  std::vector<Bounds> bounds_;
  std::vector<std::vector<Move>> moves_;
  std::vector<double> shift_;
  std::vector<double> half_gap_;
  double max_shift_ = 0.0;
  double second_max_shift_ = 0.0;
  std::size_t max_shift_index_ = 0;
};

}  // namespace

namespace detail {

KMeansResult run_from_centroids(const MatrixView& points, const Matrix& initial_centroids,
                                const KMeansOptions& options, const DataSummary& summary, const Executor& executor) {
  return SingleRun(points, initial_centroids, options, summary, executor).run();
}

}  // namespace detail

Labels assign_nearest(MatrixView points, const Matrix& centroids, const Executor& executor) {
  if (centroids.rows() < 1 || centroids.cols() != points.cols())
    throw InputError("assign_nearest: centroids are " + std::to_string(centroids.rows()) + " × " +
                     std::to_string(centroids.cols()) + ", points have " + std::to_string(points.cols()) +
                     " features");
  const PointsRef p = detail::points_ref(points);
  const Index k = centroids.rows();
  Labels labels(static_cast<std::size_t>(p.n));
  executor.for_chunks(labels.size(), detail::chunk_grain(p.n, k, p.d), [&](std::size_t, Range r) {
    std::vector<double> tile(kTile * static_cast<std::size_t>(p.d));
    Label nearest[kTile];
    double best[kTile], second[kTile];
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::load_tile_range(p, static_cast<Index>(b), count, tile.data());
      detail::tile_nearest(tile.data(), p.d, centroids.data(), k, nearest, best, second);
      std::copy(nearest, nearest + count, labels.begin() + static_cast<std::ptrdiff_t>(b));
    }
  });
  return labels;
}

}  // namespace cb::cluster
