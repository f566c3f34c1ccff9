#include "run_choice.hpp"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/leaderboard.hpp"

namespace cb::cli {

const records::RunRecord& choose_run(const records::GridResult& result, const std::string& results_path,
                                     const std::string& key, std::size_t rank, const std::string& by) {
  if (!key.empty()) {
    for (const auto& r : result.runs)
      if (r.key == key) return r;
    throw InputError(fmt::format("--run: no run with key '{}' in {}", key, results_path));
  }
  if (rank == 0) throw InputError("--rank: ranks start at 1");
  report::LeaderboardOptions options;
  options.sort_by = by;
  options.top = rank;
  const auto rows = report::leaderboard(result, options);
  if (rows.size() < rank)
    throw InputError(fmt::format("{}: {} scored run(s) by {}, so there is no rank {}", results_path, rows.size(),
                                 report::resolved_sort_by(result, by), rank));
  if (rank == 1 && !rows.front().ineligible.empty())  // the best is the best of the ineligible: say so
    std::cerr << fmt::format("note: no run meets the leaderboard policy; the best run is ineligible ({})\n",
                             rows.front().ineligible);
  return *rows[rank - 1].run;
}

std::string describe_run(const records::GridResult& result, const records::RunRecord& run, const std::string& by) {
  const std::string column = report::resolved_sort_by(result, by);
  const auto it = run.scores.find(column);
  return fmt::format("run {}: {} k={} in {} ({} {:.4f})", run.key, run.algorithm, run.k, run.space, column,
                     it == run.scores.end() ? std::nan("") : it->second);
}

}  // namespace cb::cli
