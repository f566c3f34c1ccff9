// `clusterbench select RESULTS.h5`: the k each criterion chooses, per space and algorithm.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/k_selection.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"
#include "subcommand.hpp"

namespace cb::cli {
namespace {

struct SelectArgs {
  std::string results, format = "table";
  std::optional<int> gap_references;  ///< the flag; else the config's selection.gap_references, else 20
  int threads = 0;
};

int select(const SelectArgs& args) {
  const report::Format format = report::format_named(args.format);
  if (args.gap_references == 1)
    throw InputError("--gap-references: the 1-SE rule needs at least 2 reference sets (or 0 for none)");
  store::ReadOptions read;
  read.profiles = false;
  const auto result = store::read_results(args.results, read);
  report::SelectOptions options;
  options.gap_references = args.gap_references.value_or(result.gap_references.value_or(20));
  options.defaults = algorithm_param_defaults();
  const auto executor = make_parallel_executor(args.threads);
  std::cout << report::render_selection(report::select_k(result, options, *executor), format, options);
  return kOk;
}

}  // namespace

Runner add_select_command(CLI::App& app) {
  auto [args, cmd] =
      add_subcommand<SelectArgs>(app, "select", "Choose k per space and algorithm by several criteria, side by side");
  add_results_file(*cmd, args->results);
  add_format_option(*cmd, args->format);
  cmd->add_option("--gap-references", args->gap_references,
                  "B, uniform reference sets of the gap statistic (K-Means runs; 0 = skip the gap; default: the "
                  "config's selection.gap_references, else 20)")
      ->check(CLI::Range(0, 10000));
  add_threads_option(*cmd, args->threads, "threads for the gap's reference fits (0 = all cores)")
      ->capture_default_str();
  return [args = args] { return select(*args); };
}

}  // namespace cb::cli
