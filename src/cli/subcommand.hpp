#pragma once
// What every subcommand's registration starts with: its arguments object
// (shared with the runner CLI11 calls later), its CLI11 app, and the options
// several commands take in the same words.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "validators.hpp"

namespace cb::cli {

template <class Args>
struct Subcommand {
  std::shared_ptr<Args> args = std::make_shared<Args>();
  CLI::App* cmd = nullptr;
};

/// Registers `name` on `app` with a fresh `Args` for its options to fill.
template <class Args>
Subcommand<Args> add_subcommand(CLI::App& app, const std::string& name, const std::string& description) {
  Subcommand<Args> sub;
  sub.cmd = app.add_subcommand(name, description);
  return sub;
}

/// A required positional file argument (results file, log, config ...).
inline CLI::Option* add_input_file(CLI::App& cmd, const std::string& name, std::string& path, const std::string& help) {
  return cmd.add_option(name, path, help)->required();
}

/// The positional results file of the commands that read one.
inline CLI::Option* add_results_file(CLI::App& cmd, std::string& path,
                                     const std::string& help = "results file (HDF5) written by `run`") {
  return add_input_file(cmd, "results", path, help);
}

/// `--format` for commands that print tables.
inline CLI::Option* add_format_option(CLI::App& cmd, std::string& format,
                                      const std::string& help = "table, csv, json or markdown") {
  return cmd.add_option("--format", format, help)->capture_default_str();
}

/// `-t,--threads`: 0 = all cores.
inline CLI::Option* add_threads_option(
    CLI::App& cmd, int& threads, const std::string& help = "threads (0 = all cores); default: the config's threads") {
  return cmd.add_option("-t,--threads", threads, help)->check(at_least(0));
}

}  // namespace cb::cli
