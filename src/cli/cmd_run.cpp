// `clusterbench run CONFIG`: parses flags, runs the grid session (resume,
// journal, lock and write policy live in grid/session), prints the leaderboard.
#include <iostream>

#include <fmt/format.h>

#include "byte_size.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/session.hpp"
#include "commands.hpp"
#include "mpi_session.hpp"
#include "run_outcome.hpp"
#include "stop_signals.hpp"
#include "subcommand.hpp"
#include "validators.hpp"

namespace cb::cli {
namespace {

struct RunArgs {
  std::string config;
  std::string output;
  int threads = -1;
  std::size_t top = 10;
  bool quiet = false;
  std::string shard;   ///< "i/N", empty = the whole grid
  std::string memory;  ///< memory budget ("8G", "40%"); empty = half of physical memory
};

/// "i/N" with 1 <= i <= N: the part of the grid this process runs.
grid::Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  int index = 0, count = 0;
  try {
    std::size_t used_i = 0, used_n = 0;
    if (slash == std::string::npos) throw std::invalid_argument(text);
    index = std::stoi(text.substr(0, slash), &used_i);
    count = std::stoi(text.substr(slash + 1), &used_n);
    if (used_i != slash || used_n != text.size() - slash - 1) throw std::invalid_argument(text);
  } catch (const std::logic_error&) {
    throw InputError(fmt::format("--shard '{}': expected i/N, e.g. 1/4 (part i of N, 1 <= i <= N)", text));
  }
  if (count < 1 || index < 1 || index > count)
    throw InputError(fmt::format("--shard '{}': expected i/N with 1 <= i <= N", text));
  return {index - 1, count};
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
  if (!args.memory.empty()) options.memory_budget_bytes = parse_byte_size(args.memory, "--memory");
  if (!args.shard.empty()) {
    options.shard = parse_shard(args.shard);
    if (mpi.size() > 1)
      throw InputError("--shard splits a grid over separate processes; under mpirun the ranks split it already");
  }

  bool settled = false;
  try {
    auto config = grid::load_config(args.config);
    const auto outcome = grid::run_session(std::move(config), options);
    settled = true;  // from here every rank ends through the broadcast of rank 0's exit code
    int code = kOk;
    if (mpi.rank() == 0) {
      if (outcome.interrupted) {
        code = report_interrupted(outcome, signals.signal());
      } else {
        code = report_outcome(outcome, OutcomeReport{args.top, args.quiet, mpi.size()});
      }
    }
    return mpi.size() > 1 ? mpi.broadcast(code) : code;
  } catch (const InputError&) {
    if (mpi.size() == 1) throw;
    // Bad input is found by every rank alike before any run: rank 0 reports it, the others exit with the same code.
    // Rank 0 prints before any rank leaves: mpirun ends the job as soon as one rank exits non-zero, and a message
    // printed after that (once this session had finalized MPI) was sometimes lost.
    int code = kBadInput;
    if (mpi.rank() == 0) code = report_error(std::current_exception());
    mpi.barrier();
    return code;
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
  auto [args, cmd] =
      add_subcommand<RunArgs>(app, "run", "Run a grid from a YAML config; resumes: stored runs are not recomputed");
  cmd->add_option("config", args->config, "grid config (YAML), e.g. configs/default.yaml")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "results file (HDF5); default: the config's output");
  add_threads_option(*cmd, args->threads);
  cmd->add_option("--top", args->top, "leaderboard rows to print after the run")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "no progress line and no leaderboard; only the summary line on stderr");
  cmd->add_option("--memory", args->memory,
                  "memory budget, e.g. 8G or 40%: spaces run side by side only while their estimates fit (see plan); "
                  "default: half of physical memory");
  cmd->add_option(
      "--shard", args->shard,
      "run part i of N of the grid (i/N, e.g. 1/4) into its own output; `clusterbench merge` joins the parts");
  return [args = args] { return run(*args); };
}

}  // namespace cb::cli
