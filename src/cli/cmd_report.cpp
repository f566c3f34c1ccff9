// `clusterbench report RESULTS.h5`: a self-contained HTML report with plots.
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "atomic_file.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/report/html_report.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"
#include "subcommand.hpp"
#include "validators.hpp"

namespace cb::cli {
namespace {

struct ReportArgs {
  std::string results, out;
  report::HtmlReportOptions options;
  std::optional<int> gap_references;  ///< the flag; else the config's selection.gap_references, else 0 (no gap)
  int threads = 0;
};

int write_report(const ReportArgs& args) {
  if (args.gap_references == 1)
    throw InputError("--gap-references: the 1-SE rule needs at least 2 reference sets (or 0 for none)");
  const auto result = store::read_results(args.results);
  const std::string out =
      args.out.empty() ? std::filesystem::path(args.results).replace_extension(".html").string() : args.out;
  auto options = args.options;
  options.gap_references = args.gap_references.value_or(result.gap_references.value_or(0));
  options.param_defaults = algorithm_param_defaults();
  const auto executor = make_parallel_executor(args.threads);
  const std::string html = report::render_html_report(result, options, *executor);
  write_file_atomically(out, [&](std::ostream& stream) { stream << html; });
  std::cout << out << "\n";
  return kOk;
}

}  // namespace

Runner add_report_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<ReportArgs>(
      app, "report", "Write a self-contained HTML report (leaderboards, plots) of a results file");
  add_results_file(*cmd, args->results);
  cmd->add_option("-o,--out", args->out, "HTML file (default: the results path with .html)");
  cmd->add_option("--top", args->options.top, "rows in each leaderboard")->capture_default_str()->check(at_least(1));
  cmd->add_option("--max-points", args->options.max_scatter_points, "points drawn per scatter plot")
      ->capture_default_str()
      ->check(at_least(1));
  cmd->add_option("--gap-references", args->gap_references,
                  "B of the gap statistic in the k-selection table (K-Means runs; 0 = leave the gap out; default: the "
                  "config's selection.gap_references, else 0)")
      ->check(CLI::Range(0, 10000));
  add_threads_option(*cmd, args->threads, "threads for the gap's reference fits (0 = all cores)")
      ->capture_default_str();
  return [args = args] { return write_report(*args); };
}

}  // namespace cb::cli
