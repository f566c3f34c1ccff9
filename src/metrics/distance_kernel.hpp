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

/// The variant distance_block uses on this CPU ("avx512" or "portable").
const char* distance_kernel_name();

/// The portable variants themselves (for tests comparing the variants).
void distance_block_portable(const double* xt, Index rp, const double* ys, Index count, Index d, double* out);
void add_row_sum_portable(const double* source, Index stride, const std::int32_t* members, Index count, Index width,
                          double* target);

}  // namespace cb::metrics::detail
