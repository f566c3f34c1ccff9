// clusterbench: command-line entry point. Parsing and printing only; the work
// happens in the grid, store and report layers.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <exception>
#include <iostream>
#include <map>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/core/suggest.hpp"
#include "clusterbench_git_commit.hpp"  // generated at build time: CB_GIT_COMMIT
#include "commands.hpp"
#include "out_of_memory.hpp"

namespace cb::cli {
const char* program_version() { return CB_VERSION; }
const char* git_commit() { return CB_GIT_COMMIT; }

int report_error(const std::exception_ptr& error) {
  std::string message;
  int code = kIoError;  // the environment failed: IoError, and anything unexpected
  try {
    std::rethrow_exception(error);
  } catch (const cb::OutputBusy& e) {
    message = e.what();
    code = kOutputBusy;
  } catch (const cb::InputError& e) {
    message = e.what();
    code = kBadInput;
  } catch (const std::bad_alloc&) {
    message = out_of_memory_message();
  } catch (const std::exception& e) {
    message = e.what();
  }
  std::cerr << "error: " << message << std::endl;
  return code;
}

}  // namespace cb::cli

int main(int argc, char** argv) {
  using namespace cb::cli;
  // Past `ulimit -f` a write fails with EFBIG (reported with its reason) instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"clusterbench: a fast, reproducible clustering grid (K-Means, GMM, hierarchical, DBSCAN × k × spaces)"};
  app.set_version_flag("--version", std::string(program_version()) + " (" + git_commit() + ")");
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log progress details to stderr");

  std::map<CLI::App*, Runner> runners;
  auto add = [&](Runner (*factory)(CLI::App&)) {
    const auto before = app.get_subcommands({}).size();
    Runner runner = factory(app);
    runners[app.get_subcommands({})[before]] = std::move(runner);
  };
  add(add_run_command);
  add(add_plan_command);
  add(add_merge_command);
  add(add_rank_command);
  add(add_diff_command);
  add(add_select_command);
  add(add_rfm_command);
  add(add_export_command);
  add(add_profile_command);
  add(add_report_command);
  add(add_algorithms_command);

  // CLI11 answers an unknown word with "A subcommand is required": name the word and the commands.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << fmt::format("error: unknown command '{}'{} (commands: {}; see clusterbench --help)\n",
                               cb::excerpt(argv[1]), cb::did_you_mean(argv[1], names), fmt::join(names, ", "));
      return kUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_pattern("%^[%l]%$ %v");

  try {
    for (auto* sub : app.get_subcommands()) return runners.at(sub)();
  } catch (...) {
    return report_error(std::current_exception());
  }
  return kUsage;
}
