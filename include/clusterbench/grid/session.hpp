#pragma once
// A grid run against its results file: the policy of resuming and writing.
// One process per output (an advisory lock); finished runs and computed spaces
// are reused from the file and from the journal of an interrupted run; every
// fit, score and space is journaled as it finishes; the file is replaced whole
// only when its content changes. So a rerun, kill -9, Ctrl-C or a second
// process never loses or alters anything already computed.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/run_profiles.hpp"

namespace cb::grid {

/// How the processes of one grid under MPI talk; the default is one process.
struct ProcessGroup {
  int rank = 0;
  int size = 1;
  std::function<void()> barrier = [] {};
  /// Rank 0 receives every rank's message (its own first); others get nothing back.
  std::function<std::vector<std::vector<std::uint8_t>>(const std::vector<std::uint8_t>&)> gather;
};

/// One of `count` independent parts of a grid (`run --shard`): part `index`
/// (0-based) fits the families the same partition as MPI ranks gives it and
/// writes only those; `merge` joins the parts' files into the grid's store.
struct Shard {
  int index = 0;
  int count = 1;
  bool whole() const { return count == 1; }
};

struct SessionOptions {
  std::string output;              ///< results file; empty = the config's output
  int threads = -1;                ///< >= 0 replaces the config's threads
  double memory_budget_bytes = 0;  ///< spaces run side by side only while their estimates fit; 0 = half the RAM
  bool progress = false;           ///< progress line on stderr
  const std::atomic<bool>* stop = nullptr;  ///< set by a signal handler: stop starting work
  std::string program_version;
  std::string git_commit;
  ProcessGroup processes;
  Shard shard;  ///< a part of the grid; default: all of it
  /// Merge mode: the results come from these stores (parts of this grid made
  /// by `run --shard`, or any stores of the same config and data) and nothing
  /// is fitted or embedded; a run or space that none of them holds is an error.
  std::vector<std::string> merge_parts;
};

struct SessionOutcome {
  GridResult result;         ///< what the results file holds (rank 0)
  std::string output;        ///< the results file
  std::size_t planned = 0;   ///< runs of this config
  std::size_t computed = 0;  ///< runs fitted by this invocation
  std::size_t reused =
      0;  ///< runs whose fit was taken from the file or the journal (a journaled fit may be scored now)
  std::size_t journaled = 0;   ///< finished runs waiting in the journal (after an interruption)
  bool interrupted = false;    ///< stopped on request; the file was not touched
  bool written = false;        ///< the file was (re)written; false when it was already up to date
  std::string moved_previous;  ///< where a file holding other data's results was moved
};

/// Runs the config's grid into its output. Throws InputError for bad input
/// (before any run), OutputBusy when another process holds the output, IoError
/// when the output cannot be written (nothing computed is lost: it stays in the journal).
SessionOutcome run_session(GridConfig config, const SessionOptions& options);

}  // namespace cb::grid
