// `clusterbench rank RESULTS`: the leaderboard of a results file.
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"

namespace cb::cli {
namespace {

struct RankArgs {
  std::string results;
  std::string format = "table";
  std::string by = "silhouette";
  bool ascending = false;
  std::size_t top = 0;
  std::vector<std::string> algorithms, spaces;
  std::vector<int> ks;
  bool all = false;
};

int rank(const RankArgs& args) {
  report::Format format;
  if (!report::parse_format(args.format, format))
    throw InputError(fmt::format("--format: '{}' is not one of table, csv, json, markdown", args.format));
  store::ReadOptions read;
  read.labels = false;
  read.data = false;
  read.profiles = false;
  const auto result = store::read_results(args.results, read);
  report::LeaderboardOptions options;
  options.sort_by = args.by;
  // Davies–Bouldin is better when lower; everything else ranks high first.
  options.ascending = args.ascending || args.by == "davies_bouldin";
  options.top = args.top;
  options.algorithms = args.algorithms;
  options.spaces = args.spaces;
  options.ks = args.ks;
  options.include_unscored = args.all;
  const auto rows = report::leaderboard(result, options);
  std::cout << report::render_leaderboard(rows, format, report::default_score_columns(result, args.by));
  return kOk;
}

}  // namespace

Runner add_rank_command(CLI::App& app) {
  auto args = std::make_shared<RankArgs>();
  auto* cmd = app.add_subcommand("rank", "Print the leaderboard of a results file, best first");
  cmd->add_option("results", args->results, "results file (HDF5) written by `run`")->required();
  cmd->add_option("--top", args->top, "show at most N rows (0 = all)");
  cmd->add_option("--format", args->format, "table, csv, json or markdown")->capture_default_str();
  cmd->add_option("--by", args->by, "score to rank by: silhouette, silhouette_ref, calinski_harabasz, davies_bouldin, ari, ...")
      ->capture_default_str();
  cmd->add_flag("--ascending", args->ascending, "lowest first (implied for davies_bouldin)");
  cmd->add_option("--algorithm", args->algorithms, "keep only this algorithm (repeatable)");
  cmd->add_option("--space", args->spaces, "keep only this space (repeatable)");
  cmd->add_option("--k", args->ks, "keep only this k (repeatable)");
  cmd->add_flag("--all", args->all, "also list runs without a score (failed, fewer than 2 clusters)");
  return [args] { return rank(*args); };
}

}  // namespace cb::cli
