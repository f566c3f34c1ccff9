#pragma once
// The registry's parameter defaults, for the report layer's compact parameter column.
#include "clusterbench/report/run_params.hpp"

namespace cb::cli {

/// Per algorithm, {parameter: default} from the registry's declarations.
report::ParamDefaults algorithm_param_defaults();

}  // namespace cb::cli
