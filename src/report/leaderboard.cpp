#include "clusterbench/report/leaderboard.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"
#include "text_table.hpp"

namespace cb::report {
namespace {

using text::number;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double column_value(const records::RunRecord& run, const std::string& column) {
  if (const auto it = run.scores.find(column); it != run.scores.end()) return it->second;
  if (const auto it = run.values.find(column); it != run.values.end()) return it->second;
  if (column == "fit_seconds") return run.fit_seconds;
  if (column == "k") return run.k;
  return kNaN;
}

template <class T>
bool keep(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

bool parse_format(const std::string& text, Format& out) {
  if (text == "table") out = Format::table;
  else if (text == "csv") out = Format::csv;
  else if (text == "json") out = Format::json;
  else if (text == "markdown") out = Format::markdown;
  else return false;
  return true;
}

std::vector<std::string> default_score_columns(const records::GridResult& result, const std::string& sort_by) {
  std::vector<std::string> columns{"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin"};
  const bool has_ari = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    const auto it = r.scores.find("ari");
    return it != r.scores.end() && !std::isnan(it->second);
  });
  if (has_ari) columns.push_back("ari");
  // Silhouette leaves noise out, so a run with noise must show how much it left out.
  const bool has_noise = std::any_of(result.runs.begin(), result.runs.end(), [](const records::RunRecord& r) {
    const auto it = r.scores.find("noise_fraction");
    return it != r.scores.end() && it->second > 0;
  });
  if (has_noise) columns.push_back("noise_fraction");
  if (std::find(columns.begin(), columns.end(), sort_by) == columns.end()) columns.insert(columns.begin(), sort_by);
  return columns;
}

std::vector<LeaderboardRow> leaderboard(const records::GridResult& result, const LeaderboardOptions& options) {
  bool known = false;
  for (const auto& run : result.runs)
    if (run.scores.count(options.sort_by) || run.values.count(options.sort_by)) known = true;
  if (!known && !result.runs.empty() && options.sort_by != "fit_seconds" && options.sort_by != "k")
    throw InputError(fmt::format("--by: no column '{}' in these results", options.sort_by));

  std::vector<LeaderboardRow> rows;
  for (const auto& run : result.runs) {
    if (!keep(options.algorithms, run.algorithm) || !keep(options.spaces, run.space) || !keep(options.ks, run.k)) continue;
    const double score = column_value(run, options.sort_by);
    if (std::isnan(score) && !options.include_unscored) continue;
    rows.push_back({0, &run, score});
  }
  std::sort(rows.begin(), rows.end(), [&](const LeaderboardRow& a, const LeaderboardRow& b) {
    const bool a_nan = std::isnan(a.score), b_nan = std::isnan(b.score);
    if (a_nan != b_nan) return b_nan;  // unscored runs last
    if (!a_nan && a.score != b.score) return options.ascending ? a.score < b.score : a.score > b.score;
    return a.run->key < b.run->key;
  });
  if (options.top > 0 && rows.size() > options.top) rows.resize(options.top);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].rank = i + 1;
  return rows;
}

std::string render_leaderboard(const std::vector<LeaderboardRow>& rows, Format format,
                               const std::vector<std::string>& score_columns) {
  std::vector<std::string> header{"rank", "space", "algorithm", "k", "k_found"};
  header.insert(header.end(), score_columns.begin(), score_columns.end());
  header.insert(header.end(), {"fit_seconds", "status", "key"});
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    const auto& r = *row.run;
    std::vector<std::string> line{std::to_string(row.rank), r.space, r.algorithm, std::to_string(r.k), std::to_string(r.k_found)};
    for (const auto& c : score_columns) line.push_back(number(column_value(r, c)));
    line.insert(line.end(), {fmt::format("{:.3f}", r.fit_seconds), r.status, r.key});
    cells.push_back(std::move(line));
  }

  if (format != Format::json) {
    // space, algorithm, status and key read better left-aligned
    std::vector<bool> left(header.size(), false);
    left[1] = left[2] = left[header.size() - 2] = left[header.size() - 1] = true;
    std::string out = text::render(header, cells, format, left);
    if (format == Format::table && cells.empty()) out += "(no runs match)\n";
    return out;
  }
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    const auto& r = *row.run;
    nlohmann::ordered_json j;
    j["rank"] = row.rank;
    j["space"] = r.space;
    j["algorithm"] = r.algorithm;
    j["k"] = r.k;
    j["k_found"] = r.k_found;
    for (const auto& c : score_columns) {
      const double v = column_value(r, c);
      j[c] = std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
    }
    j["fit_seconds"] = r.fit_seconds;
    j["status"] = r.status;
    j["key"] = r.key;
    j["params"] = nlohmann::ordered_json::parse(r.params.empty() ? "{}" : r.params);
    array.push_back(j);
  }
  return array.dump(2) + "\n";
}

}  // namespace cb::report
