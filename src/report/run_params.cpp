#include "clusterbench/report/run_params.hpp"

#include <vector>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::report {

std::string compact_params(const records::RunRecord& run, const ParamDefaults& defaults) {
  if (run.params.empty()) return "";
  nlohmann::ordered_json params;
  try {
    params = nlohmann::ordered_json::parse(run.params);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("run {}: params is not JSON ({})", run.key, e.what()));
  }
  const auto known = defaults.find(run.algorithm);
  std::vector<std::string> parts;
  for (const auto& [name, value] : params.items()) {
    if (known != defaults.end() && known->second.contains(name) && known->second.at(name) == value) continue;
    parts.push_back(fmt::format("{}={}", name, value.is_string() ? value.get<std::string>() : value.dump()));
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace cb::report
