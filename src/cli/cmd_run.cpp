// `clusterbench run CONFIG`: runs a grid, resumes from what is stored, writes the results file.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "clusterbench/grid/run_profiles.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/store/result_store.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/store/record_codec.hpp"
#include "commands.hpp"
#include "mpi_session.hpp"

namespace cb::cli {
namespace {

struct RunArgs {
  std::string config;
  std::string output;
  int threads = -1;
  std::size_t top = 10;
  bool quiet = false;
};

/// Under MPI, which rank fits a family: whole spaces per rank when there are
/// at least as many spaces as ranks (each embedding is computed once), else
/// families round-robin. Results do not depend on it (seeds come from each
/// run's identity).
int owner_rank(std::size_t space, std::size_t algorithm, std::size_t spaces, std::size_t algorithms, int ranks) {
  const auto r = static_cast<std::size_t>(ranks);
  return static_cast<int>(spaces >= r ? space % r : (space * algorithms + algorithm) % r);
}

/// Rank 0 takes the runs and spaces the other ranks computed.
void merge_from_ranks(grid::GridResult& result, const std::vector<std::vector<std::uint8_t>>& messages) {
  std::unordered_map<std::string, grid::RunRecord> runs;
  std::vector<grid::SpaceRecord> spaces;
  for (std::size_t r = 1; r < messages.size(); ++r) {
    std::vector<grid::RunRecord> rank_runs;
    store::decode_records(messages[r], rank_runs, spaces);
    for (auto& run : rank_runs) runs[run.key] = std::move(run);
  }
  for (auto& run : result.runs) {
    if (run.status != grid::kElsewhere) continue;
    const auto it = runs.find(run.key);
    if (it == runs.end()) {
      run.status = "failed";
      run.message = "the rank that owned this run did not return it";
      continue;
    }
    run = std::move(it->second);
    if (result.customers && !run.labels.empty()) run.profile = grid::profile_run(*result.customers, run.labels);
  }
  for (auto& space : result.spaces) {
    if (space.points.rows() > 0) continue;
    for (auto& received : spaces)
      if (received.label == space.label && received.points.rows() > 0) space = std::move(received);
  }
}

/// Writes the results file and prints the leaderboard (rank 0). Returns the exit code.
int write_and_report(const RunArgs& args, grid::GridConfig& config, grid::GridResult& result, grid::GridResult& previous,
                     bool had_file, const std::unordered_map<std::string, grid::RunRecord>& finished,
                     store::RunJournal& journal, int ranks) {
  std::size_t reused = 0;
  std::set<std::string> planned;
  for (const auto& run : result.runs) {
    planned.insert(run.key);
    if (finished.count(run.key)) ++reused;
  }
  if (had_file && previous.provenance.data_digest == result.provenance.data_digest) {
    // Runs of the same data from an earlier config stay in the file: nothing computed is lost.
    // They are profiled again so that every profile uses this config's segment table.
    for (auto& run : previous.runs)
      if (!planned.count(run.key)) {
        if (result.customers && !run.labels.empty()) run.profile = grid::profile_run(*result.customers, run.labels);
        result.runs.push_back(std::move(run));
      }
  } else if (had_file) {
    const std::string kept = config.output + ".previous.h5";
    std::filesystem::rename(config.output, kept);
    std::cerr << fmt::format("note: {} held results for different data; moved to {}\n", config.output, kept);
  }
  store::write_results(config.output, result);
  journal.clear();

  std::size_t failed = 0;
  for (const auto& run : result.runs) failed += run.status == "failed";
  report::LeaderboardOptions board;
  board.top = args.top;
  const auto rows = report::leaderboard(result, board);
  std::cout << report::render_leaderboard(rows, report::Format::table, report::default_score_columns(result, board.sort_by));
  std::cerr << fmt::format("{} runs ({} computed, {} reused, {} failed) on {} thread(s){} -> {}\n", result.runs.size(),
                           planned.size() - reused, reused, failed, result.provenance.threads,
                           ranks > 1 ? fmt::format(" x {} MPI ranks", ranks) : "", config.output);
  if (failed > 0) {
    for (const auto& run : result.runs)
      if (run.status == "failed")
        std::cerr << fmt::format("failed: {} {} k={} in {}: {}\n", run.algorithm, run.key, run.k, run.space, run.message);
    return kRunsFailed;
  }
  return kOk;
}

int run_on_rank(const RunArgs& args, const MpiSession& mpi, bool& settled) {
  auto config = grid::load_config(args.config);
  if (!args.output.empty()) config.output = args.output;
  store::ensure_writable(config.output);

  // What is already computed: the results file, then the journal of an interrupted run.
  std::unordered_map<std::string, grid::RunRecord> finished;
  grid::GridResult previous;
  const bool had_file = std::filesystem::exists(config.output);
  if (had_file) {
    store::ReadOptions read;
    read.profiles = false;  // every run is profiled again from its labels
    previous = store::read_results(config.output, read);
    for (auto& run : previous.runs)
      if (run.status != "failed") finished[run.key] = run;
  }
  store::RunJournal journal(config.output);
  for (auto& run : journal.load())
    if (run.status != "failed") finished[run.key] = std::move(run);
  // No rank may see in the journal what another rank of this grid has just added.
  mpi.barrier();

  grid::RunnerHooks hooks;
  hooks.find_finished = [&](const std::string& key) -> const grid::RunRecord* {
    const auto it = finished.find(key);
    return it == finished.end() ? nullptr : &it->second;
  };
  // Every rank journals what it finishes: a killed rank loses nothing that finished.
  hooks.on_run_finished = [&](const grid::RunRecord& run) { journal.append(run); };
  if (mpi.size() > 1) {
    const std::size_t spaces = config.spaces.size(), algorithms = config.algorithms.size();
    hooks.owns_family = [&mpi, spaces, algorithms](std::size_t s, std::size_t a) {
      return owner_rank(s, a, spaces, algorithms, mpi.size()) == mpi.rank();
    };
  }
  hooks.progress = !args.quiet && mpi.rank() == 0;
  hooks.threads_override = args.threads;
  hooks.program_version = program_version();
  hooks.git_commit = git_commit();

  auto result = grid::run_grid(config, hooks);

  if (mpi.size() > 1) {
    // Each rank sends what it computed (runs not stored before, spaces it embedded) to rank 0, the one writer.
    std::vector<grid::RunRecord> computed;
    for (const auto& run : result.runs)
      if (run.status != grid::kElsewhere && !finished.count(run.key)) computed.push_back(run);
    std::vector<grid::SpaceRecord> embedded;
    for (const auto& space : result.spaces)
      if (space.points.rows() > 0) embedded.push_back(space);
    const auto messages = mpi.gather(store::encode_records(computed, embedded));
    settled = true;  // from here every rank ends through the broadcast of rank 0's exit code
    if (mpi.rank() != 0) return mpi.broadcast(kOk);
    int code = kIoError;
    try {
      merge_from_ranks(result, messages);
      code = write_and_report(args, config, result, previous, had_file, finished, journal, mpi.size());
    } catch (const InputError&) {
      mpi.broadcast(kBadInput);
      throw;
    } catch (...) {
      mpi.broadcast(kIoError);
      throw;
    }
    return mpi.broadcast(code);
  }
  return write_and_report(args, config, result, previous, had_file, finished, journal, 1);
}

int run(const RunArgs& args) {
  const MpiSession mpi;
  bool settled = false;
  try {
    return run_on_rank(args, mpi, settled);
  } catch (const InputError&) {
    // Bad input is found by every rank alike before any run: rank 0 reports it, the others exit with the same code.
    if (mpi.rank() != 0) return kBadInput;
    throw;
  } catch (const std::exception& e) {
    if (mpi.size() > 1 && !settled) {
      // One rank failing alone would leave the others waiting for it: end them all.
      std::cerr << fmt::format("error (MPI rank {} of {}): {}\n", mpi.rank(), mpi.size(), e.what());
      mpi.abort(kIoError);
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
  cmd->add_flag("-q,--quiet", args->quiet, "no progress line on stderr");
  return [args] { return run(*args); };
}

}  // namespace cb::cli
