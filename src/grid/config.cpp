#include "clusterbench/grid/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/core/suggest.hpp"
#include "clusterbench/grid/registry.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/yaml/yaml_checks.hpp"

namespace cb::grid {
namespace {

/// Parsing context: the file name, for "file:line: key" messages.
struct Context {
  std::string file;

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& problem) const {
    const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    throw ConfigError(fmt::format("{}:{}: {}: {}", file, line, key, problem));
  }

  void only_keys(const YAML::Node& map, const std::string& where, const std::vector<std::string>& allowed) const {
    if (!map.IsMap()) fail(map, where, "expected a mapping");
    for (const auto& entry : map) {
      const auto key = entry.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(entry.first, where.empty() ? key : where + "." + key,
             fmt::format("unknown key{} (allowed: {})", did_you_mean(key, allowed), fmt::join(allowed, ", ")));
    }
  }

  template <class T>
  T scalar(const YAML::Node& node, const std::string& key, const char* expected) const {
    // A missing key is an invalid node: it has no line, and any query of it throws from yaml-cpp.
    if (!node) throw ConfigError(fmt::format("{}: {}: missing (expected {})", file, key, expected));
    if (!node.IsScalar()) fail(node, key, fmt::format("expected {}", expected));
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(node, key, fmt::format("expected {}, got '{}'", expected, node.Scalar()));
    }
  }

  std::vector<std::string> string_list(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.IsScalar()) return {node.as<std::string>()};
    if (!node.IsSequence()) fail(node, key, "expected a list of names");
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(scalar<std::string>(node[i], key, "a name"));
    return out;
  }
};

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

/// YAML scalars and maps to JSON, keeping integer/float/bool types.
Json to_json(const Context& ctx, const YAML::Node& node, const std::string& key) {
  if (!node || node.IsNull()) return nullptr;
  if (node.IsMap()) {
    Json obj = Json::object();
    for (const auto& entry : node)
      obj[entry.first.as<std::string>()] = to_json(ctx, entry.second, key + "." + entry.first.as<std::string>());
    return obj;
  }
  if (node.IsSequence()) {
    Json arr = Json::array();
    for (const auto& item : node) arr.push_back(to_json(ctx, item, key));
    return arr;
  }
  const std::string text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  if (text == "true" || text == "True" || text == "yes") return true;
  if (text == "false" || text == "False" || text == "no") return false;
  try {
    std::size_t used = 0;
    const long long i = std::stoll(text, &used);
    if (used == text.size()) return i;
  } catch (...) {
  }
  try {
    std::size_t used = 0;
    const double d = std::stod(text, &used);
    if (used == text.size()) return d;
  } catch (...) {
  }
  return text;
}

std::vector<int> parse_ks(const Context& ctx, const YAML::Node& node, const std::string& key) {
  std::vector<int> ks;
  if (node.IsScalar()) {
    ks.push_back(ctx.scalar<int>(node, key, "an integer"));
  } else if (node.IsMap()) {
    ctx.only_keys(node, key, {"from", "to"});
    if (!node["from"] || !node["to"]) ctx.fail(node, key, "expected both ends: {from: K, to: K}");
    const int from = ctx.scalar<int>(node["from"], key + ".from", "an integer");
    const int to = ctx.scalar<int>(node["to"], key + ".to", "an integer");
    if (to < from) ctx.fail(node, key, "'to' must be >= 'from'");
    for (int k = from; k <= to; ++k) ks.push_back(k);
  } else if (node.IsSequence() && node.size() == 2 && node.Style() == YAML::EmitterStyle::Flow) {
    // `k: [2, 11]` is an inclusive range, as the README documents.
    const int from = ctx.scalar<int>(node[0], key, "an integer");
    const int to = ctx.scalar<int>(node[1], key, "an integer");
    if (to < from) ctx.fail(node, key, "range [from, to] needs to >= from");
    for (int k = from; k <= to; ++k) ks.push_back(k);
  } else if (node.IsSequence()) {
    for (const auto& item : node) ks.push_back(ctx.scalar<int>(item, key, "an integer"));
  } else {
    ctx.fail(node, key, "expected an integer, [from, to] or {from, to}");
  }
  for (int k : ks)
    if (k < 1) ctx.fail(node, key, fmt::format("k must be >= 1, got {}", k));
  std::sort(ks.begin(), ks.end());
  ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
  if (ks.empty()) ctx.fail(node, key, "no k values");
  return ks;
}

void parse_dataset(const Context& ctx, const YAML::Node& node, DatasetConfig& out) {
  ctx.only_keys(node, "dataset",
                {"type", "path", "labels", "id_column", "label_column", "columns", "header", "delimiter", "schema",
                 "cleaning", "snapshot", "features", "segments", "scoring"});
  if (node["type"]) out.type = ctx.scalar<std::string>(node["type"], "dataset.type", "a string");
  const std::vector<std::string> types{"features", "benchmark", "transactions"};
  if (std::find(types.begin(), types.end(), out.type) == types.end())
    ctx.fail(node["type"], "dataset.type",
             fmt::format("unknown type '{}'{} (allowed: {})", out.type, did_you_mean(out.type, types),
                         fmt::join(types, ", ")));
  if (!node["path"]) ctx.fail(node, "dataset.path", "missing");
  out.path = ctx.scalar<std::string>(node["path"], "dataset.path", "a file path");
  if (node["labels"]) out.labels = ctx.scalar<std::string>(node["labels"], "dataset.labels", "a file path");
  if (node["id_column"])
    out.id_column = ctx.scalar<std::string>(node["id_column"], "dataset.id_column", "a column name");
  if (node["label_column"])
    out.label_column = ctx.scalar<std::string>(node["label_column"], "dataset.label_column", "a column name");
  if (node["columns"]) out.columns = ctx.string_list(node["columns"], "dataset.columns");
  if (node["header"]) out.header = ctx.scalar<bool>(node["header"], "dataset.header", "true or false");
  if (node["delimiter"]) {
    out.delimiter = ctx.scalar<std::string>(node["delimiter"], "dataset.delimiter", "one character");
    if (out.delimiter.size() != 1) ctx.fail(node["delimiter"], "dataset.delimiter", "must be exactly one character");
  }
  Json transactions = Json::object();
  for (const char* key : {"schema", "cleaning", "snapshot", "features", "segments", "scoring"})
    if (node[key]) transactions[key] = to_json(ctx, node[key], std::string("dataset.") + key);
  if (out.type == "transactions") out.transactions = transactions;
  else if (!transactions.empty())
    ctx.fail(node, "dataset", "schema/cleaning/snapshot/features/segments/scoring apply only to type: transactions");
}

SpaceConfig parse_space(const Context& ctx, const YAML::Node& node, std::size_t index) {
  const std::string where = fmt::format("spaces[{}]", index);
  SpaceConfig space;
  space.line = line_of(node);
  // Constructed, not assigned: assigning yaml-cpp's stand-in for a missing key
  // (`{name: pca}` without params) throws.
  const YAML::Node params = node.IsMap() ? node["params"] : YAML::Node();
  if (node.IsScalar()) {
    space.name = node.as<std::string>();
  } else {
    ctx.only_keys(node, where, {"name", "label", "params"});
    if (!node["name"]) ctx.fail(node, where + ".name", "missing");
    space.name = ctx.scalar<std::string>(node["name"], where + ".name", "a space name");
    if (node["label"]) {
      space.label = ctx.scalar<std::string>(node["label"], where + ".label", "a string");
      // Labels name HDF5 groups and journal files: checked here, not after the grid has run.
      if (space.label.empty() || space.label.find_first_of("/\\") != std::string::npos || space.label == "." ||
          space.label == "..")
        ctx.fail(node["label"], where + ".label",
                 fmt::format("'{}' is not a valid label (non-empty, no '/' or '\\', not '.' or '..')",
                             excerpt(space.label)));
    }
  }
  const SpaceEntry* entry = find_space(space.name);
  if (!entry) {
    std::vector<std::string> names;
    for (const auto* s : all_spaces()) names.push_back(s->name);
    ctx.fail(node, where,
             fmt::format("unknown space '{}'{} (available: {})", space.name, did_you_mean(space.name, names),
                         fmt::join(names, ", ")));
  }
  if (space.label.empty()) space.label = space.name;
  space.params =
      resolve_params(entry->params, to_json(ctx, params, where + ".params"),
                     fmt::format("{}:{}: {}.params", ctx.file, params ? line_of(params) : space.line, where));
  return space;
}

AlgorithmConfig parse_algorithm(const Context& ctx, const YAML::Node& node, std::size_t index) {
  const std::string where = fmt::format("algorithms[{}]", index);
  ctx.only_keys(node, where, {"name", "k", "params"});
  AlgorithmConfig algo;
  algo.line = line_of(node);
  if (!node["name"]) ctx.fail(node, where + ".name", "missing");
  algo.name = ctx.scalar<std::string>(node["name"], where + ".name", "an algorithm name");
  const AlgorithmEntry* entry = find_algorithm(algo.name);
  if (!entry) {
    std::vector<std::string> names;
    for (const auto* a : all_algorithms()) names.push_back(a->name);
    ctx.fail(node["name"], where + ".name",
             fmt::format("unknown algorithm '{}'{} (available: {})", algo.name, did_you_mean(algo.name, names),
                         fmt::join(names, ", ")));
  }
  if (!node["k"]) ctx.fail(node, where + ".k", "missing (e.g. k: [2, 11])");
  algo.ks = parse_ks(ctx, node["k"], where + ".k");
  algo.k_line = line_of(node["k"]);
  const auto params = node["params"];
  algo.params = resolve_params(entry->params, to_json(ctx, params, where + ".params"),
                               fmt::format("{}:{}: {}.params", ctx.file, params ? line_of(params) : algo.line, where));
  return algo;
}

/// `stability: {resamples: R, fraction: F}`: resamples required (it switches the step on), fraction defaults to 0.8.
void parse_stability(const Context& ctx, const YAML::Node& node, StabilityConfig& out) {
  ctx.only_keys(node, "stability", {"resamples", "fraction"});
  if (!node["resamples"]) ctx.fail(node, "stability.resamples", "missing (e.g. resamples: 20)");
  out.resamples = ctx.scalar<int>(node["resamples"], "stability.resamples", "an integer");
  if (out.resamples < 2 || out.resamples > 1000)  // a standard deviation needs two
    ctx.fail(node["resamples"], "stability.resamples",
             fmt::format("must be between 2 and 1000, got {}", out.resamples));
  if (node["fraction"]) {
    out.fraction = ctx.scalar<double>(node["fraction"], "stability.fraction", "a number");
    if (!(out.fraction > 0 && out.fraction < 1))
      ctx.fail(node["fraction"], "stability.fraction",
               fmt::format("must be above 0 and below 1, got {}", out.fraction));
  }
}

/// Paths written in a config are relative to the config file's folder, so a
/// config runs the same from any working directory; absolute paths stay.
struct PathBase {
  std::filesystem::path folder;
  void resolve(std::string& path) const {
    if (path.empty() || folder.empty() || std::filesystem::path(path).is_absolute()) return;
    path = (folder / path).lexically_normal().string();
  }
};

void resolve_config_paths(GridConfig& config, bool output_given) {
  const PathBase base{std::filesystem::path(config.path).parent_path()};
  base.resolve(config.dataset.path);
  base.resolve(config.dataset.labels);
  if (output_given) base.resolve(config.output);  // the default results/<name>.h5 stays under the working directory
  auto& transactions = config.dataset.transactions;
  if (transactions.is_object() && transactions.contains("segments") && transactions["segments"].is_string()) {
    auto table = transactions["segments"].get<std::string>();
    const auto presets = rfm_config::segment_preset_names();
    if (std::find(presets.begin(), presets.end(), table) == presets.end()) {  // a file, not a preset name
      base.resolve(table);
      transactions["segments"] = table;
    }
  }
  for (auto& space : config.spaces) {
    if (!space.params.is_object() || !space.params.contains("path") || !space.params["path"].is_string()) continue;
    auto file = space.params["path"].get<std::string>();
    base.resolve(file);
    space.params["path"] = file;
  }
}

}  // namespace

GridConfig parse_config(const std::string& text, const std::string& path) {
  const Context ctx{path};
  const YAML::Node root = load_yaml_checked(text, path);
  if (!root.IsMap()) throw ConfigError(fmt::format("{}:1: the config must be a YAML mapping", path));
  ctx.only_keys(root, "",
                {"name", "seed", "threads", "output", "dataset", "preprocess", "spaces", "algorithms", "scoring",
                 "leaderboard", "stability", "selection"});

  GridConfig config;
  config.path = path;
  config.text = text;
  if (root["name"]) config.name = ctx.scalar<std::string>(root["name"], "name", "a string");
  if (root["seed"]) config.seed = ctx.scalar<std::uint64_t>(root["seed"], "seed", "a non-negative integer");
  if (root["threads"]) {
    config.threads = ctx.scalar<int>(root["threads"], "threads", "an integer");
    if (config.threads < 0) ctx.fail(root["threads"], "threads", "must be >= 0 (0 = all cores)");
  }
  config.output = root["output"] ? ctx.scalar<std::string>(root["output"], "output", "a file path")
                                 : fmt::format("results/{}.h5", config.name);

  if (!root["dataset"]) throw ConfigError(fmt::format("{}:1: dataset: missing", path));
  parse_dataset(ctx, root["dataset"], config.dataset);

  if (const auto pre = root["preprocess"]) {
    ctx.only_keys(pre, "preprocess", {"log1p", "scaling", "drop_constant"});
    if (pre["drop_constant"])
      config.prep.drop_constant = ctx.scalar<bool>(pre["drop_constant"], "preprocess.drop_constant", "true or false");
    if (pre["log1p"]) config.prep.log1p = ctx.string_list(pre["log1p"], "preprocess.log1p");
    if (pre["scaling"]) {
      const auto text_value = ctx.scalar<std::string>(pre["scaling"], "preprocess.scaling", "a scaler name");
      if (!prep::parse_scaling(text_value, config.prep.scaling))
        ctx.fail(pre["scaling"], "preprocess.scaling",
                 fmt::format("unknown scaler '{}'{} (allowed: none, standard, robust, minmax)", text_value,
                             did_you_mean(text_value, {"none", "standard", "robust", "minmax"})));
    }
  }

  if (const auto spaces = root["spaces"]) {
    if (!spaces.IsSequence()) ctx.fail(spaces, "spaces", "expected a list");
    for (std::size_t i = 0; i < spaces.size(); ++i) config.spaces.push_back(parse_space(ctx, spaces[i], i));
  } else {
    config.spaces.push_back(SpaceConfig{"raw", "raw", resolve_params(find_space("raw")->params, nullptr, path), 0});
  }
  std::set<std::string> labels;
  for (const auto& s : config.spaces)
    if (!labels.insert(s.label).second)
      throw ConfigError(
          fmt::format("{}:{}: spaces: '{}' appears twice (give one a distinct label)", path, s.line, s.label));

  const auto algorithms = root["algorithms"];
  if (!algorithms) throw ConfigError(fmt::format("{}:1: algorithms: missing", path));
  if (!algorithms.IsSequence() || algorithms.size() == 0)
    ctx.fail(algorithms, "algorithms", "expected a non-empty list");
  for (std::size_t i = 0; i < algorithms.size(); ++i)
    config.algorithms.push_back(parse_algorithm(ctx, algorithms[i], i));

  if (const auto scoring = root["scoring"]) {
    ctx.only_keys(
        scoring, "scoring",
        {"reference_space", "max_noise_fraction", "exact_up_to", "silhouette_sample", "trustworthiness_sample"});
    auto& budget = config.approximation;
    for (auto [key, field, least] :
         {std::tuple{"exact_up_to", &budget.exact_up_to, Index{2}},
          std::tuple{"silhouette_sample", &budget.silhouette_sample, Index{100}},
          std::tuple{"trustworthiness_sample", &budget.trustworthiness_sample, Index{100}}}) {
      if (!scoring[key]) continue;
      const std::string name = std::string("scoring.") + key;
      *field = ctx.scalar<Index>(scoring[key], name, "an integer");
      if (*field < least) ctx.fail(scoring[key], name, fmt::format("must be >= {}", least));
    }
    if (scoring["max_noise_fraction"]) {
      config.max_noise_fraction =
          ctx.scalar<double>(scoring["max_noise_fraction"], "scoring.max_noise_fraction", "a number");
      if (!(config.max_noise_fraction >= 0 && config.max_noise_fraction <= 1))
        ctx.fail(scoring["max_noise_fraction"], "scoring.max_noise_fraction", "must be between 0 and 1");
    }
    if (scoring["reference_space"])
      config.score_reference_space =
          ctx.scalar<bool>(scoring["reference_space"], "scoring.reference_space", "true or false");
  }
  if (const auto board = root["leaderboard"]) {
    ctx.only_keys(board, "leaderboard", {"min_cluster_share", "max_noise_share", "min_silhouette_ref", "rank_by"});
    auto& policy = config.leaderboard;
    for (auto [key, field, low, high] : {std::tuple{"min_cluster_share", &policy.min_cluster_share, 0.0, 1.0},
                                         std::tuple{"max_noise_share", &policy.max_noise_share, 0.0, 1.0},
                                         std::tuple{"min_silhouette_ref", &policy.min_silhouette_ref, -1.0, 1.0}}) {
      if (!board[key]) continue;
      const std::string name = std::string("leaderboard.") + key;
      *field = ctx.scalar<double>(board[key], name, "a number");
      if (!(*field >= low && *field <= high))
        ctx.fail(board[key], name, fmt::format("must be between {} and {}", low, high));
    }
    if (board["rank_by"]) {
      static const std::vector<std::string> scores{"silhouette_ref", "silhouette", "calinski_harabasz",
                                                   "davies_bouldin", "ari",        "stability"};
      policy.rank_by = ctx.scalar<std::string>(board["rank_by"], "leaderboard.rank_by", "a score name");
      if (std::find(scores.begin(), scores.end(), policy.rank_by) == scores.end())
        ctx.fail(board["rank_by"], "leaderboard.rank_by",
                 fmt::format("unknown score '{}'{} (allowed: {})", policy.rank_by, did_you_mean(policy.rank_by, scores),
                             fmt::join(scores, ", ")));
    }
  }
  if (const auto stability = root["stability"]) parse_stability(ctx, stability, config.stability);
  if (const auto selection = root["selection"]) {
    ctx.only_keys(selection, "selection", {"gap_references"});
    if (const auto b = selection["gap_references"]) {
      const int references = ctx.scalar<int>(b, "selection.gap_references", "an integer");
      // The 1-SE rule needs a standard deviation over the reference sets, so B = 1 is refused as `select` refuses it.
      if (references < 2 || references > 10000)
        ctx.fail(b, "selection.gap_references", fmt::format("must be between 2 and 10000, got {}", references));
      config.gap_references = references;
    }
  }
  if (config.leaderboard.rank_by == "stability" && !config.stability.enabled())
    ctx.fail(root["leaderboard"]["rank_by"], "leaderboard.rank_by",
             "'stability' needs a stability section (e.g. stability: {resamples: 20, fraction: 0.8})");
  resolve_config_paths(config, static_cast<bool>(root["output"]));
  return config;
}

GridConfig load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(fmt::format("{}: cannot open config file", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), path);
}

}  // namespace cb::grid
