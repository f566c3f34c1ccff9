// `clusterbench export RESULTS.h5`: one CSV row per point (id, features, cluster of
// a chosen run) and, for customer data, the business profile of that run's clusters.
#include <algorithm>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/rfm/profiles.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "profile_table.hpp"

namespace cb::cli {
namespace {

struct ExportArgs {
  std::string results, run_key, out, by = "silhouette";
};

int export_run(const ExportArgs& args) {
  const auto result = store::read_results(args.results);
  const grid::RunRecord* run = nullptr;
  if (!args.run_key.empty()) {
    for (const auto& r : result.runs)
      if (r.key == args.run_key) run = &r;
    if (!run) throw InputError(fmt::format("--run: no run with key '{}' in {}", args.run_key, args.results));
  } else {
    report::LeaderboardOptions options;
    options.sort_by = args.by;
    options.ascending = args.by == "davies_bouldin";
    options.top = 1;
    const auto best = report::leaderboard(result, options);
    if (best.empty()) throw InputError(fmt::format("{}: no scored run to export", args.results));
    run = best.front().run;
  }
  if (run->labels.empty()) throw InputError(fmt::format("run {} has no labels (status {})", run->key, run->status));
  std::cerr << fmt::format("run {}: {} k={} in {} (silhouette {:.4f})\n", run->key, run->algorithm, run->k, run->space,
                           run->scores.count("silhouette") ? run->scores.at("silhouette") : 0.0);

  if (!args.out.empty()) {
    std::ofstream out(args.out);
    if (!out) throw IoError(fmt::format("{}: cannot write", args.out));
    out.precision(17);
    out << "id";
    for (const auto& c : result.data.columns) out << ',' << c;
    out << ",cluster\n";
    for (Index i = 0; i < result.data.rows(); ++i) {
      out << result.data.ids[static_cast<std::size_t>(i)];
      for (Index j = 0; j < result.data.cols(); ++j) out << ',' << result.data.values(i, j);
      out << ',' << run->labels[static_cast<std::size_t>(i)] << '\n';
    }
  }
  const auto& cols = result.data.columns;
  static const std::vector<std::string> rfm_columns{"recency", "frequency", "monetary"};
  const bool customer_data = std::all_of(rfm_columns.begin(), rfm_columns.end(), [&](const std::string& c) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
  });
  if (customer_data) {
    std::vector<std::string> names;
    for (int c = 0; c < run->k_found; ++c) names.push_back(fmt::format("cluster {}", c));
    print_profile(rfm::profile(result.data, run->labels, names), false);
  }
  return kOk;
}

}  // namespace

Runner add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Export a run's clusters as CSV and print their customer profile");
  cmd->add_option("results", args->results, "results file (HDF5)")->required();
  cmd->add_option("--run", args->run_key, "run key (default: the best run by --by)");
  cmd->add_option("--by", args->by, "score that picks the best run")->capture_default_str();
  cmd->add_option("-o,--out", args->out, "CSV file: id, features, cluster");
  return [args] { return export_run(*args); };
}

}  // namespace cb::cli
