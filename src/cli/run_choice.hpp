#pragma once
// Picks one run of a results file: by key, or by its place on the leaderboard.
#include <cstddef>
#include <string>

#include "clusterbench/records/results.hpp"

namespace cb::cli {

/// The run with `key` when it is not empty, else the run at `rank` (1 = best)
/// of the leaderboard by score `by` (empty: the grid's rank_by; eligible runs first). Throws
/// InputError naming `results_path` when there is no such run.
const records::RunRecord& choose_run(const records::GridResult& result, const std::string& results_path,
                                     const std::string& key, std::size_t rank, const std::string& by);

/// One line naming a run: key, algorithm, k, space and its `by` score.
std::string describe_run(const records::GridResult& result, const records::RunRecord& run, const std::string& by);

}  // namespace cb::cli
