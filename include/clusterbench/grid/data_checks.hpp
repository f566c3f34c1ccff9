#pragma once
// Checks on input data that turn hopeless grids into clear errors up front.
#include <string>

#include "clusterbench/core/dataset.hpp"

namespace cb::grid {

/// Constant columns carry no information: an InputError naming them, or, when
/// `drop` is set, they are removed (an error if nothing is left).
void handle_constant_columns(Dataset& data, bool drop, const std::string& config_path);

/// Number of distinct points (exact row equality).
Index count_distinct_rows(const Matrix& values);

}  // namespace cb::grid
