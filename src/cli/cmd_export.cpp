// `clusterbench export RESULTS.h5`: one CSV row per point (id, features, cluster of
// a chosen run) and, for customer data, the business profile of that run's clusters;
// or, with --to FILE.sqlite, the whole store as an SQLite database.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "atomic_file.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/exports/points_csv.hpp"
#include "clusterbench/exports/sqlite_export.hpp"
#include "clusterbench/report/profile_report.hpp"
#include "clusterbench/rfm/profiles.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"
#include "run_choice.hpp"
#include "subcommand.hpp"

namespace cb::cli {
namespace {

struct ExportArgs {
  std::string results, run_key, out, by, to;
};

/// The profile of the run's clusters, or "" when the data is not customer data.
std::string customer_profile(const records::GridResult& result, const records::RunRecord& run) {
  if (run.profile)  // stored by the grid for a transactions dataset
    return report::render_profile(run.profile->clusters, &run.profile->by_segment, report::Format::table, true);
  // Customer features from a CSV: the same profile, computed here, without scores or segments.
  const auto& cols = result.data.columns;
  static const std::vector<std::string> rfm_columns{"recency", "frequency", "monetary"};
  const bool customer_data = std::all_of(rfm_columns.begin(), rfm_columns.end(), [&](const std::string& c) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
  });
  if (!customer_data) return "";
  return report::render_profile(rfm::profile(result.data, run.labels, {}), nullptr, report::Format::table, false);
}

int export_run(const ExportArgs& args) {
  const auto result = store::read_results(args.results);
  const records::RunRecord& run = choose_run(result, args.results, args.run_key, 1, args.by);
  if (run.labels.empty()) throw InputError(fmt::format("run {} has no labels (status {})", run.key, run.status));
  std::cerr << describe_run(result, run, args.by) << "\n";

  if (args.out.empty()) {
    // The CSV is the output: everything meant for a person goes to stderr, so stdout pipes into other tools.
    exports::write_points_csv(std::cout, result.data, run.labels);
    if (!std::cout.flush()) throw IoError("stdout: write failed");  // e.g. redirected to a full disk
    std::cerr << customer_profile(result, run);
    return kOk;
  }
  write_file_atomically(args.out, [&](std::ostream& out) { exports::write_points_csv(out, result.data, run.labels); });
  std::cerr << fmt::format("wrote {} ({} points)\n", args.out, result.data.rows());
  std::cout << customer_profile(result, run);
  return kOk;
}

int export_sqlite(const ExportArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  const auto result = store::read_results(args.results);
  const auto summary = exports::write_sqlite(args.to, result, algorithm_param_defaults());
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
  std::cerr << fmt::format("wrote {}: {} runs, {} scores, {} points, {} assignments, {} profile rows in {:.2f} s\n",
                           args.to, summary.runs, summary.scores, summary.points, summary.assignments, summary.profiles,
                           seconds.count());
  return kOk;
}

/// Accepts a path whose extension names a format --to writes.
CLI::Validator database_path() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        const auto extension = std::filesystem::path(path).extension().string();
        for (const auto* known : {".sqlite", ".sqlite3", ".db"})
          if (extension == known) return {};
        return "'" + path.substr(0, 60) + "' must end in .sqlite, .sqlite3 or .db (an SQLite database)";
      },
      "FILE.sqlite");
}

}  // namespace

Runner add_export_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<ExportArgs>(
      app, "export",
      "Write a run's clusters as CSV (to stdout, or -o FILE) and show their customer profile; "
      "or, with --to FILE.sqlite, every run of the results as an SQLite database");
  add_results_file(*cmd, args->results, "results file (HDF5)");
  auto* run = cmd->add_option("--run", args->run_key, "run key (default: the best run by --by)");
  auto* by = cmd->add_option(
      "--by", args->by, "score that picks the best run (default: the grid's leaderboard.rank_by; eligible runs first)");
  auto* out = cmd->add_option("-o,--out", args->out, "CSV file (id, features, cluster) instead of stdout");
  cmd->add_option("--to", args->to,
                  "SQLite database of every run: tables runs, clusters, scores, points, assignments, profiles, "
                  "profile_segments, metadata")
      ->check(database_path())
      ->excludes(run)
      ->excludes(by)
      ->excludes(out);
  return [args = args] { return args->to.empty() ? export_run(*args) : export_sqlite(*args); };
}

}  // namespace cb::cli
