#include "run_choice.hpp"

#include <cmath>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/leaderboard.hpp"

namespace cb::cli {

const records::RunRecord& choose_run(const records::GridResult& result, const std::string& results_path, const std::string& key,
                                  std::size_t rank, const std::string& by) {
  if (!key.empty()) {
    for (const auto& r : result.runs)
      if (r.key == key) return r;
    throw InputError(fmt::format("--run: no run with key '{}' in {}", key, results_path));
  }
  if (rank == 0) throw InputError("--rank: ranks start at 1");
  report::LeaderboardOptions options;
  options.sort_by = by;
  options.ascending = by == "davies_bouldin";
  options.top = rank;
  const auto rows = report::leaderboard(result, options);
  if (rows.size() < rank)
    throw InputError(fmt::format("{}: {} scored run(s) by {}, so there is no rank {}", results_path, rows.size(), by, rank));
  return *rows[rank - 1].run;
}

std::string describe_run(const records::RunRecord& run, const std::string& by) {
  const auto it = run.scores.find(by);
  return fmt::format("run {}: {} k={} in {} ({} {:.4f})", run.key, run.algorithm, run.k, run.space, by,
                     it == run.scores.end() ? std::nan("") : it->second);
}

}  // namespace cb::cli
