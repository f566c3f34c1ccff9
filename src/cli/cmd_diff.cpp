// `clusterbench diff A.h5 B.h5`: what changed between two results files, and
// with --fail-on, whether a CI job should fail.
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/diff.hpp"
#include "clusterbench/report/fail_on.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"
#include "subcommand.hpp"

namespace cb::cli {
namespace {

struct DiffArgs {
  std::string before, after, format = "table", score = "silhouette", fail_on;
  double tolerance = 0;
  bool changed_only = false;
};

int diff(const DiffArgs& args) {
  const report::Format format = report::format_named(args.format);
  // Parsed before the files are read: a typo in the CI line fails at once.
  const auto conditions =
      args.fail_on.empty() ? std::vector<report::FailCondition>{} : report::parse_fail_on(args.fail_on);
  store::ReadOptions read;
  read.data = false;
  read.profiles = false;
  const auto a = store::read_results(args.before, read);
  const auto b = store::read_results(args.after, read);
  report::DiffOptions options;
  options.score = args.score;
  options.tolerance = args.tolerance;
  options.changed_only = args.changed_only && conditions.empty();
  options.show_violations = !conditions.empty();
  options.defaults = algorithm_param_defaults();
  if (a.provenance.data_digest != b.provenance.data_digest)
    std::cerr << "note: the two files were computed on different data (data_digest differs)\n";
  auto rows = report::diff_results(a, b, options);
  if (conditions.empty()) {
    std::cout << report::render_diff(rows, format, options);
    return kOk;
  }
  rows = report::offending_rows(std::move(rows), conditions);
  std::cout << report::render_diff(rows, format, options);
  return rows.empty() ? kOk : kRegression;
}

}  // namespace

Runner add_diff_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<DiffArgs>(
      app, "diff", "Compare two results files run by run (matched by run key, then by space, algorithm, params and k)");
  cmd->add_option("a", args->before, "first results file (the baseline)")->required();
  cmd->add_option("b", args->after, "second results file")->required();
  cmd->add_option("--score", args->score, "score to compare and rank by")->capture_default_str();
  cmd->add_option("--tolerance", args->tolerance, "|delta| at or below this is unchanged")->capture_default_str();
  cmd->add_flag("--changed", args->changed_only,
                "show only runs whose score, rank, partition or presence changed (implied by --fail-on)");
  cmd->add_option("--fail-on", args->fail_on,
                  "comma-separated conditions, e.g. 'silhouette<-0.01,time>1.25,agreement<1,missing': a metric name "
                  "compares B - A, time the fit-time ratio B / A, agreement the ARI between the two runs' labels, "
                  "missing a run of A absent from B; prints only the runs that violate one and exits 6 if any does");
  add_format_option(*cmd, args->format);
  return [args = args] { return diff(*args); };
}

}  // namespace cb::cli
