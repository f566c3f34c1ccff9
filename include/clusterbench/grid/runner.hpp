#pragma once
// Expands a config into runs and executes them on the one scheduler: spaces in
// parallel, algorithm families (all k of one algorithm in one space) in
// parallel inside them, kernels parallel inside those.
#include <functional>
#include <optional>
#include <string>

#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/results.hpp"

namespace cb::grid {

/// Status of a run another process fits (see RunnerHooks::owns_family).
inline constexpr const char* kElsewhere = "elsewhere";

struct RunnerHooks {
  /// A finished run already stored: the runner skips it and keeps this record.
  std::function<const RunRecord*(const std::string& key)> find_finished;
  /// Called once per newly finished run, possibly from several threads at once.
  std::function<void(const RunRecord&)> on_run_finished;
  /// Whether this process fits the family (space i, algorithm j of the
  /// config); unset = all. Under MPI each rank owns a share of the families;
  /// the runs of the others come back as placeholders with status kElsewhere.
  std::function<bool(std::size_t space, std::size_t algorithm)> owns_family;
  bool progress = false;                 ///< progress and ETA on stderr
  int threads_override = -1;             ///< >= 0 replaces the config's threads
  std::string program_version;
  std::string git_commit;
};

/// Loads the data set of a config (features CSV, benchmark, transactions) and
/// checks it can be clustered. Throws InputError naming the file.
Dataset load_dataset(const GridConfig& config);

/// The data set and, for a transactions dataset, its customers' RFM segments.
struct LoadedData {
  Dataset data;
  std::optional<CustomerSegments> customers;
};
LoadedData load_grid_data(const GridConfig& config);

/// Runs the whole grid. Bad input throws before any run starts; a run that
/// fails is recorded with status "failed" and its error text.
GridResult run_grid(const GridConfig& config, const RunnerHooks& hooks);

}  // namespace cb::grid
