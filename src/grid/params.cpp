#include "clusterbench/grid/params.hpp"

#include <cmath>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/suggest.hpp"

namespace cb::grid {

std::string check_param(const ParamSpec& spec, const Json& value) {
  if (spec.type == "bool" && !value.is_boolean())
    return fmt::format("'{}' must be true or false, got {}", spec.name, value.dump());
  if (spec.type == "int" && !value.is_number_integer())
    return fmt::format("'{}' must be an integer, got {}", spec.name, value.dump());
  if (spec.type == "float" && !value.is_number())
    return fmt::format("'{}' must be a number, got {}", spec.name, value.dump());
  if (spec.type == "string" && !value.is_string())
    return fmt::format("'{}' must be a string, got {}", spec.name, value.dump());
  if (value.is_number()) {
    const double v = value.get<double>();
    if (!std::isfinite(v)) return fmt::format("'{}' must be finite", spec.name);
    if (spec.min && v < *spec.min) return fmt::format("'{}' must be >= {}, got {}", spec.name, *spec.min, value.dump());
    if (spec.max && v > *spec.max) return fmt::format("'{}' must be <= {}, got {}", spec.name, *spec.max, value.dump());
  }
  if (value.is_string() && !spec.choices.empty() &&
      std::find(spec.choices.begin(), spec.choices.end(), value.get<std::string>()) == spec.choices.end())
    return fmt::format("'{}' must be one of {}, got {}", spec.name, fmt::join(spec.choices, ", "), value.dump());
  return {};
}

Json resolve_params(const std::vector<ParamSpec>& specs, const Json& user_values, const std::string& where) {
  Json resolved = Json::object();
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  if (!user_values.is_null() && !user_values.is_object())
    throw ConfigError(fmt::format("{}: parameters must be a mapping", where));
  if (user_values.is_object()) {
    for (const auto& [key, value] : user_values.items()) {
      if (std::find(names.begin(), names.end(), key) == names.end())
        throw ConfigError(fmt::format("{}: unknown parameter '{}'{} (known: {})", where, key, did_you_mean(key, names),
                                      fmt::join(names, ", ")));
    }
  }
  for (const auto& spec : specs) {
    Json value = spec.default_value;
    if (user_values.is_object() && user_values.contains(spec.name)) {
      value = user_values.at(spec.name);
      // An integer written where a float is expected is fine (YAML `tol: 1`).
      if (spec.type == "float" && value.is_number_integer()) value = value.get<double>();
      if (const auto error = check_param(spec, value); !error.empty())
        throw ConfigError(fmt::format("{}: {}", where, error));
    }
    resolved[spec.name] = value;
  }
  return resolved;
}

}  // namespace cb::grid
