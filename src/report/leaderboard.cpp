#include "clusterbench/report/leaderboard.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"

namespace cb::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double column_value(const grid::RunRecord& run, const std::string& column) {
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

std::string number(double v) {
  if (std::isnan(v)) return "";
  if (std::abs(v) >= 1e5 || (v != 0 && std::abs(v) < 1e-3)) return fmt::format("{:.4g}", v);
  return fmt::format("{:.4f}", v);
}

std::string csv_quote(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
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

std::vector<std::string> default_score_columns(const grid::GridResult& result, const std::string& sort_by) {
  std::vector<std::string> columns{"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin"};
  const bool has_ari = std::any_of(result.runs.begin(), result.runs.end(), [](const grid::RunRecord& r) {
    const auto it = r.scores.find("ari");
    return it != r.scores.end() && !std::isnan(it->second);
  });
  if (has_ari) columns.push_back("ari");
  if (std::find(columns.begin(), columns.end(), sort_by) == columns.end()) columns.insert(columns.begin(), sort_by);
  return columns;
}

std::vector<LeaderboardRow> leaderboard(const grid::GridResult& result, const LeaderboardOptions& options) {
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

  std::string out;
  switch (format) {
    case Format::csv: {
      out += fmt::format("{}\n", fmt::join(header, ","));
      for (const auto& line : cells) {
        std::vector<std::string> quoted;
        for (const auto& c : line) quoted.push_back(csv_quote(c));
        out += fmt::format("{}\n", fmt::join(quoted, ","));
      }
      break;
    }
    case Format::json: {
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
      out = array.dump(2) + "\n";
      break;
    }
    case Format::markdown: {
      out += fmt::format("| {} |\n", fmt::join(header, " | "));
      std::vector<std::string> rule(header.size(), "---");
      out += fmt::format("|{}|\n", fmt::join(rule, "|"));
      for (const auto& line : cells) out += fmt::format("| {} |\n", fmt::join(line, " | "));
      break;
    }
    case Format::table: {
      std::vector<std::size_t> width(header.size());
      for (std::size_t c = 0; c < header.size(); ++c) {
        width[c] = header[c].size();
        for (const auto& line : cells) width[c] = std::max(width[c], line[c].size());
      }
      auto render = [&](const std::vector<std::string>& line) {
        std::string text;
        for (std::size_t c = 0; c < line.size(); ++c) {
          const bool left = c == 1 || c == 2 || c + 2 >= line.size();
          text += left ? fmt::format("{:<{}}", line[c], width[c]) : fmt::format("{:>{}}", line[c], width[c]);
          if (c + 1 < line.size()) text += "  ";
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text + "\n";
      };
      out += render(header);
      for (const auto& line : cells) out += render(line);
      if (cells.empty()) out += "(no runs match)\n";
      break;
    }
  }
  return out;
}

}  // namespace cb::report
