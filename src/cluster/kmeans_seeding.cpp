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
#include <string>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/cluster/kmeans_kernels.hpp"
#include "clusterbench/core/error.hpp"

namespace cb::cluster {
namespace {

using detail::kTile;
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
  std::vector<double> closest;       // D(i), without `pending` folded in
  std::vector<double> chunk_total;   // Σ over the chunk of min(D, d(x, pending)), in point order
  Index pending = -1;                // row of the last chosen centre not yet folded into `closest`
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

}  // namespace

std::vector<Index> kmeans_plusplus(MatrixView points, int k, Rng& rng, const Executor& executor,
                                   int n_local_trials) {
  check_seeding_input(points, k);
  const PointsRef p = detail::points_ref(points);
  const Index d = p.d;
  const int trials = n_local_trials > 0 ? n_local_trials : 2 + static_cast<int>(std::log(static_cast<double>(k)));
  const std::size_t n = static_cast<std::size_t>(p.n);
  const std::size_t grain = detail::chunk_grain(p.n, trials + 1, d);
  const std::size_t chunks = Executor::chunk_count(n, grain);

  std::vector<Index> chosen;
  chosen.reserve(static_cast<std::size_t>(k));
  chosen.push_back(static_cast<Index>(rng.below(n)));

  Potential pot;
  pot.closest.assign(n, 0.0);
  pot.chunk_total.assign(chunks, 0.0);
  const double* first = p.row(chosen[0]);
  executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
    double total = 0.0;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double di = detail::squared_distance(p.row(static_cast<Index>(i)), first, d);
      pot.closest[i] = di;
      total += di;
    }
    pot.chunk_total[chunk] = total;
  });
  double current_pot = 0.0;
  for (double t : pot.chunk_total) current_pot += t;

  // Centres of one pass: row 0 = the pending centre (if any), then the candidates.
  const auto m = static_cast<std::size_t>(trials);
  Matrix pass_centres(static_cast<Index>(m + 1), d);
  std::vector<Index> candidates(m);
  std::vector<double> candidate_chunk_pot(chunks * m);

  for (int c = 1; c < k; ++c) {
    for (std::size_t t = 0; t < m; ++t) {
      const double r = rng.uniform() * current_pot;
      candidates[t] = search_cumulative(p, pot, grain, r);
    }
    const bool has_pending = pot.pending >= 0;
    if (has_pending) pass_centres.row(0) = points.row(pot.pending);
    for (std::size_t t = 0; t < m; ++t) pass_centres.row(static_cast<Index>(t + 1)) = points.row(candidates[t]);
    const double* centres = pass_centres.data() + (has_pending ? 0 : d);
    const Index n_centres = static_cast<Index>(m) + (has_pending ? 1 : 0);
    const std::size_t off = has_pending ? 1 : 0;

    executor.for_chunks(n, grain, [&](std::size_t chunk, Range r) {
      std::vector<double> tile(kTile * static_cast<std::size_t>(d));
      std::vector<double> dist(kTile * static_cast<std::size_t>(n_centres));
      std::vector<double> sums(m, 0.0);
      for (std::size_t b = r.begin; b < r.end; b += kTile) {
        const std::size_t count = std::min(kTile, r.end - b);
        detail::load_tile_range(p, static_cast<Index>(b), count, tile.data());
        detail::tile_distances(tile.data(), d, centres, n_centres, dist.data());
        for (std::size_t i = 0; i < count; ++i) {
          double di = pot.closest[b + i];
          if (has_pending) {
            di = std::min(di, dist[i]);
            pot.closest[b + i] = di;
          }
          for (std::size_t t = 0; t < m; ++t) sums[t] += std::min(di, dist[(t + off) * kTile + i]);
        }
      }
      std::copy(sums.begin(), sums.end(), candidate_chunk_pot.begin() + static_cast<std::ptrdiff_t>(chunk * m));
    });

    // Potentials per candidate, merged in chunk order; the first minimum wins (np.argmin).
    std::size_t best = 0;
    double best_pot = std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < m; ++t) {
      double total = 0.0;
      for (std::size_t ch = 0; ch < chunks; ++ch) total += candidate_chunk_pot[ch * m + t];
      if (total < best_pot) {
        best_pot = total;
        best = t;
      }
    }
    current_pot = best_pot;
    for (std::size_t ch = 0; ch < chunks; ++ch) pot.chunk_total[ch] = candidate_chunk_pot[ch * m + best];
    pot.pending = candidates[best];
    chosen.push_back(candidates[best]);
  }
  return chosen;
}

}  // namespace cb::cluster
