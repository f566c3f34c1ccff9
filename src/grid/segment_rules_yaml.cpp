#include "clusterbench/grid/segment_rules_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

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
  try {
    return node.as<double>();
  } catch (const YAML::Exception&) {
    throw ConfigError(fmt::format("{}: expected a number, got '{}'", at(where, node), node.Scalar()));
  }
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
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(fmt::format("{}:{}: {}", where, e.mark.line + 1, e.msg));
  }
  check_keys(root, {"name", "description", "default", "bins", "rules"}, where);
  rfm::SegmentTable table;
  table.name = root["name"] ? root["name"].as<std::string>() : std::filesystem::path(where).stem().string();
  if (!root["default"]) throw ConfigError(where + ": a segment table needs a 'default' segment");
  table.default_segment = root["default"].as<std::string>();
  const YAML::Node rules = root["rules"];
  if (!rules || !rules.IsSequence()) throw ConfigError(where + ": 'rules' must be a list");
  for (const auto& node : rules) {
    check_keys(node, {"segment", "codes", "r", "f", "m", "fm", "any", "note"}, where);
    rfm::SegmentRule rule;
    if (!node["segment"]) throw ConfigError(at(where, node) + ": a rule needs a 'segment'");
    rule.segment = node["segment"].as<std::string>();
    if (const auto codes = node["codes"]) {
      if (!codes.IsSequence()) throw ConfigError(at(where, codes) + ": 'codes' must be a list");
      for (const auto& code : codes) {
        const double v = number(code, where);
        const int digits = static_cast<int>(v);
        if (v != digits || digits < 111 || digits > 999 || digits % 10 == 0 || digits / 10 % 10 == 0)
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

rfm::SegmentTable load_segment_preset(const std::string& name, const std::string& presets_dir) {
  const auto preset = std::filesystem::path(presets_dir) / (name + ".yaml");
  if (name.find('/') == std::string::npos && std::filesystem::exists(preset)) return load_segment_table(preset.string());
  if (std::filesystem::exists(name)) return load_segment_table(name);
  throw ConfigError(fmt::format("unknown segment table '{}' (presets: standard11, rfm_r, rf_grid, r_fm6 in {}, or a "
                                "path to a YAML file)",
                                name, presets_dir));
}

std::string default_presets_dir() {
  namespace fs = std::filesystem;
  if (fs::is_directory("configs/segments")) return "configs/segments";
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  for (auto dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
    if (fs::is_directory(dir / "configs/segments")) return (dir / "configs/segments").string();
  return "configs/segments";
}

}  // namespace cb::grid
