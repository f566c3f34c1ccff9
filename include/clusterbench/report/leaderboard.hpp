#pragma once
// The silhouette leaderboard: runs ranked by a score, filtered, in four formats.
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/records/results.hpp"

namespace cb::report {

enum class Format { table, csv, json, markdown };
/// Parses "table|csv|json|markdown"; returns false otherwise.
bool parse_format(const std::string& text, Format& out);

struct LeaderboardOptions {
  std::string sort_by = "silhouette";       ///< any score or value column (silhouette_ref, calinski_harabasz, ...)
  bool ascending = false;                   ///< best first means descending for silhouette/CH, ascending for DB
  std::vector<std::string> algorithms;      ///< keep only these algorithms (empty = all)
  std::vector<std::string> spaces;          ///< keep only these spaces (empty = all)
  std::vector<int> ks;                      ///< keep only these k (empty = all)
  bool include_unscored = false;            ///< also list runs without a finite score (failed, < 2 clusters)
  std::size_t top = 0;                      ///< at most this many rows (0 = all)
};

struct LeaderboardRow {
  std::size_t rank = 0;
  const records::RunRecord* run = nullptr;
  double score = 0;                         ///< the sort column's value
};

/// Ranks the runs; ties are broken by run key so the order is reproducible.
std::vector<LeaderboardRow> leaderboard(const records::GridResult& result, const LeaderboardOptions& options);

/// Renders the rows; `columns` lists the score columns to show.
std::string render_leaderboard(const std::vector<LeaderboardRow>& rows, Format format,
                               const std::vector<std::string>& score_columns);

/// Score columns worth showing for this result (ARI only when reference labels exist).
std::vector<std::string> default_score_columns(const records::GridResult& result, const std::string& sort_by);

}  // namespace cb::report
