#pragma once
// Compares two results files run by run: runs are matched by what they are
// (space, algorithm, parameters, k), not by key, so a changed data set or
// program version still lines up.
#include <string>
#include <vector>

#include "clusterbench/records/results.hpp"
#include "clusterbench/report/leaderboard.hpp"

namespace cb::report {

struct DiffRow {
  std::string space, algorithm, params;
  int k = 0;
  const records::RunRecord* before = nullptr;  ///< null: only in the second file
  const records::RunRecord* after = nullptr;   ///< null: only in the first file
  double score_before = 0, score_after = 0; ///< the compared score (NaN when missing)
  std::size_t rank_before = 0, rank_after = 0;  ///< leaderboard rank by that score (0 = unranked)
  bool labels_identical = false;            ///< both have labels and they are equal
};

struct DiffOptions {
  std::string score = "silhouette";         ///< score to compare and rank by
  double tolerance = 0;                     ///< |Δ| at or below this counts as unchanged
  bool changed_only = false;                ///< hide rows whose score and labels are unchanged
};

std::vector<DiffRow> diff_results(const records::GridResult& before, const records::GridResult& after, const DiffOptions& options);

std::string render_diff(const std::vector<DiffRow>& rows, Format format, const DiffOptions& options);

}  // namespace cb::report
