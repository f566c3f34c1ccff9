#pragma once
// Compares two results files run by run. Runs are matched by run key first (same
// data, config and program version); runs left over are matched by what they are
// (space, algorithm, parameters, k), so a new program version or changed data
// still lines up. Label agreement ignores cluster ids: the same partition under
// permuted ids is "same".
#include <string>
#include <vector>

#include "clusterbench/records/results.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/report/partition_agreement.hpp"
#include "clusterbench/report/run_params.hpp"

namespace cb::report {

struct DiffRow {
  std::string space, algorithm, params;
  int k = 0;
  const records::RunRecord* before = nullptr;   ///< null: only in the second file
  const records::RunRecord* after = nullptr;    ///< null: only in the first file
  std::string matched_by;                       ///< "key", "identity", or "" when in one file only
  std::size_t rank_before = 0, rank_after = 0;  ///< leaderboard rank by the compared score (0 = unranked)
  PartitionAgreement agreement;                 ///< between the two runs' labels
  std::vector<std::string> violations;          ///< --fail-on conditions this run violates
};

struct DiffOptions {
  std::string score = "silhouette";  ///< score to compare and rank by
  double tolerance = 0;              ///< |Δ| at or below this counts as unchanged
  bool changed_only = false;         ///< hide rows whose score, rank and partition are unchanged
  bool show_violations = false;      ///< add the violations column (--fail-on)
  ParamDefaults defaults;            ///< for the compact parameters column
};

/// Every run of either file, matched; sorted by rank in the second file. Throws
/// InputError when neither file has the score (listing the columns they have).
std::vector<DiffRow> diff_results(const records::GridResult& before, const records::GridResult& after,
                                  const DiffOptions& options);

std::string render_diff(const std::vector<DiffRow>& rows, Format format, const DiffOptions& options);

}  // namespace cb::report
