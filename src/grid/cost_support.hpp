#pragma once
// Internal: the pieces every step's cost estimate shares. Constants are CPU
// seconds per unit of work on one core of the reference machine (2-core
// AVX-512 server, gcc 12 -O3), fitted to the per-step timings of measured
// grids (docs/plan.md); memory is counted in bytes of the arrays a step holds.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "clusterbench/grid/registry.hpp"

namespace cb::grid::cost {

inline double sum_of(std::span<const int> ks) { return std::accumulate(ks.begin(), ks.end(), 0.0); }
inline double largest(std::span<const int> ks) { return ks.empty() ? 0.0 : static_cast<double>(ks.back()); }

/// A declared parameter's value, or `fallback` when absent.
template <class T>
T param(const Json& params, const char* name, T fallback) {
  const auto it = params.find(name);
  return it == params.end() || it->is_null() ? fallback : it->get<T>();
}

/// Exact trustworthiness ranks every pair in both spaces; sampled, only the sampled rows.
inline StepCost trustworthiness(const CostQuery& q, Index output_dims) {
  StepCost c;
  if (param<Index>(q.params, "trustworthiness_neighbors", 5) <= 0) return c;
  const double n = static_cast<double>(q.points);
  const double rows =
      q.trustworthiness_sample > 0 ? static_cast<double>(std::min(q.trustworthiness_sample, q.points)) : n;
  c.cpu_seconds = 1.6e-10 * rows * n * static_cast<double>(q.dims + output_dims + 4);
  c.peak_bytes = 16.0 * n * 8;  // neighbour lists and per-row rank scratch
  return c;
}

/// A space's own cost plus its trustworthiness.
inline StepCost with_trustworthiness(StepCost own, const CostQuery& q) {
  const auto tw = trustworthiness(q, own.output_dims);
  own.cpu_seconds += tw.cpu_seconds;
  own.peak_bytes = std::max(own.peak_bytes, tw.peak_bytes) + 8.0 * static_cast<double>(q.points * own.output_dims);
  if (q.trustworthiness_sample > 0)
    own.method += own.method.empty() ? "sampled trustworthiness" : ", sampled trustworthiness";
  return own;
}

}  // namespace cb::grid::cost
