#pragma once
// Uniform row samples and the estimate of a population mean from them, for
// the scores whose exact cost grows as n² (silhouette, trustworthiness): a
// seeded simple random sample without replacement, its mean, and a normal 95%
// interval with the finite-population correction.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb {

/// `size` distinct rows of [0, n), sorted, drawn uniformly (every subset of
/// that size equally likely) from a generator seeded with `seed`. All rows
/// when size >= n. Deterministic: depends on (n, size, seed) only.
std::vector<Index> uniform_row_sample(Index n, Index size, std::uint64_t seed);

/// Estimate of a population mean from a simple random sample of its values.
struct SampleMeanEstimate {
  double mean = 0;       ///< sample mean (NaN when the sample is empty)
  double std_error = 0;  ///< sd/sqrt(m)·sqrt(1 − m/N); 0 when the sample is the population, NaN when m < 2 otherwise
  double ci_low = 0;     ///< mean − 1.96·std_error (normal 95% interval)
  double ci_high = 0;    ///< mean + 1.96·std_error
};

inline constexpr double kNormalQuantile975 = 1.959963984540054;  ///< two-sided 95% normal quantile

/// Mean of `values` (a sample of m of the `population` values) with its
/// standard error under simple random sampling without replacement.
/// Values are summed in the order given, so the result is deterministic.
SampleMeanEstimate estimate_mean(std::span<const double> values, Index population);

/// Post-stratified estimate: the sample's values fall into strata of known
/// sizes (stratum[i] in 0..sizes.size()−1); the mean is Σ_h W_h·ȳ_h with
/// W_h = N_h/N, its variance Σ_h W_h²·(1 − m_h/N_h)·s_h²/m_h. Tighter than
/// estimate_mean when the strata differ in mean. Needs m_h ≥ 2 in every
/// non-empty stratum (or the whole stratum sampled); returns false (and leaves
/// `out` alone) otherwise.
bool estimate_mean_post_stratified(std::span<const double> values, std::span<const std::int32_t> stratum,
                                   std::span<const Index> sizes, SampleMeanEstimate& out);

/// Throws InputError (naming `what`) unless the rows are distinct and in [0, n).
void check_sample_rows(std::span<const Index> rows, Index n, std::string_view what);

}  // namespace cb
