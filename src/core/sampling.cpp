#include "clusterbench/core/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb {

std::vector<Index> uniform_row_sample(Index n, Index size, std::uint64_t seed) {
  std::vector<Index> rows;
  if (n <= 0 || size <= 0) return rows;
  size = std::min(size, n);
  rows.reserve(static_cast<std::size_t>(size));
  // Selection sampling (Knuth's algorithm S): row i is taken with probability
  // (still needed)/(rows left). One pass, output already sorted.
  Rng rng(seed);
  for (Index i = 0; i < n && static_cast<Index>(rows.size()) < size; ++i) {
    const auto needed = static_cast<std::uint64_t>(size - static_cast<Index>(rows.size()));
    if (rng.below(static_cast<std::uint64_t>(n - i)) < needed) rows.push_back(i);
  }
  return rows;
}

SampleMeanEstimate estimate_mean(std::span<const double> values, Index population) {
  const auto m = static_cast<Index>(values.size());
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (m == 0) return {nan, nan, nan, nan};
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(m);
  if (m >= population) return {mean, 0.0, mean, mean};  // the whole population: exact
  if (m < 2) return {mean, nan, nan, nan};
  double squares = 0;  // two-pass variance: no cancellation
  for (double v : values) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / static_cast<double>(m - 1));
  const double fpc = 1.0 - static_cast<double>(m) / static_cast<double>(population);
  const double se = sd / std::sqrt(static_cast<double>(m)) * std::sqrt(fpc);
  return {mean, se, mean - kNormalQuantile975 * se, mean + kNormalQuantile975 * se};
}

bool estimate_mean_post_stratified(std::span<const double> values, std::span<const std::int32_t> stratum,
                                   std::span<const Index> sizes, SampleMeanEstimate& out) {
  const std::size_t strata = sizes.size();
  std::vector<Index> m(strata, 0);
  std::vector<double> sum(strata, 0.0), squares(strata, 0.0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto h = static_cast<std::size_t>(stratum[i]);
    ++m[h];
    sum[h] += values[i];
  }
  Index population = 0;
  for (std::size_t h = 0; h < strata; ++h) {
    population += sizes[h];
    if (sizes[h] > 0 && m[h] < std::min<Index>(2, sizes[h])) return false;  // a stratum without a variance
  }
  for (std::size_t i = 0; i < values.size(); ++i) {  // two-pass variance per stratum
    const auto h = static_cast<std::size_t>(stratum[i]);
    const double dev = values[i] - sum[h] / static_cast<double>(m[h]);
    squares[h] += dev * dev;
  }
  double mean = 0, variance = 0;
  for (std::size_t h = 0; h < strata; ++h) {
    if (sizes[h] == 0) continue;
    const double w = static_cast<double>(sizes[h]) / static_cast<double>(population);
    const double mh = static_cast<double>(m[h]);
    mean += w * sum[h] / mh;
    if (m[h] < sizes[h])
      variance += w * w * (1.0 - mh / static_cast<double>(sizes[h])) * (squares[h] / (mh - 1.0)) / mh;
  }
  const double se = std::sqrt(variance);
  out = {mean, se, mean - kNormalQuantile975 * se, mean + kNormalQuantile975 * se};
  return true;
}

void check_sample_rows(std::span<const Index> rows, Index n, std::string_view what) {
  std::vector<Index> sorted(rows.begin(), rows.end());
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] < 0 || sorted[i] >= n)
      throw InputError(std::string(what) + ": sample row " + std::to_string(sorted[i]) + " is outside 0.." +
                       std::to_string(n - 1));
    if (i > 0 && sorted[i] == sorted[i - 1])
      throw InputError(std::string(what) + ": sample row " + std::to_string(sorted[i]) + " is listed twice");
  }
}

}  // namespace cb
