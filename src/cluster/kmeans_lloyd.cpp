// One K-Means restart: Lloyd iterations, plain or with Hamerly bounds, from
// given centroids, following scikit-learn's _kmeans_single_lloyd (empty
// clusters re-seeded from the farthest points, strict or tol convergence, a
// final assignment when not strictly converged).
//
// Hamerly gives exactly Lloyd's labels, not just in exact arithmetic: a point
// keeps its label only when its bounds prove the computed distance to its own
// centre is strictly below the computed distance to every other one, with a
// relative margin that covers rounding of the distances and of the bound updates
// (bounds are rounded outward). Otherwise all its distances are computed by the
// same kernel Lloyd uses. Centroid sums are recomputed from the labels in chunk
// and point order each iteration in both methods, so centroids, labels and
// inertia are bit-identical between them and at any thread count.
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

constexpr double kInf = std::numeric_limits<double>::infinity();
// Multipliers that round a bound outward by a few ulps after an update.
constexpr double kRoundUp = 1.0 + 0x1.0p-50;
constexpr double kRoundDown = 1.0 - 0x1.0p-50;

class SingleRun {
 public:
  SingleRun(const MatrixView& points, const Matrix& initial, const KMeansOptions& options, double tol_abs,
            const Executor& executor)
      : p_(detail::points_ref(points)),
        k_(initial.rows()),
        d_(p_.d),
        n_(static_cast<std::size_t>(p_.n)),
        grain_(detail::chunk_grain(p_.n, k_, d_)),
        chunks_(Executor::chunk_count(n_, grain_)),
        options_(options),
        tol_abs_(tol_abs),
        executor_(executor),
        hamerly_(options.method == KMeansMethod::hamerly),
        // Relative error bound of a computed distance (d + 2 roundings of
        // nonnegative terms, then sqrt), doubled for safety.
        rel_(static_cast<double>(d_ + 8) * 0x1.0p-52),
        centres_(initial),
        labels_(n_, -1),
        chunk_sums_(chunks_ * static_cast<std::size_t>(k_ * d_)),
        chunk_counts_(chunks_ * static_cast<std::size_t>(k_)),
        chunk_changed_(chunks_),
        chunk_work_(chunks_) {
    if (hamerly_) {
      upper_.assign(n_, kInf);
      lower_.assign(n_, 0.0);
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
      const std::int64_t changed = assign_pass(/*first=*/it == 0, /*accumulate=*/true);
      const double shift_total = update_centres(result.empty_clusters_fixed);
      iterations = it + 1;
      if (changed == 0) {
        strict = true;
        break;
      }
      if (shift_total <= tol_abs_) {
        tol_met = true;
        break;
      }
    }
    // Labels must match the final centroids (scikit-learn reruns the E-step).
    if (!strict) assign_pass(/*first=*/false, /*accumulate=*/false);

    result.iterations = iterations;
    result.converged = strict || tol_met;
    result.inertia = inertia_and_empty(result.empty_clusters);
    result.distance_evaluations = std::accumulate(chunk_work_.begin(), chunk_work_.end(), std::int64_t{0});
    result.centroids = std::move(centres_);
    result.labels = std::move(labels_);
    return result;
  }

 private:
  // ---- assignment --------------------------------------------------------

  /// Assigns every point (Lloyd: all distances; Hamerly: only where bounds do
  /// not decide), optionally accumulating per-chunk centroid sums. Returns how
  /// many labels changed.
  std::int64_t assign_pass(bool first, bool accumulate) {
    executor_.for_chunks(n_, grain_, [&](std::size_t chunk, Range r) {
      std::int64_t changed = 0;
      if (hamerly_)
        changed = hamerly_chunk(chunk, r, first);
      else
        changed = lloyd_chunk(chunk, r);
      chunk_changed_[chunk] = changed;
      if (accumulate) accumulate_chunk(chunk, r);
    });
    return std::accumulate(chunk_changed_.begin(), chunk_changed_.end(), std::int64_t{0});
  }

  std::int64_t lloyd_chunk(std::size_t chunk, Range r) {
    std::vector<double> tile(kTile * static_cast<std::size_t>(d_));
    std::vector<double> dist(kTile * static_cast<std::size_t>(k_));
    std::int64_t changed = 0;
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::load_tile_range(p_, static_cast<Index>(b), count, tile.data());
      detail::tile_distances(tile.data(), d_, centres_.data(), k_, dist.data());
      for (std::size_t i = 0; i < count; ++i) {
        Label best_j = 0;
        double best = dist[i];
        for (Index j = 1; j < k_; ++j) {
          const double v = dist[static_cast<std::size_t>(j) * kTile + i];
          if (v < best) {
            best = v;
            best_j = static_cast<Label>(j);
          }
        }
        if (labels_[b + i] != best_j) ++changed;
        labels_[b + i] = best_j;
      }
    }
    chunk_work_[chunk] += static_cast<std::int64_t>(r.size()) * k_;
    return changed;
  }

  std::int64_t hamerly_chunk(std::size_t chunk, Range r, bool first) {
    std::vector<double> tile(kTile * static_cast<std::size_t>(d_));
    std::vector<double> dist(kTile * static_cast<std::size_t>(k_));
    std::size_t rows[kTile];
    std::size_t pending = 0;
    std::int64_t changed = 0;
    std::int64_t work = 0;
    const double margin = 1.0 + 2.0 * rel_;

    // Full distance computation for the gathered points: new label and bounds.
    auto flush = [&] {
      if (pending == 0) return;
      detail::load_tile(p_, rows, pending, tile.data());
      detail::tile_distances(tile.data(), d_, centres_.data(), k_, dist.data());
      for (std::size_t t = 0; t < pending; ++t) {
        Label best_j = 0;
        double best = dist[t];
        double second = kInf;
        for (Index j = 1; j < k_; ++j) {
          const double v = dist[static_cast<std::size_t>(j) * kTile + t];
          if (v < best) {
            second = best;
            best = v;
            best_j = static_cast<Label>(j);
          } else if (v < second) {
            second = v;
          }
        }
        const std::size_t i = rows[t];
        if (labels_[i] != best_j) ++changed;
        labels_[i] = best_j;
        upper_[i] = std::sqrt(best) * (1.0 + rel_);
        lower_[i] = std::sqrt(second) * (1.0 - rel_);
      }
      work += static_cast<std::int64_t>(pending) * k_;
      pending = 0;
    };

    for (std::size_t i = r.begin; i < r.end; ++i) {
      if (!first) {
        const auto a = static_cast<std::size_t>(labels_[i]);
        double u = (upper_[i] + shift_[a]) * kRoundUp;
        double l = lower_[i] - (a == max_shift_index_ ? second_max_shift_ : max_shift_);
        l = l > 0.0 ? l * kRoundDown : 0.0;
        const double bound = std::max(half_gap_[a], l);
        lower_[i] = l;
        if (u * margin < bound) {
          upper_[i] = u;
          continue;
        }
        // Tighten the upper bound with the exact distance to the own centre.
        u = std::sqrt(detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(static_cast<Index>(a)).data(), d_)) *
            (1.0 + rel_);
        ++work;
        upper_[i] = u;
        if (u * margin < bound) continue;
      }
      rows[pending++] = i;
      if (pending == kTile) flush();
    }
    flush();
    chunk_work_[chunk] += work;
    return changed;
  }

  void accumulate_chunk(std::size_t chunk, Range r) {
    double* sums = chunk_sums_.data() + chunk * static_cast<std::size_t>(k_ * d_);
    std::int64_t* counts = chunk_counts_.data() + chunk * static_cast<std::size_t>(k_);
    std::fill(sums, sums + k_ * d_, 0.0);
    std::fill(counts, counts + k_, 0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const auto a = static_cast<std::size_t>(labels_[i]);
      const double* x = p_.row(static_cast<Index>(i));
      double* s = sums + a * static_cast<std::size_t>(d_);
      for (Index f = 0; f < d_; ++f) s[f] += x[f];
      ++counts[a];
    }
  }

  // ---- update ------------------------------------------------------------

  /// New centroids from the chunk sums (merged in chunk order), empty clusters
  /// re-seeded; updates the Hamerly motion data. Returns Σ_j |c_j' − c_j|².
  double update_centres(int& empty_fixed) {
    const auto kd = static_cast<std::size_t>(k_ * d_);
    std::vector<double> sums(kd, 0.0);
    std::vector<std::int64_t> counts(static_cast<std::size_t>(k_), 0);
    for (std::size_t c = 0; c < chunks_; ++c) {
      const double* cs = chunk_sums_.data() + c * kd;
      for (std::size_t t = 0; t < kd; ++t) sums[t] += cs[t];
      const std::int64_t* cc = chunk_counts_.data() + c * static_cast<std::size_t>(k_);
      for (Index j = 0; j < k_; ++j) counts[static_cast<std::size_t>(j)] += cc[j];
    }
    empty_fixed += relocate_empty(sums, counts);

    Matrix updated(k_, d_);
    for (Index j = 0; j < k_; ++j) {
      const std::int64_t cnt = counts[static_cast<std::size_t>(j)];
      for (Index f = 0; f < d_; ++f)
        updated(j, f) = cnt > 0 ? sums[static_cast<std::size_t>(j * d_ + f)] / static_cast<double>(cnt) : centres_(j, f);
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
  /// centre to its nearest other centre (both rounded to stay valid bounds).
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
  /// (ties: lower row first); that point's old cluster gives it up. Returns the
  /// number of clusters re-seeded.
  int relocate_empty(std::vector<double>& sums, std::vector<std::int64_t>& counts) {
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

    for (std::size_t e = 0; e < m && e < all.size(); ++e) {
      const std::size_t row = all[e].second;
      const auto from = static_cast<std::size_t>(labels_[row]);
      const auto to = static_cast<std::size_t>(empty[e]);
      const double* x = p_.row(static_cast<Index>(row));
      for (Index f = 0; f < d_; ++f) {
        sums[from * static_cast<std::size_t>(d_) + static_cast<std::size_t>(f)] -= x[f];
        sums[to * static_cast<std::size_t>(d_) + static_cast<std::size_t>(f)] = x[f];
      }
      counts[from] -= 1;
      counts[to] = 1;
    }
    return static_cast<int>(std::min(m, all.size()));
  }

  // ---- result ------------------------------------------------------------

  /// Σ squared distance to the assigned centroid (chunk order), and how many
  /// centroids have no point.
  double inertia_and_empty(int& empty_clusters) {
    std::vector<double> chunk_inertia(chunks_, 0.0);
    executor_.for_chunks(n_, grain_, [&](std::size_t chunk, Range r) {
      double s = 0.0;
      std::int64_t* counts = chunk_counts_.data() + chunk * static_cast<std::size_t>(k_);
      std::fill(counts, counts + k_, 0);
      for (std::size_t i = r.begin; i < r.end; ++i) {
        s += detail::squared_distance(p_.row(static_cast<Index>(i)), centres_.row(labels_[i]).data(), d_);
        ++counts[labels_[i]];
      }
      chunk_inertia[chunk] = s;
    });
    std::vector<std::int64_t> counts(static_cast<std::size_t>(k_), 0);
    for (std::size_t c = 0; c < chunks_; ++c)
      for (Index j = 0; j < k_; ++j) counts[static_cast<std::size_t>(j)] += chunk_counts_[c * static_cast<std::size_t>(k_) + static_cast<std::size_t>(j)];
    empty_clusters = static_cast<int>(std::count(counts.begin(), counts.end(), 0));
    double total = 0.0;
    for (double s : chunk_inertia) total += s;
    return total;
  }

  const PointsRef p_;
  const Index k_;
  const Index d_;
  const std::size_t n_;
  const std::size_t grain_;
  const std::size_t chunks_;
  const KMeansOptions& options_;
  const double tol_abs_;
  const Executor& executor_;
  const bool hamerly_;
  const double rel_;

  Matrix centres_;
  Labels labels_;
  std::vector<double> chunk_sums_;
  std::vector<std::int64_t> chunk_counts_;
  std::vector<std::int64_t> chunk_changed_;
  std::vector<std::int64_t> chunk_work_;

  // Hamerly state: bounds per point, motion per centre.
  std::vector<double> upper_;
  std::vector<double> lower_;
  std::vector<double> shift_;
  std::vector<double> half_gap_;
  double max_shift_ = 0.0;
  double second_max_shift_ = 0.0;
  std::size_t max_shift_index_ = 0;
};

}  // namespace

namespace detail {

double absolute_tolerance(const MatrixView& points, double tol, const Executor& executor) {
  const PointsRef p = points_ref(points);
  const auto n = static_cast<std::size_t>(p.n);
  const auto d = static_cast<std::size_t>(p.d);
  const std::size_t grain = chunk_grain(p.n, 1, p.d);
  const std::size_t chunks = Executor::chunk_count(n, grain);
  std::vector<double> partial(chunks * d, 0.0);
  std::vector<std::size_t> first_bad(chunks, n);
  executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
    double* s = partial.data() + chunk * d;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double* x = p.row(static_cast<Index>(i));
      for (std::size_t f = 0; f < d; ++f) {
        if (!std::isfinite(x[f]) && first_bad[chunk] == n) first_bad[chunk] = i;
        s[f] += x[f];
      }
    }
  });
  for (std::size_t c = 0; c < chunks; ++c)
    if (first_bad[c] != n)
      throw InputError("k-means: point " + std::to_string(first_bad[c]) + " has a NaN or infinite value");
  if (tol == 0.0) return 0.0;

  std::vector<double> mean(d, 0.0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t f = 0; f < d; ++f) mean[f] += partial[c * d + f];
  for (double& m : mean) m /= static_cast<double>(n);
  std::fill(partial.begin(), partial.end(), 0.0);
  executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
    double* s = partial.data() + chunk * d;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double* x = p.row(static_cast<Index>(i));
      for (std::size_t f = 0; f < d; ++f) {
        const double t = x[f] - mean[f];
        s[f] += t * t;
      }
    }
  });
  double variance_sum = 0.0;
  for (std::size_t f = 0; f < d; ++f) {
    double v = 0.0;
    for (std::size_t c = 0; c < chunks; ++c) v += partial[c * d + f];
    variance_sum += v / static_cast<double>(n);
  }
  return tol * variance_sum / static_cast<double>(d);
}

KMeansResult run_from_centroids(const MatrixView& points, const Matrix& initial_centroids,
                                const KMeansOptions& options, double absolute_tol, const Executor& executor) {
  return SingleRun(points, initial_centroids, options, absolute_tol, executor).run();
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
    std::vector<double> dist(kTile * static_cast<std::size_t>(k));
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::load_tile_range(p, static_cast<Index>(b), count, tile.data());
      detail::tile_distances(tile.data(), p.d, centroids.data(), k, dist.data());
      for (std::size_t i = 0; i < count; ++i) {
        Label best_j = 0;
        for (Index j = 1; j < k; ++j)
          if (dist[static_cast<std::size_t>(j) * kTile + i] < dist[static_cast<std::size_t>(best_j) * kTile + i])
            best_j = static_cast<Label>(j);
        labels[b + i] = best_j;
      }
    }
  });
  return labels;
}

}  // namespace cb::cluster
