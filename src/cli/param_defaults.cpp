#include "param_defaults.hpp"

#include "clusterbench/grid/registry.hpp"

namespace cb::cli {

report::ParamDefaults algorithm_param_defaults() {
  report::ParamDefaults out;
  for (const auto* entry : grid::all_algorithms()) {
    auto& defaults = out[entry->name];
    defaults = nlohmann::ordered_json::object();
    for (const auto& spec : entry->params) defaults[spec.name] = spec.default_value;
  }
  return out;
}

}  // namespace cb::cli
