#pragma once
// Dense re-coding of cluster labels shared by the metrics: arbitrary label
// values become 0..k-1 in increasing label order (as scikit-learn's
// LabelEncoder); kNoise stays kNoise when noise is excluded.
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb::metrics::detail {

struct EncodedLabels {
  std::vector<Label> codes;   ///< per point: 0..k-1, or kNoise
  std::vector<Index> counts;  ///< points per code
  Index noise = 0;            ///< points labelled kNoise (when excluded)
  int clusters() const { return static_cast<int>(counts.size()); }
};

/// Re-codes labels densely. With exclude_noise, kNoise points keep the code
/// kNoise and are counted in `noise`; otherwise kNoise is an ordinary label.
EncodedLabels encode_labels(const Labels& labels, bool exclude_noise);

}  // namespace cb::metrics::detail
