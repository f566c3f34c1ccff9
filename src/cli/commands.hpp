#pragma once
// The CLI's subcommands: each registers its options on the app and runs when chosen.
#include <CLI/CLI.hpp>

#include <exception>
#include <functional>

namespace cb::cli {

/// Exit codes shared by all subcommands.
enum ExitCode : int {
  kOk = 0,
  kBadInput = 1,       ///< bad data, config or option (message names file, line or field)
  kUsage = 2,          ///< command-line usage error (CLI11)
  kRunsFailed = 3,     ///< the grid finished but some runs failed (recorded in the results)
  kIoError = 4,        ///< the environment failed (unwritable output, disk)
  kOutputBusy = 5,     ///< another process is writing the same results file
  kRegression = 6,     ///< `diff --fail-on`: at least one run violates a condition (only those are printed)
  kInterrupted = 128,  ///< plus the signal number: 130 after SIGINT, 143 after SIGTERM
};

/// Registers a subcommand; the returned function runs it and gives its exit code.
using Runner = std::function<int()>;
Runner add_run_command(CLI::App& app);
Runner add_rank_command(CLI::App& app);
Runner add_algorithms_command(CLI::App& app);
Runner add_diff_command(CLI::App& app);
Runner add_rfm_command(CLI::App& app);
Runner add_export_command(CLI::App& app);
Runner add_profile_command(CLI::App& app);
Runner add_report_command(CLI::App& app);
Runner add_merge_command(CLI::App& app);
Runner add_plan_command(CLI::App& app);
Runner add_select_command(CLI::App& app);

/// Prints the one-line message of an exception that ended a command (to stderr, flushed) and gives its exit code.
int report_error(const std::exception_ptr& error);

/// The program version and the git commit it was built from.
const char* program_version();
const char* git_commit();

}  // namespace cb::cli
