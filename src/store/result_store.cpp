#include "clusterbench/store/result_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cleaning_store.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/store/file_seal.hpp"
#include "h5_handles.hpp"
#include "profile_store.hpp"

namespace cb::store {
namespace fs = std::filesystem;
using records::GridResult;
using records::RunRecord;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<std::string> kStringColumns{"key",    "space",   "algorithm",    "params",
                                              "status", "message", "cluster_sizes"};

std::vector<std::string> union_of_keys(const std::vector<RunRecord>& runs,
                                       std::map<std::string, double> RunRecord::*field) {
  std::set<std::string> keys;
  for (const auto& run : runs)
    for (const auto& [k, v] : run.*field) keys.insert(k);
  return {keys.begin(), keys.end()};
}

/// Per-cluster Jaccard means as JSON (null where a cluster was never in a subsample: JSON has no NaN).
std::string jaccard_json(const std::vector<double>& values) {
  nlohmann::json list = nlohmann::json::array();
  for (const double v : values) list.push_back(std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v));
  return list.dump();
}

/// What the scores `stability` and `stability_sd` do not say: the settings and the per-cluster Jaccard.
void write_stability_columns(hid_t group, const std::vector<RunRecord>& runs) {
  std::vector<int> resamples;
  std::vector<double> fraction;
  std::vector<std::string> jaccard;
  for (const auto& r : runs) {
    resamples.push_back(r.stability ? r.stability->resamples : 0);
    fraction.push_back(r.stability ? r.stability->fraction : kNaN);
    jaccard.push_back(r.stability ? jaccard_json(r.stability->cluster_jaccard) : std::string());
  }
  h5::write_ints(group, "stability_resamples", resamples);
  h5::write_doubles(group, "stability_fraction", fraction);
  h5::write_strings(group, "stability_jaccard", jaccard);
}

/// Rebuilds each run's stability from its columns and scores (files without them: not computed).
void read_stability_columns(hid_t group, std::vector<RunRecord>& runs, const std::string& path) {
  if (!h5::exists(group, "stability_resamples")) return;
  const auto resamples = h5::read_integers(group, "stability_resamples");
  const auto fraction = h5::read_doubles(group, "stability_fraction");
  const auto jaccard = h5::read_strings(group, "stability_jaccard");
  for (std::size_t i = 0; i < runs.size() && i < resamples.size() && i < fraction.size() && i < jaccard.size(); ++i) {
    if (resamples[i] <= 0) continue;
    const auto parsed = nlohmann::json::parse(jaccard[i], nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array())
      throw InputError(
          fmt::format("{}: corrupt results file: runs/stability_jaccard row {} is not a JSON list", path, i));
    records::RunStability stability{static_cast<int>(resamples[i]), fraction[i], kNaN, kNaN, {}};
    for (const auto& v : parsed) stability.cluster_jaccard.push_back(v.is_number() ? v.get<double>() : kNaN);
    if (const auto it = runs[i].scores.find("stability"); it != runs[i].scores.end()) stability.ari_mean = it->second;
    if (const auto it = runs[i].scores.find("stability_sd"); it != runs[i].scores.end()) stability.ari_sd = it->second;
    runs[i].stability = std::move(stability);
  }
}

void write_runs(hid_t file, const GridResult& result) {
  const auto& runs = result.runs;
  auto group = h5::create_group(file, "runs");
  auto column = [&](auto getter) {
    using T = decltype(getter(runs.front()));
    std::vector<std::decay_t<T>> values;
    for (const auto& r : runs) values.push_back(getter(r));
    return values;
  };
  if (runs.empty()) {
    for (const auto& name : kStringColumns) h5::write_strings(group, name, {});
  } else {
    h5::write_strings(group, "key", column([](const RunRecord& r) { return r.key; }));
    h5::write_strings(group, "space", column([](const RunRecord& r) { return r.space; }));
    h5::write_strings(group, "algorithm", column([](const RunRecord& r) { return r.algorithm; }));
    h5::write_strings(group, "params", column([](const RunRecord& r) { return r.params; }));
    h5::write_strings(group, "status", column([](const RunRecord& r) { return r.status; }));
    h5::write_strings(group, "message", column([](const RunRecord& r) { return r.message; }));
    h5::write_strings(group, "cluster_sizes",
                      column([](const RunRecord& r) { return nlohmann::json(r.cluster_sizes).dump(); }));
  }
  std::vector<int> k, k_found;
  std::vector<unsigned long long> seed;
  std::vector<double> fit, score;
  for (const auto& r : runs) {
    k.push_back(r.k);
    k_found.push_back(r.k_found);
    seed.push_back(r.seed);
    fit.push_back(r.fit_seconds);
    score.push_back(r.score_seconds);
  }
  h5::write_ints(group, "k", k);
  h5::write_ints(group, "k_found", k_found);
  const bool any_stability =
      std::any_of(runs.begin(), runs.end(), [](const RunRecord& r) { return r.stability.has_value(); });
  if (any_stability) write_stability_columns(group, runs);
  h5::write_uint64s(group, "seed", seed);
  h5::write_doubles(group, "fit_seconds", fit);
  h5::write_doubles(group, "score_seconds", score);

  std::set<std::string> taken(kStringColumns.begin(), kStringColumns.end());
  taken.insert({"k", "k_found", "seed", "fit_seconds", "score_seconds", "stability_resamples", "stability_fraction",
                "stability_jaccard"});
  auto write_map_columns = [&](std::map<std::string, double> RunRecord::*field, const char* attr) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& key : union_of_keys(runs, field)) {
      const std::string name = taken.count(key) ? "value_" + key : key;
      taken.insert(name);
      std::vector<double> values;
      for (const auto& r : runs) {
        const auto it = (r.*field).find(key);
        values.push_back(it == (r.*field).end() ? kNaN : it->second);
      }
      h5::write_doubles(group, name, values);
      names.push_back({{"column", name}, {"key", key}});
    }
    h5::write_attr(group, attr, names.dump());
  };
  write_map_columns(&RunRecord::scores, "score_columns");
  write_map_columns(&RunRecord::values, "value_columns");
  h5::write_attr(group, "row_count", static_cast<long long>(runs.size()));

  std::vector<const Labels*> label_rows;
  for (const auto& r : runs) label_rows.push_back(&r.labels);
  h5::write_label_matrix(file, "labels", label_rows, result.data.rows());

  auto models = h5::create_group(file, "models");
  for (const auto& r : runs) {
    if (r.arrays.empty()) continue;
    auto model = h5::create_group(models, r.key);
    for (const auto& [name, m] : r.arrays) h5::write_matrix(model, name, m);
  }
}

void write_data(hid_t file, const GridResult& result) {
  auto data = h5::create_group(file, "data");
  h5::write_strings(data, "ids", result.data.ids);
  h5::write_strings(data, "columns", result.data.columns);
  h5::write_matrix(data, "features", result.data.values);
  h5::write_matrix(data, "reference", result.reference);
  if (result.data.reference) {
    std::vector<int> labels(result.data.reference->begin(), result.data.reference->end());
    h5::write_ints(data, "reference_labels", labels);
  }
  h5::write_attr(data, "source", result.data.source);

  auto spaces = h5::create_group(file, "spaces");
  for (const auto& space : result.spaces) {
    auto group = h5::create_group(spaces, space.label);
    h5::write_attr(group, "key", space.key);
    h5::write_attr(group, "name", space.name);
    h5::write_attr(group, "params", space.params);
    h5::write_attr(group, "seconds", space.seconds);
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [k, v] : space.values) values[k] = v;
    h5::write_attr(group, "values", values.dump());
    h5::write_matrix(group, "points", space.points);
    for (const auto& [name, m] : space.arrays) h5::write_matrix(group, name, m);
  }
}

void write_provenance(hid_t file, const GridResult& result) {
  const auto& p = result.provenance;
  h5::write_attr(file, "schema_version", static_cast<long long>(kSchemaVersion));
  h5::write_attr(file, "program", std::string("clusterbench"));
  h5::write_attr(file, "program_version", p.program_version);
  h5::write_attr(file, "git_commit", p.git_commit);
  h5::write_attr(file, "grid_name", p.grid_name);
  h5::write_attr(file, "config_path", p.config_path);
  h5::write_attr(file, "config_text", p.config_text);
  h5::write_attr(file, "data_digest", p.data_digest);
  h5::write_attr(file, "threads", static_cast<long long>(p.threads));
  h5::write_attr(file, "seed", std::to_string(p.seed));
  h5::write_attr(file, "started_utc", p.started_utc);
  h5::write_attr(file, "finished_utc", p.finished_utc);
  h5::write_attr(file, "shard", p.shard);
  const auto& board = result.leaderboard;
  h5::write_attr(file, "leaderboard",
                 nlohmann::json{{"min_cluster_share", board.min_cluster_share},
                                {"max_noise_share", board.max_noise_share},
                                {"min_silhouette_ref", board.min_silhouette_ref},
                                {"rank_by", board.rank_by}}
                     .dump());
  if (result.gap_references)
    h5::write_attr(file, "selection", nlohmann::json{{"gap_references", *result.gap_references}}.dump());
}

std::string temp_path_for(const std::string& path) { return path + ".tmp-" + std::to_string(::getpid()); }

}  // namespace

void ensure_writable(const std::string& path) {
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec)
    throw IoError(fmt::format("{}: cannot create folder {}: {}", path, target.parent_path().string(), ec.message()));
  if (fs::is_directory(target)) throw IoError(fmt::format("{}: is a directory, expected a results file path", path));
  const std::string probe = temp_path_for(path);
  {
    std::ofstream out(probe);
    if (!out) throw IoError(fmt::format("{}: output is not writable", path));
  }
  fs::remove(probe, ec);
}

void write_results(const std::string& path, const GridResult& result) {
  ensure_writable(path);
  h5::write_file_image(path, [&](hid_t file) {
    write_provenance(file, result);
    write_data(file, result);
    write_runs(file, result);
    if (result.customers) {
      write_customers(file, *result.customers);
      write_profiles(file, result.runs, result.customers->segment_names.size());
    }
    if (result.cleaning) write_cleaning(file, *result.cleaning);
  });
}

GridResult read_results(const std::string& path, const ReadOptions& options) {
  h5::silence_errors();
  if (!fs::exists(path)) throw InputError(fmt::format("{}: no such results file", path));
  verify_results_file(path);  // before libhdf5, which can hang on damaged metadata
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw InputError(fmt::format("{}: not an HDF5 file", path));
  h5::Handle file(id, H5Fclose, "open " + path);
  if (!h5::has_attr(file, "schema_version") || !h5::exists(file, "runs"))
    throw InputError(fmt::format("{}: not a clusterbench results file", path));
  const auto version = static_cast<int>(h5::read_double_attr(file, "schema_version"));
  if (version < kOldestReadableSchema || version > kSchemaVersion)
    throw InputError(fmt::format("{}: results schema version {} is not supported (this build reads {} to {})", path,
                                 version, kOldestReadableSchema, kSchemaVersion));

  GridResult result;
  auto& p = result.provenance;
  p.schema_version = version;
  p.program_version = h5::read_string_attr(file, "program_version");
  p.git_commit = h5::read_string_attr(file, "git_commit");
  p.grid_name = h5::read_string_attr(file, "grid_name");
  p.config_path = h5::read_string_attr(file, "config_path");
  p.config_text = h5::read_string_attr(file, "config_text");
  p.data_digest = h5::read_string_attr(file, "data_digest");
  p.threads = static_cast<int>(h5::read_double_attr(file, "threads"));
  p.seed = std::stoull(h5::read_string_attr(file, "seed"));
  p.started_utc = h5::read_string_attr(file, "started_utc");
  p.finished_utc = h5::read_string_attr(file, "finished_utc");
  if (h5::has_attr(file, "shard")) p.shard = h5::read_string_attr(file, "shard");
  if (h5::has_attr(file, "leaderboard")) {
    const auto board = nlohmann::json::parse(h5::read_string_attr(file, "leaderboard"), nullptr, false);
    if (board.is_discarded() || !board.is_object())
      throw InputError(fmt::format("{}: corrupt results file: attribute 'leaderboard' is not a JSON object", path));
    auto& policy = result.leaderboard;
    policy.min_cluster_share = board.value("min_cluster_share", policy.min_cluster_share);
    policy.max_noise_share = board.value("max_noise_share", policy.max_noise_share);
    policy.min_silhouette_ref = board.value("min_silhouette_ref", policy.min_silhouette_ref);
    policy.rank_by = board.value("rank_by", policy.rank_by);
  }

  if (h5::has_attr(file, "selection")) {
    const auto selection = nlohmann::json::parse(h5::read_string_attr(file, "selection"), nullptr, false);
    if (selection.is_discarded() || !selection.is_object() || !selection.contains("gap_references") ||
        !selection["gap_references"].is_number_integer())
      throw InputError(
          fmt::format("{}: corrupt results file: attribute 'selection' is not {{\"gap_references\": B}}", path));
    result.gap_references = selection["gap_references"].get<int>();
  }

  auto runs = h5::open_group(file, "runs");
  const auto keys = h5::read_strings(runs, "key");
  result.runs.resize(keys.size());
  auto fill_strings = [&](const char* name, std::string RunRecord::*field) {
    const auto values = h5::read_strings(runs, name);
    for (std::size_t i = 0; i < values.size(); ++i) result.runs[i].*field = values[i];
  };
  fill_strings("key", &RunRecord::key);
  fill_strings("space", &RunRecord::space);
  fill_strings("algorithm", &RunRecord::algorithm);
  fill_strings("params", &RunRecord::params);
  fill_strings("status", &RunRecord::status);
  fill_strings("message", &RunRecord::message);
  if (h5::exists(runs, "cluster_sizes")) {  // schema 3; older files get them from their labels below
    const auto sizes = h5::read_strings(runs, "cluster_sizes");
    for (std::size_t i = 0; i < sizes.size() && i < result.runs.size(); ++i) {
      const auto parsed = nlohmann::json::parse(sizes[i], nullptr, false);
      if (parsed.is_discarded() || !parsed.is_array())
        throw InputError(
            fmt::format("{}: corrupt results file: runs/cluster_sizes row {} is not a JSON list", path, i));
      result.runs[i].cluster_sizes = parsed.get<std::vector<std::int64_t>>();
    }
  }
  const auto k = h5::read_integers(runs, "k"), k_found = h5::read_integers(runs, "k_found");
  const auto seed = h5::read_uint64s(runs, "seed");
  const auto fit = h5::read_doubles(runs, "fit_seconds"), score = h5::read_doubles(runs, "score_seconds");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto& r = result.runs[i];
    r.k = static_cast<int>(k[i]);
    r.k_found = static_cast<int>(k_found[i]);
    r.seed = seed[i];
    r.fit_seconds = fit[i];
    r.score_seconds = score[i];
  }
  auto read_map_columns = [&](const char* attr, std::map<std::string, double> RunRecord::*field) {
    const auto columns = nlohmann::json::parse(h5::read_string_attr(runs, attr));
    for (const auto& entry : columns) {
      const auto values = h5::read_doubles(runs, entry["column"].get<std::string>());
      const auto key = entry["key"].get<std::string>();
      for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isnan(values[i]) || field == &RunRecord::scores) (result.runs[i].*field)[key] = values[i];
    }
  };
  read_map_columns("score_columns", &RunRecord::scores);
  read_map_columns("value_columns", &RunRecord::values);
  read_stability_columns(runs, result.runs, path);

  if (options.labels) {
    auto labels = h5::read_label_matrix(file, "labels");
    for (std::size_t i = 0; i < labels.size() && i < result.runs.size(); ++i)
      if (result.runs[i].status != "failed") result.runs[i].labels = std::move(labels[i]);
    for (auto& r : result.runs)
      if (r.cluster_sizes.empty()) records::set_cluster_sizes(r);  // files before schema 3
    auto models = h5::open_group(file, "models");
    for (auto& r : result.runs) {
      if (!h5::exists(models, r.key)) continue;
      auto model = h5::open_group(models, r.key);
      for (const auto& name : h5::member_names(model)) r.arrays[name] = h5::read_matrix(model, name);
    }
  }
  if (options.data) {
    auto data = h5::open_group(file, "data");
    result.data.source = h5::read_string_attr(data, "source");
    result.data.ids = h5::read_strings(data, "ids");
    result.data.columns = h5::read_strings(data, "columns");
    result.data.values = h5::read_matrix(data, "features");
    result.reference = h5::read_matrix(data, "reference");
    if (h5::exists(data, "reference_labels")) {
      const auto labels = h5::read_integers(data, "reference_labels");
      result.data.reference = Labels(labels.begin(), labels.end());
    }
    auto spaces = h5::open_group(file, "spaces");
    for (const auto& label : h5::member_names(spaces)) {
      auto group = h5::open_group(spaces, label);
      records::SpaceRecord space;
      space.label = label;
      if (h5::has_attr(group, "key")) space.key = h5::read_string_attr(group, "key");
      space.name = h5::read_string_attr(group, "name");
      space.params = h5::read_string_attr(group, "params");
      space.seconds = h5::read_double_attr(group, "seconds");
      const auto values = nlohmann::json::parse(h5::read_string_attr(group, "values"));
      for (const auto& [k2, v] : values.items()) space.values[k2] = v.is_number() ? v.get<double>() : kNaN;
      for (const auto& name : h5::member_names(group))
        (name == "points" ? space.points : space.arrays[name]) = h5::read_matrix(group, name);
      result.spaces.push_back(std::move(space));
    }
    result.customers = read_customers(file, result.data);
    result.cleaning = read_cleaning(file);
  }
  if (options.profiles) read_profiles(file, result.runs);
  return result;
}

}  // namespace cb::store
