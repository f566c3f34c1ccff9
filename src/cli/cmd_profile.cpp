// `clusterbench profile RESULTS`: the stored business profile of one run's
// clusters and its cluster x RFM-segment counts (transactions datasets).
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/profile_report.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "run_choice.hpp"
#include "subcommand.hpp"

namespace cb::cli {
namespace {

struct ProfileArgs {
  std::string results, run_key, by, format = "table";
  std::size_t rank = 1;
};

int show_profile(const ProfileArgs& args) {
  const report::Format format = report::format_named(args.format);
  store::ReadOptions read;
  read.labels = false;
  read.data = false;
  const auto result = store::read_results(args.results, read);
  const auto& run = choose_run(result, args.results, args.run_key, args.rank, args.by);
  if (!run.profile) {
    if (run.status == "failed")
      throw InputError(fmt::format("run {} failed and has no profile: {}", run.key, run.message));
    throw InputError(
        fmt::format("{}: no profile for run {}; profiles are stored for grids on a transactions dataset "
                    "(results schema 2 on; rerunning the grid adds them to an older file without "
                    "recomputing its runs)",
                    args.results, run.key));
  }
  // A heading only where a person reads it; csv and json stay machine-readable.
  if (format == report::Format::table || format == report::Format::markdown)
    std::cout << describe_run(result, run, args.by) << "\n\n";
  std::cout << report::render_profile(run.profile->clusters, &run.profile->by_segment, format, true);
  return kOk;
}

}  // namespace

Runner add_profile_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<ProfileArgs>(
      app, "profile", "Print the customer profile of a run's clusters and their RFM segments");
  add_results_file(*cmd, args->results, "results file (HDF5) of a grid on a transactions dataset");
  auto* run = cmd->add_option("--run", args->run_key, "run key");
  cmd->add_option("--rank", args->rank, "the run at this place on the leaderboard (1 = best)")
      ->capture_default_str()
      ->excludes(run);
  cmd->add_option("--by", args->by,
                  "score that ranks the runs (default: the grid's leaderboard.rank_by; eligible runs first)");
  add_format_option(*cmd, args->format);
  return [args = args] { return show_profile(*args); };
}

}  // namespace cb::cli
