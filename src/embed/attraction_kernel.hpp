#pragma once
// Internal: t-SNE's attractive forces, Σ_j p_ij q_ij (y_i − y_j) with
// q = 1 / (1 + |y_i − y_j|²), over a CSR graph. Summed in 8 lanes with the
// same IEEE operations in the same order in every instruction-set clone, so
// results do not depend on the CPU.
#include <cstddef>
#include <cstdint>

namespace cb::embed::detail {

/// For rows [begin, end): out[2i], out[2i+1] = the attraction on point i; y is n × 2 row-major.
void attraction_rows(const std::int64_t* row_ptr, const std::int32_t* cols, const double* weights, const double* y,
                     std::size_t begin, std::size_t end, double* out);

}  // namespace cb::embed::detail
