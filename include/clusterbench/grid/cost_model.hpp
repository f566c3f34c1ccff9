#pragma once
// What a grid will cost before it runs: per step (embedding, family fit,
// scoring pass) estimated CPU time and working memory, which steps a budget
// turns into stated approximations, and the schedule the runner follows:
// spaces largest first, run side by side only while their memory fits the
// budget. Read by `clusterbench plan` and by the runner, so what plan prints
// is what run does. Estimates are models (docs/plan.md says how close they are).
#include <cstddef>
#include <string>
#include <vector>

#include "clusterbench/core/matrix.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

struct PlannedStep {
  std::size_t space = 0;  ///< index into config.spaces
  std::string kind;       ///< "embed", "fit" or "score"
  std::string name;       ///< space name, algorithm name, or "silhouette, CH, DB"
  std::string detail;     ///< e.g. "k 2..11 (10 runs)", "40 labelings, own + reference space"
  StepCost cost;
};

struct GridEstimate {
  Index points = 0;
  Index features = 0;
  int threads = 1;
  double memory_budget_bytes = 0;
  std::size_t runs = 0;
  std::vector<PlannedStep> steps;               ///< spaces in config order; per space: embed, fits, score
  std::vector<double> space_cpu_seconds;        ///< per space: all its steps
  std::vector<double> space_peak_bytes;         ///< per space: its largest moment (families in parallel)
  std::vector<std::vector<std::size_t>> waves;  ///< spaces run side by side, largest first; waves run in turn
  double base_bytes = 0;                        ///< process, data, reference space, every run's labels
  double cpu_seconds = 0;
  double wall_seconds = 0;                  ///< on `threads` cores of the reference machine
  double peak_bytes = 0;                    ///< largest estimated resident memory
  std::vector<std::string> approximations;  ///< one line per approximated step kind
};

/// Estimates a grid on n points of d features with `threads` threads under a memory budget (bytes).
GridEstimate estimate_grid(const GridConfig& config, Index points, Index features, int threads,
                           double memory_budget_bytes);

/// The machine's physical memory in bytes (4 GiB when it cannot be read).
double physical_memory_bytes();

/// The default memory budget: half of the machine's physical memory.
double default_memory_budget();

/// "1.5 GiB", "312 MiB": sizes for people.
std::string format_bytes(double bytes);

}  // namespace cb::grid
