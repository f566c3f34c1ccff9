// Adjusted Rand index from the pair confusion matrix, as scikit-learn 1.2
// computes it: exact integer pair counts, then one floating-point division.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "label_encoding.hpp"

namespace cb::metrics {
namespace {
__extension__ typedef __int128 Wide;  // pair-count products reach n^4
}

double adjusted_rand_index(const Labels& a, const Labels& b) {
  if (a.size() != b.size())
    throw InputError("adjusted_rand_index: labelings have different lengths (" + std::to_string(a.size()) + " and " +
                     std::to_string(b.size()) + ")");
  // Noise is an ordinary label here, as scikit-learn treats -1.
  const auto ea = detail::encode_labels(a, /*exclude_noise=*/false);
  const auto eb = detail::encode_labels(b, /*exclude_noise=*/false);
  const auto n = static_cast<std::int64_t>(a.size());
  const auto kb = static_cast<std::int64_t>(eb.clusters());

  // Non-zero cells of the contingency table, found by sorting cell ids.
  std::vector<std::int64_t> cells(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) cells[i] = static_cast<std::int64_t>(ea.codes[i]) * kb + eb.codes[i];
  std::sort(cells.begin(), cells.end());

  Wide sum_squares = 0, row_weighted = 0, col_weighted = 0;
  for (std::size_t i = 0; i < cells.size();) {
    std::size_t j = i;
    while (j < cells.size() && cells[j] == cells[i]) ++j;
    const Wide count = static_cast<Wide>(j - i);
    const auto row = static_cast<std::size_t>(cells[i] / kb);
    const auto col = static_cast<std::size_t>(cells[i] % kb);
    sum_squares += count * count;
    row_weighted += count * eb.counts[col];  // contingency · n_k
    col_weighted += count * ea.counts[row];  // contingencyᵀ · n_c
    i = j;
  }
  const Wide tp = sum_squares - n;
  const Wide fp = row_weighted - sum_squares;
  const Wide fn = col_weighted - sum_squares;
  const Wide tn = static_cast<Wide>(n) * n - fp - fn - sum_squares;
  if (fn == 0 && fp == 0) return 1.0;  // identical partitions, including both a single cluster
  const double numerator = static_cast<double>(tp * tn - fn * fp);
  const double denominator = static_cast<double>((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
  return 2.0 * numerator / denominator;
}

}  // namespace cb::metrics
