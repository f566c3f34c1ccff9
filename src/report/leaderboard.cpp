#include "clusterbench/report/leaderboard.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/report/run_params.hpp"
#include "text_table.hpp"

namespace cb::report {
namespace {

using text::number;

double column_value(const records::RunRecord& run, const std::string& column) { return run_value(run, column); }

template <class T>
bool keep(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

Format format_named(const std::string& text) {
  if (text == "table") return Format::table;
  if (text == "csv") return Format::csv;
  if (text == "json") return Format::json;
  if (text == "markdown") return Format::markdown;
  throw InputError(fmt::format("--format: '{}' is not one of table, csv, json, markdown", excerpt(text)));
}

std::vector<std::string> default_score_columns(const records::GridResult& result, const std::string& sort_by) {
  std::vector<std::string> columns{"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin"};
  const bool has_ari = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    const auto it = r.scores.find("ari");
    return it != r.scores.end() && !std::isnan(it->second);
  });
  if (has_ari) columns.push_back("ari");
  const bool has_dbcv = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    const auto it = r.scores.find("dbcv");
    return it != r.scores.end() && !std::isnan(it->second);
  });
  if (has_dbcv) columns.push_back("dbcv");
  // Silhouette leaves noise out, so a run with noise must show how much it left out.
  const bool has_noise = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    const auto it = r.scores.find("noise_fraction");
    return it != r.scores.end() && it->second > 0;
  });
  if (has_noise) columns.push_back("noise_fraction");
  const bool has_stability = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    const auto it = r.scores.find("stability");
    return it != r.scores.end() && !std::isnan(it->second);
  });
  if (has_stability) columns.push_back("stability");
  columns.push_back("min_cluster_share");
  const std::string resolved = resolved_sort_by(result, sort_by);
  // k and fit_seconds have columns of their own.
  if (resolved != "k" && resolved != "k_found" && resolved != "fit_seconds" &&
      std::find(columns.begin(), columns.end(), resolved) == columns.end())
    columns.insert(columns.begin(), resolved);
  return columns;
}

std::string resolved_sort_by(const records::GridResult& result, const std::string& sort_by) {
  if (!sort_by.empty()) return sort_by;
  const std::string wanted = result.leaderboard.rank_by;
  if (wanted != "silhouette_ref") return wanted;
  // A grid scored only in each run's own space has reference silhouettes for its raw space alone.
  const bool own_only = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    return std::isfinite(column_value(r, "silhouette")) && !std::isfinite(column_value(r, "silhouette_ref"));
  });
  return own_only ? "silhouette" : wanted;
}

std::string ineligibility(const records::RunRecord& run, const records::LeaderboardPolicy& policy) {
  if (run.status == "k_not_reachable") return "k_not_reachable";
  if (run.k_found < run.k) return "k_not_reached";
  if (column_value(run, "noise_fraction") > policy.max_noise_share) return "mostly_noise";
  if (column_value(run, "min_cluster_share") < policy.min_cluster_share) return "tiny_cluster";
  if (column_value(run, "silhouette_ref") < policy.min_silhouette_ref) return "worse_than_random_in_features";
  return "";  // NaN comparisons are false: a score that is not there does not disqualify
}

std::vector<LeaderboardRow> leaderboard(const records::GridResult& result, const LeaderboardOptions& options) {
  const std::string sort_by = resolved_sort_by(result, options.sort_by);
  if (const auto columns = numeric_columns(result.runs);
      !result.runs.empty() && std::find(columns.begin(), columns.end(), sort_by) == columns.end())
    throw InputError(
        fmt::format("--by: no column '{}' in these results (valid: {})", sort_by, fmt::join(columns, ", ")));
  const bool ascending = options.ascending || lower_is_better(sort_by);
  const records::LeaderboardPolicy policy = options.policy.value_or(result.leaderboard);

  std::vector<LeaderboardRow> rows;
  for (const auto& run : result.runs) {
    if (!keep(options.algorithms, run.algorithm) || !keep(options.spaces, run.space) || !keep(options.ks, run.k))
      continue;
    if (!passes(run, options.where)) continue;
    const double score = column_value(run, sort_by);
    if (std::isnan(score) && !options.include_unscored) continue;
    rows.push_back({0, &run, score, ineligibility(run, policy)});
  }
  std::sort(rows.begin(), rows.end(), [&](const LeaderboardRow& a, const LeaderboardRow& b) {
    const bool a_nan = std::isnan(a.score), b_nan = std::isnan(b.score);
    if (a_nan != b_nan) return b_nan;                                               // unscored runs last
    if (a.ineligible.empty() != b.ineligible.empty()) return a.ineligible.empty();  // eligible runs first
    if (!a_nan && a.score != b.score) return ascending ? a.score < b.score : a.score > b.score;
    return a.run->key < b.run->key;
  });
  if (options.top > 0 && rows.size() > options.top) rows.resize(options.top);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].rank = i + 1;
  return rows;
}

namespace {

std::string compact_sizes(const std::vector<std::int64_t>& sizes) {
  std::vector<std::int64_t> sorted(sizes);
  std::sort(sorted.rbegin(), sorted.rend());
  constexpr std::size_t kShown = 6;
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < sorted.size() && i < kShown; ++i) parts.push_back(std::to_string(sorted[i]));
  std::string text = fmt::format("{}", fmt::join(parts, "/"));
  if (sorted.size() > kShown) text += fmt::format("/… ({} clusters)", sorted.size());
  return text;
}

/// "dbscan in pca: k 5..11 (7 runs)": a run of k_not_reachable rows in one line.
std::vector<std::string> collapsed_lines(const std::vector<const LeaderboardRow*>& rows) {
  std::map<std::pair<std::string, std::string>, std::vector<int>> groups;
  for (const auto* row : rows) groups[{row->run->space, row->run->algorithm}].push_back(row->run->k);
  std::vector<std::string> lines;
  for (auto& [where, ks] : groups) {
    std::sort(ks.begin(), ks.end());
    lines.push_back(
        fmt::format("(not shown: {} {} run(s) in {} with k_not_reachable, k {})", ks.size(), where.second, where.first,
                    ks.size() == 1 ? std::to_string(ks.front()) : fmt::format("{}..{}", ks.front(), ks.back())));
  }
  return lines;
}

}  // namespace

namespace {
std::vector<std::string> default_columns(const std::vector<std::string>& score_columns) {
  std::vector<std::string> columns{"rank", "space", "algorithm", "k", "k_found", "params"};
  columns.insert(columns.end(), score_columns.begin(), score_columns.end());
  columns.insert(columns.end(), {"sizes", "fit_seconds", "status", "eligible", "key"});
  return columns;
}
}  // namespace

std::vector<std::string> valid_columns(const records::GridResult& result) {
  std::vector<std::string> columns = numeric_columns(result.runs);
  for (const auto* fixed : {"rank", "space", "algorithm", "params", "sizes", "status", "eligible", "key"})
    columns.push_back(fixed);
  std::sort(columns.begin(), columns.end());
  return columns;
}

void check_columns(const std::vector<std::string>& asked, const records::GridResult& result) {
  const auto valid = valid_columns(result);
  for (const auto& c : asked)
    if (std::find(valid.begin(), valid.end(), c) == valid.end())
      throw InputError(fmt::format("--columns: unknown column '{}' (valid: {})", c, fmt::join(valid, ", ")));
}

namespace {

std::string cell(const LeaderboardRow& row, const std::string& column, const ParamDefaults& defaults) {
  const auto& r = *row.run;
  if (column == "rank") return std::to_string(row.rank);
  if (column == "space") return r.space;
  if (column == "algorithm") return r.algorithm;
  if (column == "k") return std::to_string(r.k);
  if (column == "k_found") return std::to_string(r.k_found);
  if (column == "params") return compact_params(r, defaults);
  if (column == "sizes") return compact_sizes(r.cluster_sizes);
  if (column == "fit_seconds") return fmt::format("{:.3f}", r.fit_seconds);
  if (column == "status") return r.status;
  if (column == "eligible") return row.ineligible.empty() ? "yes" : "no: " + row.ineligible;
  if (column == "key") return r.key;
  return number(column_value(r, column));
}

bool left_aligned(const std::string& column) {
  for (const auto* text : {"space", "algorithm", "params", "sizes", "status", "eligible", "key"})
    if (column == text) return true;
  return false;
}

nlohmann::ordered_json json_row(const LeaderboardRow& row, const std::vector<std::string>& columns) {
  const auto& r = *row.run;
  nlohmann::ordered_json j;
  for (const auto& c : columns) {
    if (c == "rank") j[c] = row.rank;
    else if (c == "space" || c == "algorithm" || c == "status" || c == "key") j[c] = cell(row, c, {});
    else if (c == "k") j[c] = r.k;
    else if (c == "k_found") j[c] = r.k_found;
    else if (c == "params") j[c] = nlohmann::ordered_json::parse(r.params.empty() ? "{}" : r.params);
    else if (c == "sizes") j["cluster_sizes"] = r.cluster_sizes;
    else if (c == "eligible") {
      j["eligible"] = row.ineligible.empty();
      j["ineligible_reason"] =
          row.ineligible.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(row.ineligible);
    } else {
      const double v = column_value(r, c);
      j[c] = std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
    }
  }
  return j;
}

}  // namespace

std::string render_leaderboard(const std::vector<LeaderboardRow>& rows, Format format,
                               const std::vector<std::string>& score_columns, const ParamDefaults& defaults,
                               const std::vector<std::string>& columns) {
  const std::vector<std::string> header = columns.empty() ? default_columns(score_columns) : columns;
  if (format == Format::json) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& row : rows) array.push_back(json_row(row, header));
    return array.dump(2) + "\n";
  }
  // In tables, DBSCAN's many unreachable k would bury the board: one line per (space, algorithm).
  const bool collapse = format == Format::table || format == Format::markdown;
  std::vector<const LeaderboardRow*> collapsed;
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    if (collapse && row.ineligible == "k_not_reachable") {
      collapsed.push_back(&row);
      continue;
    }
    std::vector<std::string> line;
    for (const auto& c : header) line.push_back(cell(row, c, defaults));
    cells.push_back(std::move(line));
  }
  std::vector<bool> left;
  for (const auto& c : header) left.push_back(left_aligned(c));
  std::string out = text::render(header, cells, format, left);
  if (format == Format::table && cells.empty() && collapsed.empty()) out += "(no runs match)\n";
  for (const auto& line : collapsed_lines(collapsed)) out += line + "\n";
  return out;
}

}  // namespace cb::report
