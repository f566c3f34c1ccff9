#pragma once
// A table of points ready for clustering: one row per point (customer), named
// numeric columns, optional ids and optional reference labels.
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb {

struct Dataset {
  std::string source;                ///< where it came from (path), for messages and provenance
  std::vector<std::string> ids;      ///< one id per row (row number as text when the file has none)
  std::vector<std::string> columns;  ///< one name per column of `values`
  Matrix values;                     ///< n rows × d columns
  std::optional<Labels> reference;   ///< ground-truth labels (noise = kNoise), if known

  Index rows() const { return values.rows(); }
  Index cols() const { return values.cols(); }
};

/// Throws InputError when the dataset cannot be clustered at all: no rows, no
/// columns, or a NaN/Inf value (named by row id and column).
void validate_finite(const Dataset& data);

}  // namespace cb
