#pragma once
// A run's parameters in the few characters a table cell has: only those that
// differ from the algorithm's defaults, as "name=value" separated by spaces (so
// an HTML cell can wrap between them).
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "clusterbench/records/results.hpp"

namespace cb::report {

/// Per algorithm name, its parameters' defaults (the registry's; filled by the CLI,
/// since the report layer does not know the grid's registry).
using ParamDefaults = std::map<std::string, nlohmann::ordered_json>;

/// "n_init=4 covariance=diag"; "" when every parameter has its default. Without
/// defaults for the run's algorithm every stored parameter is shown.
std::string compact_params(const records::RunRecord& run, const ParamDefaults& defaults);

}  // namespace cb::report
