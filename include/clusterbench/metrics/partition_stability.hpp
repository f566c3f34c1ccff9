#pragma once
// How well a partition survives a refit on a subsample (Hennig's clusterboot
// with subsetting): the refit's labels on the subsample against the full
// partition restricted to the subsample.
#include <span>
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb::metrics {

/// One subsample's agreement between the full partition and the refit.
struct SubsampleAgreement {
  double ari = 0;  ///< adjusted Rand index, noise one more group (as `ari` and scikit-learn)
  /// Per cluster c of the full partition (0..max label): max over the refit's
  /// clusters D of |C ∩ D| / |C ∪ D|, C = c's points in the subsample. Refit
  /// noise is no cluster (C's points that became noise count against it); NaN
  /// when no point of c is in the subsample.
  std::vector<double> cluster_jaccard;
};

/// `rows` are the subsample's rows of the full data; `refit[i]` is the refit's label of row rows[i].
SubsampleAgreement compare_on_subsample(const Labels& full, std::span<const Index> rows, const Labels& refit);

/// Agreements summed over the resamples, in the order given (so the result is deterministic).
struct StabilitySummary {
  double ari_mean = 0;                  ///< mean ARI (NaN without resamples)
  double ari_sd = 0;                    ///< sample standard deviation (n − 1 denominator; NaN below two resamples)
  std::vector<double> cluster_jaccard;  ///< per cluster: mean over the resamples where it had points (NaN: none)
};
StabilitySummary summarize_stability(std::span<const SubsampleAgreement> resamples, std::size_t clusters);

}  // namespace cb::metrics
