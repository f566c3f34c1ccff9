#include "run_outcome.hpp"

#include <iostream>

#include <fmt/format.h>

#include "clusterbench/report/cleaning_report.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"

namespace cb::cli {

int report_outcome(const grid::SessionOutcome& outcome, const OutcomeReport& report) {
  const auto& result = outcome.result;
  if (!outcome.moved_previous.empty())
    std::cerr << fmt::format("note: {} held results for different data; moved to {}\n", outcome.output,
                             outcome.moved_previous);
  std::size_t failed = 0;
  for (const auto& run : result.runs) failed += run.status == "failed";
  report::LeaderboardOptions board;
  board.top = report.top;
  if (!report.quiet) {
    if (result.cleaning) std::cout << report::render_cleaning(*result.cleaning) << '\n';
    const auto rows = report::leaderboard(result, board);
    std::cout << report::render_leaderboard(
        rows, report::Format::table, report::default_score_columns(result, board.sort_by), algorithm_param_defaults());
  }
  const std::string part = result.provenance.shard.empty() ? "" : fmt::format(" (shard {})", result.provenance.shard);
  std::cerr << fmt::format("{} runs{} ({} computed, {} reused, {} failed) on {} thread(s){} -> {}{}\n",
                           result.runs.size(), part, outcome.computed, outcome.reused, failed,
                           result.provenance.threads,
                           report.ranks > 1 ? fmt::format(" x {} MPI ranks", report.ranks) : "", outcome.output,
                           outcome.written ? "" : " (already up to date)");
  if (failed == 0) return kOk;
  for (const auto& run : result.runs)
    if (run.status == "failed")
      std::cerr << fmt::format("failed: {} {} k={} in {}: {}\n", run.algorithm, run.key, run.k, run.space, run.message);
  return kRunsFailed;
}

int report_interrupted(const grid::SessionOutcome& outcome, int signal) {
  std::cerr << fmt::format(
      "stopped by signal {}: {} of {} runs are done and kept ({} waiting in {}.journal); run the same command again to "
      "continue\n",
      signal, outcome.reused + outcome.journaled, outcome.planned, outcome.journaled, outcome.output);
  return kInterrupted + signal;
}

}  // namespace cb::cli
