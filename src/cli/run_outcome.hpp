#pragma once
// What `run` and `merge` print when a grid session ends: the leaderboard, the
// one-line summary, failed runs, or how to continue after an interruption.
#include <cstddef>

#include "clusterbench/grid/session.hpp"

namespace cb::cli {

struct OutcomeReport {
  std::size_t top = 10;  ///< leaderboard rows
  bool quiet = false;    ///< no leaderboard
  int ranks = 1;         ///< MPI ranks (named in the summary when more than one)
};

/// Prints the leaderboard (unless quiet) and the summary line; returns the exit code.
int report_outcome(const grid::SessionOutcome& outcome, const OutcomeReport& report);

/// Says what was kept after a stop by `signal`; returns 128 + signal.
int report_interrupted(const grid::SessionOutcome& outcome, int signal);

}  // namespace cb::cli
