#pragma once
// `clusterbench select`: for each (space, algorithm, parameters) of a results
// file, the k each criterion chooses, side by side, and where they agree.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/cluster/gap_statistic.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/records/results.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/report/run_params.hpp"

namespace cb::report {

/// The criteria in display order: silhouette (own, reference space), Calinski–Harabasz,
/// Davies–Bouldin, DBCV (density-based runs), the elbow of inertia, BIC (GMM), the gap statistic by the paper's
/// 1-SE rule and by the 1-SE rule from the global maximum, stability (the k of the largest mean ARI over subsample
/// refits, when the grid measured it).
const std::vector<std::string>& selection_criteria();

struct KSelection {
  std::string space, algorithm, params;   ///< params: compact, non-default
  std::vector<int> ks;                    ///< the k with a usable run (status ok, k clusters found), ascending
  std::vector<int> chosen;                ///< per selection_criteria(): the k chosen, 0 = not available
  std::optional<cluster::GapResult> gap;  ///< K-Means groups only
  int consensus_k = 0;                    ///< the k most criteria chose (smallest on a tie)
  std::vector<std::string> agreeing;      ///< the criteria that chose it
};

struct SelectOptions {
  int gap_references = 20;  ///< B; 0 = no gap statistic
  ParamDefaults defaults;
};

/// Needs the result read with labels and data (space points). The gap statistic's
/// reference draws derive from the grid's seed, the space and the parameters.
std::vector<KSelection> select_k(const records::GridResult& result, const SelectOptions& options,
                                 const Executor& executor);

/// Table, markdown (with a note on the methods) or JSON (with the gap curves).
std::string render_selection(const std::vector<KSelection>& rows, Format format, const SelectOptions& options);

}  // namespace cb::report
