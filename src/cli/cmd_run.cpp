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
#include "commands.hpp"

namespace cb::cli {
namespace {

struct RunArgs {
  std::string config;
  std::string output;
  int threads = -1;
  std::size_t top = 10;
  bool quiet = false;
};

int run(const RunArgs& args) {
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

  std::size_t reused = 0;
  grid::RunnerHooks hooks;
  hooks.find_finished = [&](const std::string& key) -> const grid::RunRecord* {
    const auto it = finished.find(key);
    return it == finished.end() ? nullptr : &it->second;
  };
  hooks.on_run_finished = [&](const grid::RunRecord& run) { journal.append(run); };
  hooks.progress = !args.quiet;
  hooks.threads_override = args.threads;
  hooks.program_version = program_version();
  hooks.git_commit = git_commit();

  auto result = grid::run_grid(config, hooks);

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
  std::cerr << fmt::format("{} runs ({} computed, {} reused, {} failed) on {} thread(s) -> {}\n", result.runs.size(),
                           planned.size() - reused, reused, failed, result.provenance.threads, config.output);
  if (failed > 0) {
    for (const auto& run : result.runs)
      if (run.status == "failed")
        std::cerr << fmt::format("failed: {} {} k={} in {}: {}\n", run.algorithm, run.key, run.k, run.space, run.message);
    return kRunsFailed;
  }
  return kOk;
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
