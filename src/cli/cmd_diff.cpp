// `clusterbench diff A.h5 B.h5`: what changed between two results files.
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/diff.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"

namespace cb::cli {
namespace {

struct DiffArgs {
  std::string before, after, format = "table", score = "silhouette";
  double tolerance = 0;
  bool changed_only = false;
};

int diff(const DiffArgs& args) {
  report::Format format;
  if (!report::parse_format(args.format, format))
    throw InputError(fmt::format("--format: '{}' is not one of table, csv, json, markdown", args.format));
  store::ReadOptions read;
  read.data = false;
  read.profiles = false;
  const auto a = store::read_results(args.before, read);
  const auto b = store::read_results(args.after, read);
  report::DiffOptions options;
  options.score = args.score;
  options.tolerance = args.tolerance;
  options.changed_only = args.changed_only;
  if (a.provenance.data_digest != b.provenance.data_digest)
    std::cerr << "note: the two files were computed on different data (data_digest differs)\n";
  std::cout << report::render_diff(report::diff_results(a, b, options), format, options);
  return kOk;
}

}  // namespace

Runner add_diff_command(CLI::App& app) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand("diff", "Compare two results files run by run (matched by space, algorithm, params, k)");
  cmd->add_option("a", args->before, "first results file")->required();
  cmd->add_option("b", args->after, "second results file")->required();
  cmd->add_option("--score", args->score, "score to compare and rank by")->capture_default_str();
  cmd->add_option("--tolerance", args->tolerance, "|delta| at or below this is unchanged")->capture_default_str();
  cmd->add_flag("--changed", args->changed_only, "show only runs whose score, rank or presence changed");
  cmd->add_option("--format", args->format, "table, csv, json or markdown")->capture_default_str();
  return [args] { return diff(*args); };
}

}  // namespace cb::cli
