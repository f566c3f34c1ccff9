// `clusterbench export RESULTS.h5`: one CSV row per point (id, features, cluster of
// a chosen run) and, for customer data, the business profile of that run's clusters.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/profile_report.hpp"
#include "clusterbench/rfm/profiles.hpp"
#include "clusterbench/store/result_store.hpp"
#include "atomic_file.hpp"
#include "commands.hpp"
#include "run_choice.hpp"

namespace cb::cli {
namespace {

struct ExportArgs {
  std::string results, run_key, out, by;
};

int export_run(const ExportArgs& args) {
  const auto result = store::read_results(args.results);
  const records::RunRecord* run = &choose_run(result, args.results, args.run_key, 1, args.by);
  if (run->labels.empty()) throw InputError(fmt::format("run {} has no labels (status {})", run->key, run->status));
  std::cerr << describe_run(result, *run, args.by) << "\n";

  if (!args.out.empty())
    write_file_atomically(args.out, [&](std::ostream& out) {
      out.precision(17);
      out << "id";
      for (const auto& c : result.data.columns) out << ',' << c;
      out << ",cluster\n";
      for (Index i = 0; i < result.data.rows(); ++i) {
        out << result.data.ids[static_cast<std::size_t>(i)];
        for (Index j = 0; j < result.data.cols(); ++j) out << ',' << result.data.values(i, j);
        out << ',' << run->labels[static_cast<std::size_t>(i)] << '\n';
      }
    });
  if (run->profile) {  // stored by the grid for a transactions dataset
    std::cout << report::render_profile(run->profile->clusters, &run->profile->by_segment, report::Format::table, true);
    return kOk;
  }
  // Customer features from a CSV: the same profile, computed here, without scores or segments.
  const auto& cols = result.data.columns;
  static const std::vector<std::string> rfm_columns{"recency", "frequency", "monetary"};
  const bool customer_data = std::all_of(rfm_columns.begin(), rfm_columns.end(), [&](const std::string& c) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
  });
  if (customer_data)
    std::cout << report::render_profile(rfm::profile(result.data, run->labels, {}), nullptr, report::Format::table, false);
  return kOk;
}

}  // namespace

Runner add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Export a run's clusters as CSV and print their customer profile");
  cmd->add_option("results", args->results, "results file (HDF5)")->required();
  cmd->add_option("--run", args->run_key, "run key (default: the best run by --by)");
  cmd->add_option("--by", args->by, "score that picks the best run (default: the grid's leaderboard.rank_by; eligible runs first)");
  cmd->add_option("-o,--out", args->out, "CSV file: id, features, cluster");
  return [args] { return export_run(*args); };
}

}  // namespace cb::cli
