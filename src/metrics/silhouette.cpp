// Exact silhouette over distance tiles. A task owns a tile of rows and streams
// every column point past it: squared distances by the direct sum of squared
// differences (no ‖x‖²+‖y‖²−2x·y cancellation), vectorised over the rows of
// the tile, then square roots, then per-row sums of distances to each cluster
// of each labeling. Each row's sums are accumulated over columns in index
// order, so results do not depend on the thread count (nor on the tiles, for
// the per-label adds).
#include "clusterbench/metrics/silhouette.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "label_encoding.hpp"

namespace cb::metrics {
namespace {

constexpr Index kRowBlock = 16;         // rows whose distances stay in registers
constexpr Index kDefaultRowTile = 64;   // rows per task: its cluster sums stay in L1/L2
constexpr Index kDefaultColTile = 64;   // columns per distance tile (tile of 64×64 doubles = 32 KiB, L1)

Index round_up(Index x, Index m) { return (x + m - 1) / m * m; }

/// Squared distances from one column point y to the rp rows of a tile stored
/// feature-major in xt (d × rp); rp is a multiple of kRowBlock.
void squared_distances(const double* xt, Index rp, const double* y, Index d, double* out) {
  for (Index r0 = 0; r0 < rp; r0 += kRowBlock) {
    double acc[kRowBlock] = {};
    for (Index f = 0; f < d; ++f) {
      const double yf = y[f];
      const double* p = xt + f * rp + r0;
      for (Index b = 0; b < kRowBlock; ++b) {
        const double t = p[b] - yf;
        acc[b] += t * t;
      }
    }
    for (Index b = 0; b < kRowBlock; ++b) out[r0 + b] = acc[b];
  }
}

/// One labeling's place in the pass: its dense codes and its rows of the
/// per-tile sums (clusters, then one dump row that swallows noise columns).
struct LabelingPlan {
  detail::EncodedLabels encoded;
  Index first_row = 0;
  bool defined = false;
};

/// sklearn's silhouette of one point from its sums of distances to each cluster.
double point_silhouette(const double* sums, Index stride, Label own, const std::vector<Index>& counts) {
  const Index own_count = counts[static_cast<std::size_t>(own)];
  if (own_count <= 1) return 0.0;  // singleton: 0 as scikit-learn
  const double a = sums[own * stride] / static_cast<double>(own_count - 1);
  double b = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (static_cast<Label>(c) == own) continue;
    b = std::min(b, sums[static_cast<Index>(c) * stride] / static_cast<double>(counts[c]));
  }
  const double denom = std::max(a, b);
  if (!(denom > 0)) return 0.0;  // 0/0 (all distances zero) is NaN in sklearn, then nan_to_num -> 0
  return (b - a) / denom;
}

}  // namespace

std::vector<SilhouetteResult> silhouette_many(MatrixView points, std::span<const Labels> labelings,
                                              const SilhouetteOptions& options, const Executor& executor) {
  const Index n = points.rows();
  const Index d = points.cols();
  if (n == 0) throw InputError("silhouette: the data has no points");
  if (options.row_tile < 0 || options.col_tile < 0)
    throw InputError("silhouette: row_tile and col_tile must be >= 0 (0 = automatic)");
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

  // Centre the data: distances are unchanged, rounding of the differences is smaller.
  const Eigen::RowVectorXd mean = points.colwise().sum() / static_cast<double>(n);
  const Matrix centred = points.rowwise() - mean;

  // codes[j*L + l]: the row of the tile sums that column point j adds to for labeling l.
  std::vector<std::int32_t> codes(static_cast<std::size_t>(n * L));
  for (Index l = 0; l < L; ++l) {
    const auto& plan = plans[static_cast<std::size_t>(l)];
    const Index dump = plan.first_row + plan.encoded.clusters();
    for (Index j = 0; j < n; ++j) {
      const Label c = plan.encoded.codes[static_cast<std::size_t>(j)];
      codes[static_cast<std::size_t>(j * L + l)] = static_cast<std::int32_t>(c == kNoise ? dump : plan.first_row + c);
    }
  }

  const Index row_tile = options.row_tile > 0 ? options.row_tile : kDefaultRowTile;
  const Index col_tile = options.col_tile > 0 ? options.col_tile : kDefaultColTile;
  Matrix values(n, L);  // silhouette per point and labeling (NaN where not scored)

  executor.for_chunks(static_cast<std::size_t>(n), static_cast<std::size_t>(row_tile), [&](std::size_t, Range range) {
    const auto i0 = static_cast<Index>(range.begin);
    const Index rows = static_cast<Index>(range.size());
    const Index rp = round_up(rows, kRowBlock);
    std::vector<double> xt(static_cast<std::size_t>(d * rp), 0.0);  // the row tile, feature-major, zero-padded
    for (Index r = 0; r < rows; ++r)
      for (Index f = 0; f < d; ++f) xt[static_cast<std::size_t>(f * rp + r)] = centred(i0 + r, f);
    std::vector<double> sums(static_cast<std::size_t>(sum_rows * rp), 0.0);
    std::vector<double> tile(static_cast<std::size_t>(col_tile * rp));
    Eigen::MatrixXd onehot;  // (sum_rows × col_tile), GEMM variant only
    if (options.onehot_gemm) onehot.resize(sum_rows, col_tile);

    for (Index j0 = 0; j0 < n; j0 += col_tile) {
      const Index cols = std::min(col_tile, n - j0);
      for (Index jj = 0; jj < cols; ++jj)
        squared_distances(xt.data(), rp, centred.row(j0 + jj).data(), d, tile.data() + jj * rp);
      Eigen::Map<Eigen::ArrayXd> dist(tile.data(), cols * rp);
      dist = dist.sqrt();
      if (options.onehot_gemm) {
        onehot.setZero();
        for (Index jj = 0; jj < cols; ++jj)
          for (Index l = 0; l < L; ++l) onehot(codes[static_cast<std::size_t>((j0 + jj) * L + l)], jj) = 1.0;
        using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        Eigen::Map<RowMajor> acc(sums.data(), sum_rows, rp);
        Eigen::Map<const RowMajor> dtile(tile.data(), cols, rp);
        acc.noalias() += onehot.leftCols(cols) * dtile;
      } else {
        for (Index l = 0; l < L; ++l) {
          for (Index jj = 0; jj < cols; ++jj) {
            double* target = sums.data() + codes[static_cast<std::size_t>((j0 + jj) * L + l)] * rp;
            const double* source = tile.data() + jj * rp;
            for (Index r = 0; r < rp; ++r) target[r] += source[r];
          }
        }
      }
    }

    for (Index l = 0; l < L; ++l) {
      const auto& plan = plans[static_cast<std::size_t>(l)];
      for (Index r = 0; r < rows; ++r) {
        const Label own = plan.encoded.codes[static_cast<std::size_t>(i0 + r)];
        values(i0 + r, l) = (!plan.defined || own == kNoise)
                                ? std::numeric_limits<double>::quiet_NaN()
                                : point_silhouette(sums.data() + plan.first_row * rp + r, rp, own, plan.encoded.counts);
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
  }
  return results;
}

SilhouetteResult silhouette(MatrixView points, const Labels& labels, const SilhouetteOptions& options,
                            const Executor& executor) {
  return silhouette_many(points, std::span<const Labels>(&labels, 1), options, executor).front();
}

}  // namespace cb::metrics
