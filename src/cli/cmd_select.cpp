// `clusterbench select RESULTS.h5`: the k each criterion chooses, per space and algorithm.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/k_selection.hpp"
#include "clusterbench/store/result_store.hpp"
#include "commands.hpp"
#include "param_defaults.hpp"

namespace cb::cli {
namespace {

struct SelectArgs {
  std::string results, format = "table";
  std::optional<int> gap_references;  ///< the flag; else the config's selection.gap_references, else 20
  int threads = 0;
};

int select(const SelectArgs& args) {
  report::Format format;
  if (!report::parse_format(args.format, format))
    throw InputError(fmt::format("--format: '{}' is not one of table, csv, json, markdown", args.format));
  if (args.gap_references == 1) throw InputError("--gap-references: the 1-SE rule needs at least 2 reference sets (or 0 for none)");
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
  auto args = std::make_shared<SelectArgs>();
  auto* cmd = app.add_subcommand("select", "Choose k per space and algorithm by several criteria, side by side");
  cmd->add_option("results", args->results, "results file (HDF5) written by `run`")->required();
  cmd->add_option("--format", args->format, "table, csv, json or markdown")->capture_default_str();
  cmd->add_option("--gap-references", args->gap_references,
                  "B, uniform reference sets of the gap statistic (K-Means runs; 0 = skip the gap; default: the "
                  "config's selection.gap_references, else 20)")
      ->check(CLI::Range(0, 10000));
  cmd->add_option("-t,--threads", args->threads, "threads for the gap's reference fits (0 = all cores)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  return [args] { return select(*args); };
}

}  // namespace cb::cli
