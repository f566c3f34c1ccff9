// Greedy k-means++ seeding, the algorithm of scikit-learn's _kmeans_plusplus,
// in one pass over the data per centre.
//
// The nearest-centre squared distances D(i) live in `closest`. Choosing centre c
// needs the cumulative sum of D for sampling and, per candidate, the potential
// Σ min(D, d(x, candidate)). One chunked pass computes the potentials of all
// candidates and, at the same time, folds the previously chosen centre into D
// (lazily: the sampling for the next centre only needs per-chunk totals of the
// new D, which the pass already produced for the winning candidate, plus the
// values inside the few chunks where a sample lands, recomputed on the fly).
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/cluster/kmeans_kernels.hpp"
#include "clusterbench/core/error.hpp"

namespace cb::cluster {
namespace {

using detail::kTile;
using detail::points_ref;
using detail::PointsRef;

void check_seeding_input(const MatrixView& points, int k) {
  if (points.rows() == 0 || points.cols() == 0)
    throw InputError("k-means++: the data is empty (" + std::to_string(points.rows()) + " points, " +
                     std::to_string(points.cols()) + " features)");
  if (k < 1) throw InputError("k-means++: k must be at least 1, got " + std::to_string(k));
  if (k > points.rows())
    throw InputError("k-means++: k = " + std::to_string(k) + " exceeds the number of points (" +
                     std::to_string(points.rows()) + ")");
}

/// Sampling state: D per point (possibly missing the last chosen centre,
/// `pending`) and the per-chunk totals of the up-to-date D.
struct Potential {
  std::vector<double> closest;      // D(i), without `pending` folded in
  std::vector<double> chunk_total;  // Σ over the chunk of min(D, d(x, pending)) (lane partial sums, fixed order)
  Index pending = -1;               // row of the last chosen centre not yet folded into `closest`
};

/// Up-to-date D(i): `closest` with the pending centre folded in.
double current_d(const PointsRef& p, const Potential& pot, Index i) {
  const double d = pot.closest[static_cast<std::size_t>(i)];
  if (pot.pending < 0) return d;
  return std::min(d, detail::squared_distance(p.row(i), p.row(pot.pending), p.d));
}

/// numpy.searchsorted(cumsum(D), r, side='left') clipped to n − 1: the first
/// point whose running sum reaches r. The cumsum is chunk-structured (prefix
/// of chunk totals, then point order inside the chunk) so it does not depend on
/// the thread count.
Index search_cumulative(const PointsRef& p, const Potential& pot, std::size_t grain, double r) {
  const std::size_t chunks = pot.chunk_total.size();
  double prefix = 0.0;
  std::size_t c = 0;
  for (; c < chunks; ++c) {
    if (prefix + pot.chunk_total[c] >= r) break;
    prefix += pot.chunk_total[c];
  }
  // Scan from the chunk found; rounding may carry the hit into a later chunk.
  double running = prefix;
  for (Index i = static_cast<Index>(c * grain); i < p.n; ++i) {
    running += current_d(p, pot, i);
    if (running >= r) return i;
  }
  return p.n - 1;
}

/// One seeding as a sequence of sweeps: sweep 0 computes D for the first
/// centre; sweep c (1 ≤ c < k) evaluates the candidates for centre c.
class Seeder {
 public:
  Seeder(const PointsRef& p, const detail::Columns& columns, int k, int trials, Rng& rng)
      : p_(p),
        columns_(columns),
        k_(k),
        m_(static_cast<std::size_t>(trials)),
        n_(static_cast<std::size_t>(p.n)),
        grain_(detail::chunk_grain(p.n)),
        chunks_(Executor::chunk_count(n_, grain_)),
        rng_(rng),
        candidates_(m_),
        candidate_chunk_pot_(chunks_ * m_),
        pass_centres_(static_cast<Index>(m_ + 1), p.d) {
    chosen_.reserve(static_cast<std::size_t>(k));
    chosen_.push_back(static_cast<Index>(rng_.below(n_)));
    detail::assign_huge(pot_.closest, n_, 0.0);
    pot_.chunk_total.assign(chunks_, 0.0);
  }

  bool done() const { return step_ >= k_; }

  /// Serial work before sweep `step_`: draw the candidates.
  void prepare() {
    if (step_ == 0) return;
    for (std::size_t t = 0; t < m_; ++t) {
      const double r = rng_.uniform() * current_pot_;
      candidates_[t] = search_cumulative(p_, pot_, grain_, r);
    }
    has_pending_ = pot_.pending >= 0;
    if (has_pending_) copy_row(0, pot_.pending);
    for (std::size_t t = 0; t < m_; ++t) copy_row(t + 1, candidates_[t]);
  }

  void chunk(std::size_t chunk, Range r) {
    const Index d = p_.d;
    if (step_ == 0) {
      const double* first = p_.row(chosen_[0]);
      double total = 0.0;
      for (std::size_t i = r.begin; i < r.end; ++i) {
        const double di = detail::squared_distance(p_.row(static_cast<Index>(i)), first, d);
        pot_.closest[i] = di;
        total += di;
      }
      pot_.chunk_total[chunk] = total;
      return;
    }
    // Row 0 of pass_centres_ is the pending centre (if any), then the candidates.
    const double* pending = has_pending_ ? pass_centres_.data() : nullptr;
    const double* candidates = pass_centres_.data() + d;
    std::vector<double> lane_sums(m_ * detail::kLanes, 0.0);
    for (std::size_t b = r.begin; b < r.end; b += kTile) {
      const std::size_t count = std::min(kTile, r.end - b);
      detail::tile_potentials(columns_.tile(b), columns_.stride, d, pending, candidates, static_cast<Index>(m_),
                              pot_.closest.data() + b, count, lane_sums.data());
    }
    // Lanes merged in a fixed order: the chunk's potential per candidate.
    for (std::size_t t = 0; t < m_; ++t) {
      double total = 0.0;
      for (std::size_t lane = 0; lane < detail::kLanes; ++lane) total += lane_sums[t * detail::kLanes + lane];
      candidate_chunk_pot_[chunk * m_ + t] = total;
    }
  }

  /// Serial work after the sweep: keep the best candidate.
  void finish() {
    if (step_ == 0) {
      current_pot_ = 0.0;
      for (double t : pot_.chunk_total) current_pot_ += t;
    } else {
      // Potentials per candidate, merged in chunk order; the first minimum wins (np.argmin).
      std::size_t best = 0;
      double best_pot = std::numeric_limits<double>::infinity();
      for (std::size_t t = 0; t < m_; ++t) {
        double total = 0.0;
        for (std::size_t ch = 0; ch < chunks_; ++ch) total += candidate_chunk_pot_[ch * m_ + t];
        if (total < best_pot) {
          best_pot = total;
          best = t;
        }
      }
      current_pot_ = best_pot;
      for (std::size_t ch = 0; ch < chunks_; ++ch) pot_.chunk_total[ch] = candidate_chunk_pot_[ch * m_ + best];
      pot_.pending = candidates_[best];
      chosen_.push_back(candidates_[best]);
    }
    ++step_;
  }

  std::vector<Index> take() { return std::move(chosen_); }

 private:
  void copy_row(std::size_t slot, Index row) {
    std::copy(p_.row(row), p_.row(row) + p_.d, pass_centres_.row(static_cast<Index>(slot)).data());
  }

  const PointsRef p_;
  const detail::Columns& columns_;
  const int k_;
  const std::size_t m_;
  const std::size_t n_;
  const std::size_t grain_;
  const std::size_t chunks_;
  Rng& rng_;
  std::vector<Index> chosen_;
  Potential pot_;
  double current_pot_ = 0.0;
  int step_ = 0;
  bool has_pending_ = false;
  std::vector<Index> candidates_;
  std::vector<double> candidate_chunk_pot_;
  Matrix pass_centres_;
};

}  // namespace

namespace detail {

std::vector<std::vector<Index>> plusplus_lockstep(const MatrixView& points, const Columns& columns, int k,
                                                  std::vector<Rng>& rngs, int n_local_trials,
                                                  const Executor& executor) {
  check_seeding_input(points, k);
  const PointsRef p = points_ref(points);
  const int trials = n_local_trials > 0 ? n_local_trials : 2 + static_cast<int>(std::log(static_cast<double>(k)));
  std::vector<std::unique_ptr<Seeder>> seeders;
  for (Rng& rng : rngs) seeders.push_back(std::make_unique<Seeder>(p, columns, k, trials, rng));
  const auto n = static_cast<std::size_t>(p.n);
  const std::size_t grain = chunk_grain(p.n);
  // Every seeding takes exactly k sweeps, so they stay in step.
  for (int step = 0; step < k; ++step) {
    for (auto& s : seeders) s->prepare();
    executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
      for (auto& s : seeders) s->chunk(chunk, r);
    });
    for (auto& s : seeders) s->finish();
  }
  std::vector<std::vector<Index>> out;
  for (auto& s : seeders) out.push_back(s->take());
  return out;
}

}  // namespace detail

std::vector<Index> kmeans_plusplus(MatrixView points, int k, Rng& rng, const Executor& executor, int n_local_trials) {
  std::vector<Rng> rngs{rng};
  check_seeding_input(points, k);
  const detail::Columns columns = detail::columns_of(points_ref(points), executor);
  auto seeds = detail::plusplus_lockstep(points, columns, k, rngs, n_local_trials, executor);
  rng = rngs[0];
  return std::move(seeds[0]);
}

}  // namespace cb::cluster
