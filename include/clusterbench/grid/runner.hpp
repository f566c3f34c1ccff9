#pragma once
// Expands a config into runs and executes them on the one scheduler: spaces in
// parallel, algorithm families (all k of one algorithm in one space) in
// parallel inside them, kernels parallel inside those.
#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/cost_model.hpp"
#include "clusterbench/grid/run_profiles.hpp"

namespace cb::grid {

/// Status of a run another process fits (see RunnerHooks::owns_family).
inline constexpr const char* kElsewhere = "elsewhere";

struct RunnerHooks {
  /// A run already computed: finished (reused as it is) or fitted but not yet
  /// scored (scored with its space's new runs). Failed runs are not offered.
  std::function<const RunRecord*(const std::string& key)> find_stored;
  /// A space's points already computed, by the space's key.
  std::function<const SpaceRecord*(const std::string& key)> find_space;
  /// Called once per newly computed space (to journal it).
  std::function<void(const SpaceRecord&)> on_space_computed;
  /// Called once per newly fitted run, before scoring (to journal it). Thread-safe use required.
  std::function<void(const RunRecord&)> on_run_fitted;
  /// Called once per newly finished (scored or failed) run, possibly from several threads at once.
  std::function<void(const RunRecord&)> on_run_finished;
  /// Whether this process fits the family (space i, algorithm j of the
  /// config); unset = all. Under MPI each rank owns a share of the families;
  /// the runs of the others come back as placeholders with status kElsewhere.
  std::function<bool(std::size_t space, std::size_t algorithm)> owns_family;
  /// When it becomes true, no new work starts and kernels stop at their next
  /// chunk; what finished has been handed to the hooks, the rest is left out
  /// of the result.
  const std::atomic<bool>* stop = nullptr;
  bool progress = false;      ///< progress and ETA on stderr
  int threads_override = -1;  ///< >= 0 replaces the config's threads
  /// Spaces run side by side only while their estimated memory fits (bytes; 0 = half the physical memory).
  double memory_budget_bytes = 0;
  std::string program_version;
  std::string git_commit;
};

/// The data set and, for a transactions dataset, its customers' RFM segments.
/// Checks it can be clustered; throws InputError naming the file.
struct LoadedData {
  Dataset data;
  std::optional<CustomerSegments> customers;
  std::optional<rfm::CleaningReport> cleaning;  ///< transactions dataset: rows and customers each cleaning rule removed
};
LoadedData load_grid_data(const GridConfig& config, const Executor& executor = serial_executor());

/// Runs the whole grid. Bad input throws before any run starts; a run that
/// fails is recorded with status "failed" and its error text. Steps: load and
/// check the data, plan every key, then per space (spaces in parallel):
/// restore or compute the points, fit every family (in parallel, all k of a
/// family at once), score the space's new runs in one pass, profile them.
GridResult run_grid(const GridConfig& config, const RunnerHooks& hooks);

/// What `run_grid` would cost, without running anything: loads and checks the
/// data (bad input throws as run_grid would) and estimates every step.
/// `threads` < 0 means the config's; `memory_budget_bytes` 0 means the default.
GridEstimate estimate_config(const GridConfig& config, int threads, double memory_budget_bytes);

}  // namespace cb::grid
