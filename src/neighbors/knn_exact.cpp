// Exact kNN by blocked brute force: squared distances of a tile of query rows
// to a block of columns come from one GEMM (|x|² + |y|² - 2·x·y). Each row keeps
// its k best (by distance, then index): candidates that beat the current k-th
// best are buffered and merged by selection now and then, so most candidates
// cost one comparison. The kept candidates' distances are then recomputed
// directly so the reported distances carry no cancellation error.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/neighbors/knn.hpp"
#include "knn_list.hpp"

namespace cb::neighbors {
namespace {

constexpr Index kRowTile = 64;
constexpr Index kColBlock = 2048;

using Candidate = std::pair<double, std::int32_t>;  // (squared distance, index): a strict total order

// The k best candidates seen so far of one row, unordered, and the worst of them once k are held.
class BestK {
 public:
  explicit BestK(std::size_t k) : k_(k) { kept_.reserve(k + kBuffer); }

  bool beats_worst(const Candidate& c) const { return !has_worst_ || c < worst_; }
  /// No candidate farther than this enters (+inf until k are held).
  double threshold() const { return has_worst_ ? worst_.first : std::numeric_limits<double>::infinity(); }
  void offer(const Candidate& c) {
    kept_.push_back(c);
    if (kept_.size() == k_ + kBuffer) shrink();
  }
  /// The k best, unordered.
  const std::vector<Candidate>& finish() {
    shrink();
    return kept_;
  }

 private:
  static constexpr std::size_t kBuffer = 256;
  void shrink() {
    if (kept_.size() < k_) return;
    std::nth_element(kept_.begin(), kept_.begin() + static_cast<std::ptrdiff_t>(k_ - 1), kept_.end());
    kept_.resize(k_);
    worst_ = kept_[k_ - 1];
    has_worst_ = true;
  }
  std::size_t k_;
  std::vector<Candidate> kept_;
  Candidate worst_{};
  bool has_worst_ = false;  // until k are held, everything enters
};

}  // namespace

KnnGraph knn_exact(MatrixView points, Index k, const Executor& executor) {
  detail::check_knn_input(points, k);
  const Index n = points.rows();
  KnnGraph graph;
  graph.k = k;
  graph.indices.resize(n, k);
  graph.distances.resize(n, k);
  const Vector norms = points.rowwise().squaredNorm();

  executor.parallel_for(static_cast<std::size_t>(n), kRowTile, [&](Range rows) {
    const Index r0 = static_cast<Index>(rows.begin);
    const Index rn = static_cast<Index>(rows.size());
    Matrix tile;
    std::vector<BestK> best(static_cast<std::size_t>(rn), BestK(static_cast<std::size_t>(k)));
    for (Index c0 = 0; c0 < n; c0 += kColBlock) {
      const Index cn = std::min(kColBlock, n - c0);
      tile.resize(rn, cn);
      tile.noalias() = -2.0 * points.middleRows(r0, rn) * points.middleRows(c0, cn).transpose();
      for (Index r = 0; r < rn; ++r) {
        const Index i = r0 + r;
        BestK& row_best = best[static_cast<std::size_t>(r)];
        const double* distances = tile.row(r).data();
        const double* block_norms = norms.data() + c0;
        const double norm_i = norms(i);
        double threshold = row_best.threshold();
        for (Index c = 0; c < cn; ++c) {
          const double d2 = distances[c] + norm_i + block_norms[c];
          if (d2 > threshold) continue;  // the common case: one comparison (thresholds are ≥ 0, so exact)
          const Index j = c0 + c;
          const Candidate candidate{std::max(0.0, d2), static_cast<std::int32_t>(j)};
          if (j != i && row_best.beats_worst(candidate)) {
            row_best.offer(candidate);
            threshold = row_best.threshold();
          }
        }
      }
    }
    for (Index r = 0; r < rn; ++r) {
      const auto& kept = best[static_cast<std::size_t>(r)].finish();
      for (Index c = 0; c < k; ++c) graph.indices(r0 + r, c) = kept[static_cast<std::size_t>(c)].second;
    }
    // Exact distances of the kept neighbours, re-sorted.
    std::vector<std::pair<double, std::int32_t>> row(static_cast<std::size_t>(k));
    for (Index i = r0; i < r0 + rn; ++i) {
      for (Index c = 0; c < k; ++c) {
        const std::int32_t j = graph.indices(i, c);
        row[c] = {(points.row(i) - points.row(j)).squaredNorm(), j};
      }
      std::sort(row.begin(), row.end());
      for (Index c = 0; c < k; ++c) {
        graph.distances(i, c) = std::sqrt(row[c].first);
        graph.indices(i, c) = row[c].second;
      }
    }
  });
  return graph;
}

KnnMethod resolve_knn_method(Index n, Index k, Index d, const KnnOptions& options) {
  if (options.method != KnnMethod::automatic) return options.method;
  const double nd = static_cast<double>(n), dd = static_cast<double>(d);
  const double exact_work = nd * nd * dd;
  if (d <= options.kdtree_any_size_dims) return KnnMethod::kdtree;
  if (exact_work <= options.exact_work_limit) return KnnMethod::exact;
  if (d <= options.kdtree_max_dims) return KnnMethod::kdtree;
  // NN-descent joins ~(2·k)² candidate pairs per point and round (about 10 rounds);
  // brute force runs as GEMM, several times faster per distance. So large k favours brute force.
  const double candidates = 2.0 * static_cast<double>(k) * options.nndescent.sample_rate;
  const double nndescent_work = nd * candidates * candidates * dd * 10.0;
  return exact_work <= 0.5 * nndescent_work ? KnnMethod::exact : KnnMethod::nndescent;
}

KnnGraph knn_graph(MatrixView points, Index k, const KnnOptions& options, std::uint64_t seed,
                   const Executor& executor) {
  switch (resolve_knn_method(points.rows(), k, points.cols(), options)) {
    case KnnMethod::exact: return knn_exact(points, k, executor);
    case KnnMethod::kdtree: return knn_kdtree(points, k, executor);
    default: return knn_nndescent(points, k, options.nndescent, seed, executor);
  }
}

double knn_recall(const KnnGraph& approx, const KnnGraph& exact) {
  const Index n = exact.indices.rows();
  const Index k = std::min(approx.k, exact.k);
  std::size_t found = 0;
  for (Index i = 0; i < n; ++i) {
    for (Index a = 0; a < k; ++a) {
      for (Index b = 0; b < approx.k; ++b) {
        if (approx.indices(i, b) == exact.indices(i, a)) {
          ++found;
          break;
        }
      }
    }
  }
  return n * k == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(n * k);
}

}  // namespace cb::neighbors
