// `clusterbench rank RESULTS`: the leaderboard of a results file.
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"
#include "subcommand.hpp"
#include "validators.hpp"

namespace cb::cli {
namespace {

struct RankArgs {
  std::string results;
  std::string format = "table";
  std::string by;  ///< empty: the grid's leaderboard.rank_by
  bool ascending = false;
  std::size_t top = 0;
  std::vector<std::string> algorithms, spaces, where;
  std::string columns;  ///< comma-separated; empty: the default layout
  std::vector<int> ks;
  bool all = false;
  std::optional<double> min_cluster_share, max_noise_share, min_silhouette_ref;
};

/// A filter value that names nothing in the results is a mistake, not an empty board.
void check_names(const std::vector<std::string>& asked, const std::vector<records::RunRecord>& runs,
                 std::string records::RunRecord::*field, const std::string& option) {
  std::set<std::string> present;
  for (const auto& run : runs) present.insert(run.*field);
  for (const auto& name : asked)
    if (!present.count(name))
      throw InputError(
          fmt::format("{} '{}': not in these results (present: {})", option, name, fmt::join(present, ", ")));
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (!text.empty() && start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty()) throw InputError(fmt::format("--columns: empty name in '{}'", text));
    out.push_back(item);
    start = end + 1;
  }
  return out;
}

int rank(const RankArgs& args) {
  const report::Format format = report::format_named(args.format);
  store::ReadOptions read;
  read.labels = false;
  read.data = false;
  read.profiles = false;
  const auto result = store::read_results(args.results, read);
  check_names(args.algorithms, result.runs, &records::RunRecord::algorithm, "--algorithm");
  check_names(args.spaces, result.runs, &records::RunRecord::space, "--space");
  report::LeaderboardOptions options;
  options.sort_by = args.by;
  options.ascending = args.ascending;  // lower-is-better scores (davies_bouldin) rank lowest first anyway
  auto policy = result.leaderboard;
  if (args.min_cluster_share) policy.min_cluster_share = *args.min_cluster_share;
  if (args.max_noise_share) policy.max_noise_share = *args.max_noise_share;
  if (args.min_silhouette_ref) policy.min_silhouette_ref = *args.min_silhouette_ref;
  options.policy = policy;
  options.top = args.top;
  options.algorithms = args.algorithms;
  options.spaces = args.spaces;
  options.ks = args.ks;
  options.include_unscored = args.all;
  const auto numeric = report::numeric_columns(result.runs);
  for (const auto& clause : args.where) options.where.push_back(report::parse_where(clause, numeric));
  const auto columns = split_list(args.columns);
  report::check_columns(columns, result);
  const auto rows = report::leaderboard(result, options);
  std::cout << report::render_leaderboard(rows, format, report::default_score_columns(result, args.by),
                                          algorithm_param_defaults(), columns);
  return kOk;
}

}  // namespace

Runner add_rank_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<RankArgs>(app, "rank", "Print the leaderboard of a results file, best first");
  add_results_file(*cmd, args->results);
  cmd->add_option("--top", args->top, "show at most N rows (0 = all)")->check(at_least(0));
  add_format_option(*cmd, args->format);
  cmd->add_option(
      "--by", args->by,
      "score to rank by: silhouette_ref, silhouette, calinski_harabasz, davies_bouldin, ari, min_cluster_share, "
      "...; default: the grid's leaderboard.rank_by (silhouette_ref)");
  cmd->add_flag("--ascending", args->ascending, "lowest first (implied for davies_bouldin)");
  cmd->add_option("--algorithm", args->algorithms, "keep only this algorithm (repeatable)");
  cmd->add_option("--space", args->spaces, "keep only this space (repeatable)");
  cmd->add_option("--k", args->ks, "keep only this k (repeatable)");
  cmd->add_option(
      "--columns", args->columns,
      "comma-separated columns in order, e.g. rank,space,algorithm,k,silhouette_ref,min_cluster_share,params "
      "(any score or value, k, k_found, fit_seconds, params, sizes, status, eligible, key)");
  cmd->add_option("--where", args->where,
                  "keep runs whose numeric column passes, e.g. 'min_cluster_share>=0.02' (repeatable; < <= > >= == !=; "
                  "a run without the column does not pass)");
  cmd->add_flag("--all", args->all, "also list runs without a score (failed, fewer than 2 clusters)");
  cmd->add_option(
         "--min-cluster-share", args->min_cluster_share,
         "runs whose smallest cluster holds less of the points are listed after the eligible ones (tiny_cluster); "
         "default: the grid's leaderboard.min_cluster_share (0.01)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-noise-share", args->max_noise_share,
                  "runs with more noise are ineligible (mostly_noise); default: leaderboard.max_noise_share (0.05)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--min-silhouette-ref", args->min_silhouette_ref,
                  "runs scoring less in the reference space are ineligible (worse_than_random_in_features); default: 0")
      ->check(CLI::Range(-1.0, 1.0));
  return [args = args] { return rank(*args); };
}

}  // namespace cb::cli
