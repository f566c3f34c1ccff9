#pragma once
// The silhouette leaderboard: runs ranked by a score, filtered, in four formats.
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/records/results.hpp"
#include "clusterbench/report/metric_catalog.hpp"
#include "clusterbench/report/run_filter.hpp"
#include "clusterbench/report/run_params.hpp"

namespace cb::report {

enum class Format { table, csv, json, markdown };
/// The format named "table", "csv", "json" or "markdown" (the --format option's
/// value); anything else is an InputError naming the option and the choices.
Format format_named(const std::string& text);

struct LeaderboardOptions {
  std::string sort_by;                  ///< any score or value column; empty = the grid's leaderboard.rank_by
  bool ascending = false;               ///< lowest first (always for lower-is-better scores such as davies_bouldin)
  std::vector<std::string> algorithms;  ///< keep only these algorithms (empty = all)
  std::vector<std::string> spaces;      ///< keep only these spaces (empty = all)
  std::vector<int> ks;                  ///< keep only these k (empty = all)
  std::vector<WhereClause> where;       ///< keep only runs passing every clause (rank --where)
  bool include_unscored = false;        ///< also list runs without a finite score (failed, < 2 clusters)
  std::size_t top = 0;                  ///< at most this many rows (0 = all)
  /// Which runs may lead; default: the policy stored with the results (the config's `leaderboard:`).
  std::optional<records::LeaderboardPolicy> policy;
};

struct LeaderboardRow {
  std::size_t rank = 0;
  const records::RunRecord* run = nullptr;
  double score = 0;        ///< the sort column's value
  std::string ineligible;  ///< why the run may not lead (tiny_cluster, mostly_noise, ...); empty = eligible
};

/// The column a leaderboard sorts by: `sort_by`, or the grid's rank_by; silhouette_ref falls
/// back to silhouette when the grid scored runs only in their own space.
std::string resolved_sort_by(const records::GridResult& result, const std::string& sort_by);

/// Why a run may not lead under a policy (empty: it may). Reasons: k_not_reachable,
/// k_not_reached (fewer clusters than k), mostly_noise, tiny_cluster, worse_than_random_in_features.
std::string ineligibility(const records::RunRecord& run, const records::LeaderboardPolicy& policy);

/// Ranks the runs: eligible runs first, then the others with their reason, each by the
/// score; ties are broken by run key so the order is reproducible.
std::vector<LeaderboardRow> leaderboard(const records::GridResult& result, const LeaderboardOptions& options);

/// Renders the rows: `columns` in that order, or (empty) rank, space, algorithm, k,
/// k_found, params, the `score_columns`, sizes, fit_seconds, status, eligible, key.
/// Parameters show only what differs from `defaults`.
std::string render_leaderboard(const std::vector<LeaderboardRow>& rows, Format format,
                               const std::vector<std::string>& score_columns, const ParamDefaults& defaults = {},
                               const std::vector<std::string>& columns = {});

/// Every column a leaderboard can show or filter on for these results.
std::vector<std::string> valid_columns(const records::GridResult& result);
/// Throws InputError for a column not in valid_columns(result), listing them.
void check_columns(const std::vector<std::string>& asked, const records::GridResult& result);

/// Score columns worth showing for this result (ARI only when reference labels exist).
std::vector<std::string> default_score_columns(const records::GridResult& result, const std::string& sort_by);

}  // namespace cb::report
