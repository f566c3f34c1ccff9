#include "clusterbench/rfm/config/segment_rules_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/core/suggest.hpp"
#include "clusterbench/yaml/yaml_checks.hpp"

namespace cb::rfm_config {
namespace {

const std::vector<std::string> kConditionKeys = {"r", "f", "m", "fm", "recency", "frequency", "monetary"};

std::string at(const std::string& file, const YAML::Node& node) {
  return fmt::format("{}:{}", file, node.Mark().line + 1);
}

/// Where a problem is: the file, and the rule (number and segment) it sits in,
/// so a message reads "t.yaml:4: rule 2 (New): frequency: ...".
struct Place {
  const std::string& file;
  std::string rule;  ///< "rule 2 (New)", "rule 2 (New), any item 1"; empty at the top level

  [[noreturn]] void fail(const YAML::Node& node, const std::string& field, const std::string& problem) const {
    std::string where = at(file, node);
    if (!rule.empty()) where += ": " + rule;
    if (!field.empty()) where += ": " + field;
    throw ConfigError(fmt::format("{}: {}", where, problem));
  }
};

void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const Place& place) {
  if (!map.IsMap()) place.fail(map, "", "expected a mapping");
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      place.fail(kv.first, "",
                 fmt::format("unknown key '{}'{} (allowed: {})", excerpt(key), did_you_mean(key, allowed),
                             fmt::join(allowed, ", ")));
  }
}

/// A finite number from the whole of `text` (leading and trailing blanks allowed).
bool parse_number(std::string_view text, double& value) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);  // from_chars takes no '+'
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty() && std::isfinite(value);
}

double number(const YAML::Node& node, const char* key, const Place& place) {
  double value = 0;
  // yaml-cpp reads ".nan" and ".inf" as numbers; a bound must be finite.
  if (node.IsScalar() && YAML::convert<double>::decode(node, value) && std::isfinite(value)) return value;
  place.fail(node, key,
             fmt::format("expected a finite number, got '{}'",
                         node.IsScalar() ? excerpt(node.Scalar()) : std::string("a list or mapping")));
}

/// "OP NUMBER" with OP one of < <= > >= ==, e.g. ">= 100"; nullopt when the text is no comparison.
std::optional<rfm::ValueRange> comparison(const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  rfm::ValueRange range;
  double value = 0;
  for (const std::string_view op : {"<=", ">=", "==", "<", ">"}) {
    if (rest.substr(0, op.size()) != op) continue;
    if (!parse_number(rest.substr(op.size()), value)) return std::nullopt;
    if (op == "<=" || op == "<" || op == "==") range.hi = value;
    if (op == ">=" || op == ">" || op == "==") range.lo = value;
    range.hi_strict = op == "<";
    range.lo_strict = op == ">";
    return range;
  }
  return std::nullopt;
}

bool is_comparison(const YAML::Node& node) { return node.IsScalar() && comparison(node.Scalar()).has_value(); }

/// A condition's value: a number n (== n), [lo, hi] (inclusive), a comparison
/// "OP NUMBER", or a list of comparisons that must all hold (">= 100", "< 500").
std::optional<rfm::ValueRange> range(const YAML::Node& map, const char* key, const Place& place) {
  const YAML::Node node = map[key];
  if (!node) return std::nullopt;
  const std::string expected = "expected a number, [lo, hi], a comparison such as '>= 2' or a list of comparisons";
  rfm::ValueRange r;
  const auto looks_like_comparison = [](const YAML::Node& item) {
    return item.IsScalar() && item.Scalar().find_first_of("<>=") != std::string::npos;
  };
  if (node.IsScalar()) {
    if (auto c = comparison(node.Scalar())) r = *c;
    else if (looks_like_comparison(node))
      place.fail(node, key, fmt::format("{}, got '{}'", expected, excerpt(node.Scalar())));
    else r.lo = r.hi = number(node, key, place);
  } else if (node.IsSequence() && node.size() > 0 && std::all_of(node.begin(), node.end(), is_comparison)) {
    for (const auto& item : node) r.intersect(*comparison(item.Scalar()));
  } else if (node.IsSequence() && node.size() == 2 && !looks_like_comparison(node[0]) &&
             !looks_like_comparison(node[1])) {
    r.lo = number(node[0], key, place);
    r.hi = number(node[1], key, place);
  } else {
    place.fail(node, key, expected);
  }
  if (r.empty()) place.fail(node, key, fmt::format("empty range {}: no value passes", r.describe()));
  return r;
}

std::optional<rfm::SegmentCondition> condition(const YAML::Node& map, const Place& place) {
  rfm::SegmentCondition c;
  c.r = range(map, "r", place);
  c.f = range(map, "f", place);
  c.m = range(map, "m", place);
  c.fm = range(map, "fm", place);
  c.recency = range(map, "recency", place);
  c.frequency = range(map, "frequency", place);
  c.monetary = range(map, "monetary", place);
  if (!c.r && !c.f && !c.m && !c.fm && !c.uses_raw_values()) return std::nullopt;
  return c;
}

std::string text(const YAML::Node& node, const char* key, const Place& place) {
  if (!node.IsScalar()) place.fail(node, key, "expected a name");
  return node.Scalar();
}

rfm::SegmentRule parse_rule(const YAML::Node& node, std::size_t number_in_file, const std::string& file) {
  Place place{file, fmt::format("rule {}", number_in_file)};
  std::vector<std::string> keys = {"segment", "codes", "any", "note"};
  keys.insert(keys.end(), kConditionKeys.begin(), kConditionKeys.end());
  if (node.IsMap() && node["segment"] && node["segment"].IsScalar())
    place.rule += fmt::format(" ({})", excerpt(node["segment"].Scalar()));
  check_keys(node, keys, place);
  rfm::SegmentRule rule;
  if (!node["segment"]) place.fail(node, "", "a rule needs a 'segment'");
  rule.segment = text(node["segment"], "segment", place);
  if (const auto codes = node["codes"]) {
    if (!codes.IsSequence()) place.fail(codes, "codes", "expected a list");
    for (const auto& code : codes) {
      const double v = number(code, "codes", place);
      // Range first: casting a huge value to int is undefined.
      const int digits = v >= 111 && v <= 999 && v == std::floor(v) ? static_cast<int>(v) : 0;
      if (digits == 0 || digits % 10 == 0 || digits / 10 % 10 == 0)
        place.fail(code, "codes", fmt::format("'{}' is not an RFM code (three digits 1..9)", excerpt(code.Scalar())));
      rule.codes.push_back(digits);
    }
  }
  if (auto c = condition(node, place)) rule.any_of.push_back(*c);
  if (const auto any = node["any"]) {
    if (!any.IsSequence()) place.fail(any, "any", "expected a list of conditions");
    std::size_t item_number = 0;
    for (const auto& item : any) {
      const Place item_place{file, fmt::format("{}, any item {}", place.rule, ++item_number)};
      check_keys(item, kConditionKeys, item_place);
      if (auto c = condition(item, item_place)) rule.any_of.push_back(*c);
    }
  }
  if (rule.codes.empty() && rule.any_of.empty()) place.fail(node, "", "give codes or at least one condition");
  return rule;
}

}  // namespace

rfm::SegmentTable parse_segment_table(const std::string& yaml_text, const std::string& where) {
  const YAML::Node root = load_yaml_checked(yaml_text, where);
  const Place top{where, ""};
  check_keys(root, {"name", "description", "default", "bins", "rules"}, top);
  rfm::SegmentTable table;
  table.name = root["name"] ? text(root["name"], "name", top) : std::filesystem::path(where).stem().string();
  if (!root["default"]) throw ConfigError(where + ": a segment table needs a 'default' segment");
  table.default_segment = text(root["default"], "default", top);
  const YAML::Node rules = root["rules"];
  if (!rules || !rules.IsSequence()) throw ConfigError(where + ": 'rules' must be a list");
  std::size_t number_in_file = 0;
  for (const auto& node : rules) table.rules.push_back(parse_rule(node, ++number_in_file, where));
  rfm::validate(table);
  return table;
}

rfm::SegmentTable load_segment_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(fmt::format("{}: cannot open segment table", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_segment_table(text.str(), path);
}

namespace {

struct Preset {
  const char* name;
  const char* yaml;
};
// Generated at build time from configs/segments/*.yaml (cmake/EmbedSegmentPresets.cmake).
constexpr Preset kPresets[] = {
#include "segment_presets.inc"
};

}  // namespace

std::vector<std::string> segment_preset_names() {
  std::vector<std::string> names;
  for (const auto& p : kPresets) names.emplace_back(p.name);
  return names;
}

rfm::SegmentTable load_segment_preset(const std::string& name) {
  for (const auto& p : kPresets)
    if (name == p.name) return parse_segment_table(p.yaml, fmt::format("configs/segments/{}.yaml", name));
  if (std::filesystem::exists(name)) return load_segment_table(name);
  throw ConfigError(fmt::format("unknown segment table '{}' (presets: {}; or a path to a YAML file)", excerpt(name),
                                fmt::join(segment_preset_names(), ", ")));
}

}  // namespace cb::rfm_config
