#pragma once
// The silhouette's inner kernel: exact Euclidean distances from a run of
// points to a tile of points stored feature-major. Chosen at run time: an
// AVX-512 version where the CPU has it (the portable build targets
// x86-64-v2), else a portable one. Both sum the squared differences feature
// by feature and take a correctly rounded square root; the AVX-512 one fuses
// the multiply-add, so the two differ by rounding only (about 1 ulp). On one
// machine the choice is fixed, so results stay independent of thread count.
#include <cstdint>

#include "clusterbench/core/matrix.hpp"

namespace cb::metrics::detail {

inline constexpr Index kDistanceRowBlock = 16;  ///< tile rows are padded to a multiple of this

/// out[j*rp + r] = ‖xt[·, r] − y_j‖ for j < count and r < rp, where y_j is the
/// row j of `ys` (row-major, d columns) and xt is d × rp feature-major.
void distance_block(const double* xt, Index rp, const double* ys, Index count, Index d, double* out);

inline constexpr Index kRowSumChunk = 32;  ///< add_row_sum widths are multiples of this

/// target[0..width) += Σ over m < count of source[members[m]*stride + 0..width),
/// the members' rows summed first (in member order) and added once; width is a
/// multiple of kRowSumChunk. Pure adds in a fixed order: every variant gives
/// the same bits.
void add_row_sum(const double* source, Index stride, const std::int32_t* members, Index count, Index width,
                 double* target);

/// Exact silhouette sums are integers: each distance rounded to a fixed-point
/// grid, out[j*rp + r] = nearest integer (ties to even) to ‖xt[·, r] − y_j‖ ·
/// scale, where scale is a power of two chosen so that n such values cannot
/// overflow (fixed_point_scale). Integer sums are exact, so they do not depend
/// on the order of their terms: not on threads, tiles, nor on which labelings
/// share a pass.
void distance_block_fixed(const double* xt, Index rp, const double* ys, Index count, Index d, double scale,
                          std::int64_t* out);

/// add_row_sum on fixed-point distances.
void add_row_sum_fixed(const std::int64_t* source, Index stride, const std::int32_t* members, Index count, Index width,
                       std::int64_t* target);

/// The largest power of two s such that n distances of at most `diameter`,
/// times s, sum below 2^62 (1 when diameter is 0). Throws InputError when
/// diameter is not finite (NaN or Inf in the points).
double fixed_point_scale(Index n, double diameter);

/// The variant distance_block uses on this CPU ("avx512" or "portable").
const char* distance_kernel_name();

/// The portable variants themselves (for tests comparing the variants).
void distance_block_portable(const double* xt, Index rp, const double* ys, Index count, Index d, double* out);
void add_row_sum_portable(const double* source, Index stride, const std::int32_t* members, Index count, Index width,
                          double* target);
void distance_block_fixed_portable(const double* xt, Index rp, const double* ys, Index count, Index d, double scale,
                                   std::int64_t* out);
void add_row_sum_fixed_portable(const std::int64_t* source, Index stride, const std::int32_t* members, Index count,
                                Index width, std::int64_t* target);

}  // namespace cb::metrics::detail
