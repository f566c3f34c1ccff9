#pragma once
// One point's silhouette from its sums of distances to each cluster: shared
// by the exact pass and the sampled one so both score a point identically.
#include <algorithm>
#include <limits>
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb::metrics::detail {

/// sklearn's silhouette of one point: sums[c * stride] is its sum of
/// distances to cluster c, counts[c] that cluster's size, own its cluster.
inline double point_silhouette(const double* sums, Index stride, Label own, const std::vector<Index>& counts) {
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

}  // namespace cb::metrics::detail
