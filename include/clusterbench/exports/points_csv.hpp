#pragma once
// One run's clusters as CSV: a row per point with its id, its input features
// and its cluster. Numbers are written as the shortest text that reads back to
// the same double (77183.6, not 77183.600000000006), so the file round-trips
// exactly and stays readable.
#include <ostream>
#include <string>
#include <string_view>

#include "clusterbench/core/dataset.hpp"

namespace cb::exports {

/// The fewest significant digits that parse back to exactly `value` (77183.6, 1e-300,
/// 1.2345678901234568e+17; "nan", "inf" for those).
std::string shortest_number(double value);

/// `text` as one CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csv_field(std::string_view text);

/// Writes the header `id,<data columns>,cluster` and one row per point; noise is cluster -1.
/// Throws InputError when `labels` and `data` differ in length.
void write_points_csv(std::ostream& out, const Dataset& data, const Labels& labels);

}  // namespace cb::exports
