#include "clusterbench/grid/segment_rules_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "yaml_checks.hpp"

namespace cb::grid {
namespace {

std::string at(const std::string& where, const YAML::Node& node) {
  return fmt::format("{}:{}", where, node.Mark().line + 1);
}

void check_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& where) {
  if (!map.IsMap()) throw ConfigError(at(where, map) + ": expected a mapping");
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw ConfigError(fmt::format("{}: unknown key '{}' (allowed: {})", at(where, kv.first), key, list));
    }
  }
}

double number(const YAML::Node& node, const std::string& where) {
  double value = 0;
  // yaml-cpp reads ".nan" and ".inf" as numbers; a score bound must be finite.
  if (node.IsScalar() && YAML::convert<double>::decode(node, value) && std::isfinite(value)) return value;
  throw ConfigError(fmt::format("{}: expected a finite number, got '{}'", at(where, node),
                                node.IsScalar() ? excerpt(node.Scalar()) : std::string("a list or mapping")));
}

std::string text(const YAML::Node& node, const char* key, const std::string& where) {
  if (!node.IsScalar()) throw ConfigError(fmt::format("{}: {}: expected a name", at(where, node), key));
  return node.Scalar();
}

std::optional<rfm::ScoreRange> range(const YAML::Node& map, const char* key, const std::string& where) {
  const YAML::Node node = map[key];
  if (!node) return std::nullopt;
  rfm::ScoreRange r;
  if (node.IsScalar()) {
    r.lo = r.hi = number(node, where);
  } else if (node.IsSequence() && node.size() == 2) {
    r.lo = number(node[0], where);
    r.hi = number(node[1], where);
  } else {
    throw ConfigError(fmt::format("{}: {} must be a number or [lo, hi]", at(where, node), key));
  }
  if (r.lo > r.hi) throw ConfigError(fmt::format("{}: empty {} range [{}, {}]", at(where, node), key, r.lo, r.hi));
  return r;
}

std::optional<rfm::SegmentCondition> condition(const YAML::Node& map, const std::string& where) {
  rfm::SegmentCondition c;
  c.r = range(map, "r", where);
  c.f = range(map, "f", where);
  c.m = range(map, "m", where);
  c.fm = range(map, "fm", where);
  if (!c.r && !c.f && !c.m && !c.fm) return std::nullopt;
  return c;
}

}  // namespace

rfm::SegmentTable parse_segment_table(const std::string& yaml_text, const std::string& where) {
  const YAML::Node root = load_yaml_checked(yaml_text, where);
  check_keys(root, {"name", "description", "default", "bins", "rules"}, where);
  rfm::SegmentTable table;
  table.name = root["name"] ? text(root["name"], "name", where) : std::filesystem::path(where).stem().string();
  if (!root["default"]) throw ConfigError(where + ": a segment table needs a 'default' segment");
  table.default_segment = text(root["default"], "default", where);
  const YAML::Node rules = root["rules"];
  if (!rules || !rules.IsSequence()) throw ConfigError(where + ": 'rules' must be a list");
  for (const auto& node : rules) {
    check_keys(node, {"segment", "codes", "r", "f", "m", "fm", "any", "note"}, where);
    rfm::SegmentRule rule;
    if (!node["segment"]) throw ConfigError(at(where, node) + ": a rule needs a 'segment'");
    rule.segment = text(node["segment"], "segment", where);
    if (const auto codes = node["codes"]) {
      if (!codes.IsSequence()) throw ConfigError(at(where, codes) + ": 'codes' must be a list");
      for (const auto& code : codes) {
        const double v = number(code, where);
        // Range first: casting a huge value to int is undefined.
        const int digits = v >= 111 && v <= 999 && v == std::floor(v) ? static_cast<int>(v) : 0;
        if (digits == 0 || digits % 10 == 0 || digits / 10 % 10 == 0)
          throw ConfigError(fmt::format("{}: '{}' is not an RFM code (three digits 1..9)", at(where, code),
                                        code.Scalar()));
        rule.codes.push_back(digits);
      }
    }
    if (auto c = condition(node, where)) rule.any_of.push_back(*c);
    if (const auto any = node["any"]) {
      if (!any.IsSequence()) throw ConfigError(at(where, any) + ": 'any' must be a list of conditions");
      for (const auto& item : any) {
        check_keys(item, {"r", "f", "m", "fm"}, where);
        if (auto c = condition(item, where)) rule.any_of.push_back(*c);
      }
    }
    if (rule.codes.empty() && rule.any_of.empty())
      throw ConfigError(fmt::format("{}: rule '{}' has neither codes nor score ranges", at(where, node), rule.segment));
    table.rules.push_back(std::move(rule));
  }
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

}  // namespace cb::grid
