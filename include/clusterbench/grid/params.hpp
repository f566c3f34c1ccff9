#pragma once
// Parameters are declared once: name, help, allowed range and the Options
// field they set. The config parser, its validation messages, `--help` text and
// the attributes stored with each run all come from that one declaration; the
// default is whatever the algorithm's Options struct says.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterbench/core/enum_names.hpp"

namespace cb::grid {

using Json = nlohmann::ordered_json;

struct ParamSpec {
  std::string name;                  ///< config key
  std::string help;                  ///< one line for --help and the README
  std::string type;                  ///< "int", "float", "bool", "string"
  Json default_value;                ///< taken from a default-constructed Options
  std::optional<double> min, max;    ///< inclusive numeric bounds
  std::vector<std::string> choices;  ///< allowed strings (empty = any)
};

/// Checks one value against its spec; returns an error text or empty.
std::string check_param(const ParamSpec& spec, const Json& value);

/// The declared parameters of one Options type, with setters into it.
template <class Options>
class ParamTable {
 public:
  /// A numeric, boolean or free-text parameter with optional inclusive bounds.
  template <class Field>
  ParamTable& add(std::string name, Field Options::*field, std::string help, std::optional<double> min = {},
                  std::optional<double> max = {}) {
    ParamSpec spec;
    spec.name = std::move(name);
    spec.help = std::move(help);
    spec.min = min;
    spec.max = max;
    const Options defaults{};
    spec.default_value = defaults.*field;
    if constexpr (std::is_same_v<Field, bool>) spec.type = "bool";
    else if constexpr (std::is_integral_v<Field>) spec.type = "int";
    else if constexpr (std::is_floating_point_v<Field>) spec.type = "float";
    else spec.type = "string";
    specs_.push_back(spec);
    setters_.push_back([field](Options& o, const Json& v) { o.*field = v.get<Field>(); });
    return *this;
  }

  /// A parameter whose value maps to the Options field through a conversion
  /// (e.g. an enum from its name).
  ParamTable& add_choice(std::string name, std::string help, std::string default_text, std::vector<std::string> choices,
                         std::function<void(Options&, const std::string&)> set) {
    ParamSpec spec{std::move(name), std::move(help), "string",          default_text,
                   std::nullopt,    std::nullopt,    std::move(choices)};
    specs_.push_back(spec);
    setters_.push_back([set](Options& o, const Json& v) { set(o, v.get<std::string>()); });
    return *this;
  }

  /// An enum parameter spelled as in its name table; the default is the
  /// Options default's name. `field` is a member pointer or a function
  /// returning the field from an Options (for nested option structs).
  template <class Field, class Enum, std::size_t N>
  ParamTable& add_enum(std::string name, Field field, std::string help, const EnumName<Enum> (&names)[N]) {
    const auto access = [field](Options& o) -> Enum& {
      if constexpr (std::is_member_object_pointer_v<Field>) return o.*field;
      else return field(o);
    };
    Options defaults{};
    ParamSpec spec{std::move(name), std::move(help), "string",       std::string(name_of(names, access(defaults))),
                   std::nullopt,    std::nullopt,    names_of(names)};
    specs_.push_back(spec);
    setters_.push_back(
        [access, &names](Options& o, const Json& v) { access(o) = *value_of(names, v.get<std::string>()); });
    return *this;
  }

  const std::vector<ParamSpec>& specs() const { return specs_; }

  /// Options from validated values (every declared key present, see resolve_params).
  Options build(const Json& values) const {
    Options o{};
    for (std::size_t i = 0; i < specs_.size(); ++i)
      if (values.contains(specs_[i].name)) setters_[i](o, values.at(specs_[i].name));
    return o;
  }

 private:
  std::vector<ParamSpec> specs_;
  std::vector<std::function<void(Options&, const Json&)>> setters_;
};

/// The table `declare` fills, built once on first use (one per call site).
template <class Options, class Declare>
const ParamTable<Options>& declared_once(Declare declare) {
  static const ParamTable<Options> table = [&] {
    ParamTable<Options> t;
    declare(t);
    return t;
  }();
  return table;
}

/// Fills defaults and validates user values against the specs. Unknown keys,
/// wrong types and out-of-range values throw ConfigError prefixed by `where`
/// (e.g. "configs/x.yaml:12: algorithms[1].params").
Json resolve_params(const std::vector<ParamSpec>& specs, const Json& user_values, const std::string& where);

}  // namespace cb::grid
