// `clusterbench merge OUT.h5 PART.h5...`: joins the parts of a sharded grid
// (`run --shard i/N`) into the one store a single `run` would have written.
// The config comes from the parts; the data is read again (for the reference
// space and profiles) and must be the data the parts were made from.
#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/session.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "run_outcome.hpp"
#include "stop_signals.hpp"
#include "subcommand.hpp"
#include "validators.hpp"

namespace cb::cli {
namespace {

struct MergeArgs {
  std::string output;
  std::vector<std::string> parts;
  int threads = -1;
  std::size_t top = 10;
  bool quiet = false;
};

int merge(const MergeArgs& args) {
  store::ReadOptions header;
  header.labels = false;
  header.data = false;
  header.profiles = false;
  const auto first = store::read_results(args.parts.front(), header).provenance;
  if (first.config_text.empty())
    throw InputError(fmt::format("{}: holds no config text to merge by", args.parts.front()));
  auto config = grid::parse_config(first.config_text, first.config_path);

  const StopSignals signals;
  grid::SessionOptions options;
  options.output = args.output;
  options.threads = args.threads;
  options.progress = false;
  options.stop = signals.flag();
  options.program_version = program_version();
  options.git_commit = git_commit();
  options.merge_parts = args.parts;
  const auto outcome = grid::run_session(std::move(config), options);
  if (outcome.interrupted) return report_interrupted(outcome, signals.signal());
  return report_outcome(outcome, OutcomeReport{args.top, args.quiet, 1});
}

}  // namespace

Runner add_merge_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<MergeArgs>(
      app, "merge",
      "Join the parts of a sharded grid (run --shard i/N) into one results file, equal to a single run's");
  cmd->add_option("output", args->output, "results file to write (HDF5); runs it holds already are kept")->required();
  cmd->add_option("parts", args->parts, "the parts' results files (all N of them)")
      ->required()
      ->check(CLI::ExistingFile);
  add_threads_option(*cmd, args->threads);
  cmd->add_option("--top", args->top, "leaderboard rows to print")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "no leaderboard; only the summary line on stderr");
  return [args = args] { return merge(*args); };
}

}  // namespace cb::cli
