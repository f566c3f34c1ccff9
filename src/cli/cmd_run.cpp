// `clusterbench run CONFIG`: parses flags, runs the grid session (resume,
// journal, lock and write policy live in grid/session), prints the leaderboard.
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/session.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "commands.hpp"
#include "mpi_session.hpp"
#include "stop_signals.hpp"

namespace cb::cli {
namespace {

struct RunArgs {
  std::string config;
  std::string output;
  int threads = -1;
  std::size_t top = 10;
  bool quiet = false;
};

/// The leaderboard and a one-line summary (rank 0). Returns the exit code.
int report_outcome(const RunArgs& args, const grid::SessionOutcome& outcome, int ranks) {
  const auto& result = outcome.result;
  if (!outcome.moved_previous.empty())
    std::cerr << fmt::format("note: {} held results for different data; moved to {}\n", outcome.output,
                             outcome.moved_previous);
  std::size_t failed = 0;
  for (const auto& run : result.runs) failed += run.status == "failed";
  report::LeaderboardOptions board;
  board.top = args.top;
  if (!args.quiet) {
    const auto rows = report::leaderboard(result, board);
    std::cout << report::render_leaderboard(rows, report::Format::table,
                                            report::default_score_columns(result, board.sort_by));
  }
  std::cerr << fmt::format("{} runs ({} computed, {} reused, {} failed) on {} thread(s){} -> {}{}\n", result.runs.size(),
                           outcome.computed, outcome.reused, failed, result.provenance.threads,
                           ranks > 1 ? fmt::format(" x {} MPI ranks", ranks) : "", outcome.output,
                           outcome.written ? "" : " (already up to date)");
  if (failed == 0) return kOk;
  for (const auto& run : result.runs)
    if (run.status == "failed")
      std::cerr << fmt::format("failed: {} {} k={} in {}: {}\n", run.algorithm, run.key, run.k, run.space, run.message);
  return kRunsFailed;
}

int run(const RunArgs& args) {
  const MpiSession mpi;
  const StopSignals signals;
  grid::SessionOptions options;
  options.output = args.output;
  options.threads = args.threads;
  options.progress = !args.quiet;
  options.stop = signals.flag();
  options.program_version = program_version();
  options.git_commit = git_commit();
  options.processes.rank = mpi.rank();
  options.processes.size = mpi.size();
  options.processes.barrier = [&mpi] { mpi.barrier(); };
  options.processes.gather = [&mpi](const std::vector<std::uint8_t>& mine) { return mpi.gather(mine); };

  bool settled = false;
  try {
    auto config = grid::load_config(args.config);
    const auto outcome = grid::run_session(std::move(config), options);
    settled = true;  // from here every rank ends through the broadcast of rank 0's exit code
    int code = kOk;
    if (mpi.rank() == 0) {
      if (outcome.interrupted) {
        std::cerr << fmt::format(
            "stopped by signal {}: {} of {} runs are done and kept ({} waiting in {}.journal); run the same command "
            "again to continue\n",
            signals.signal(), outcome.reused + outcome.journaled, outcome.planned, outcome.journaled, outcome.output);
        code = kInterrupted + signals.signal();
      } else {
        code = report_outcome(args, outcome, mpi.size());
      }
    }
    return mpi.size() > 1 ? mpi.broadcast(code) : code;
  } catch (const InputError&) {
    // Bad input is found by every rank alike before any run: rank 0 reports it, the others exit with the same code.
    if (mpi.rank() != 0) return kBadInput;
    throw;
  } catch (const std::exception& e) {
    if (mpi.size() > 1 && !settled) {
      // One rank failing alone would leave the others waiting for it: end them all.
      std::cerr << fmt::format("error (MPI rank {} of {}): {}\n", mpi.rank(), mpi.size(), e.what());
      mpi.abort(dynamic_cast<const OutputBusy*>(&e) ? kOutputBusy : kIoError);
    }
    throw;
  }
}

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a grid from a YAML config; resumes: stored runs are not recomputed");
  cmd->add_option("config", args->config, "grid config (YAML), e.g. configs/default.yaml")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "results file (HDF5); default: the config's output");
  cmd->add_option("-t,--threads", args->threads, "threads (0 = all cores); default: the config's threads")->check(CLI::NonNegativeNumber);
  cmd->add_option("--top", args->top, "leaderboard rows to print after the run")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "no progress line and no leaderboard; only the summary line on stderr");
  return [args] { return run(*args); };
}

}  // namespace cb::cli
