#include "clusterbench/grid/cost_model.hpp"

#include "stability_step.hpp"

#include <unistd.h>

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::grid {
namespace {

// Fitted to measured grids on the reference machine (docs/plan.md).
constexpr double kProcessBytes = 40.0 * 1048576;    // the program, its libraries and the scheduler's threads
constexpr double kSilhouettePairSeconds = 1.5e-10;  // per (scored point, point) and per labeling or dimension
constexpr double kParallelEfficiency = 0.9;         // share of the cores a grid keeps busy

/// One silhouette pass over a space's distance tiles scores every labeling of it.
StepCost scoring_cost(const GridConfig& config, Index n, Index space_dims, Index features, bool is_reference,
                      std::size_t labelings, double sum_k) {
  StepCost c;
  const bool sampled = config.approximation.sampled(n);
  const double rows =
      sampled ? static_cast<double>(std::min(config.approximation.silhouette_sample, n)) : static_cast<double>(n);
  const double points = static_cast<double>(n), l = static_cast<double>(labelings);
  c.cpu_seconds = kSilhouettePairSeconds * rows * points * (static_cast<double>(space_dims) + l);
  double sums = rows * sum_k * 8.0;  // per scored point, distance sums to every cluster of every labeling
  if (config.score_reference_space && !is_reference) {
    c.cpu_seconds += kSilhouettePairSeconds * rows * points * (static_cast<double>(features) + l);
    sums *= 2;
  }
  c.cpu_seconds += 2e-9 * points * static_cast<double>(space_dims + 2) * l * 2;  // CH and DB
  c.peak_bytes = sums + points * 4.0 * l;                                        // the labelings, copied side by side
  c.method = sampled ? fmt::format("sampled ({} points, 95% interval)", static_cast<long long>(rows)) : "exact";
  c.approximated = sampled;
  return c;
}

/// At most `threads` tasks (spaces, or families of a space) are in flight at once: the largest of them.
double in_flight(std::vector<double> peaks, int threads) {
  std::sort(peaks.rbegin(), peaks.rend());
  double bytes = 0;
  for (std::size_t i = 0; i < peaks.size() && i < static_cast<std::size_t>(threads); ++i) bytes += peaks[i];
  return bytes;
}

std::string k_range(const std::vector<int>& ks) {
  if (ks.size() == 1) return fmt::format("k {}", ks.front());
  return fmt::format("k {}..{} ({} runs)", ks.front(), ks.back(), ks.size());
}

/// The stability step of a space: every family refitted on `resamples` subsamples (stability_step.cpp).
PlannedStep stability_cost(const GridConfig& config, std::size_t space, Index points, Index dims) {
  const Index m = stability_subsample_size(config.stability, points);
  PlannedStep step{space,
                   "stability",
                   "refits",
                   fmt::format("{} subsamples of {} points per family", config.stability.resamples, m),
                   {}};
  for (const AlgorithmConfig& algo : config.algorithms) {
    const auto cost = find_algorithm(algo.name)->estimate(CostQuery{m, dims, algo.params, algo.ks, 0});
    step.cost.cpu_seconds += cost.cpu_seconds * config.stability.resamples;
    step.cost.peak_bytes = std::max(step.cost.peak_bytes, cost.peak_bytes);
  }
  return step;
}

}  // namespace

GridEstimate estimate_grid(const GridConfig& config, Index points, Index features, int threads,
                           double memory_budget_bytes) {
  GridEstimate e;
  e.points = points;
  e.features = features;
  e.threads = std::max(threads, 1);
  e.memory_budget_bytes = memory_budget_bytes;
  const double n = static_cast<double>(points);
  const Index tw_sample = config.approximation.sampled(points) ? config.approximation.trustworthiness_sample : 0;

  double space_bytes = 0;
  for (std::size_t s = 0; s < config.spaces.size(); ++s) {
    const SpaceConfig& space = config.spaces[s];
    const SpaceEntry* entry = find_space(space.name);
    if (!entry || !entry->estimate) throw Error(fmt::format("space '{}' has no cost estimate", space.name));
    PlannedStep embed{s, "embed", space.label, space.name == space.label ? "" : space.name,
                      entry->estimate(CostQuery{points, features, space.params, {}, tw_sample})};
    const Index dims = embed.cost.output_dims;
    space_bytes += n * static_cast<double>(dims) * 8.0;
    double cpu = embed.cost.cpu_seconds;
    std::vector<double> family_peaks;
    std::size_t labelings = 0;
    double sum_k = 0;
    e.steps.push_back(embed);
    for (const AlgorithmConfig& algo : config.algorithms) {
      const AlgorithmEntry* fit = find_algorithm(algo.name);
      if (!fit || !fit->estimate) throw Error(fmt::format("algorithm '{}' has no cost estimate", algo.name));
      PlannedStep step{s, "fit", algo.name, k_range(algo.ks),
                       fit->estimate(CostQuery{points, dims, algo.params, algo.ks, 0})};
      cpu += step.cost.cpu_seconds;
      family_peaks.push_back(step.cost.peak_bytes);
      labelings += algo.ks.size();
      sum_k += std::accumulate(algo.ks.begin(), algo.ks.end(), 0.0);
      e.runs += algo.ks.size();
      e.steps.push_back(std::move(step));
    }
    PlannedStep score{s, "score", "silhouette, CH, DB",
                      fmt::format("{} labelings{}", labelings,
                                  config.score_reference_space && space.name != "raw" ? ", own + reference space" : ""),
                      scoring_cost(config, points, dims, features, space.name == "raw", labelings, sum_k)};
    cpu += score.cost.cpu_seconds;
    e.steps.push_back(score);
    if (config.stability.enabled()) {
      PlannedStep refits = stability_cost(config, s, points, dims);
      cpu += refits.cost.cpu_seconds;
      family_peaks.push_back(refits.cost.peak_bytes);
      e.steps.push_back(std::move(refits));
    }
    const double families = in_flight(family_peaks, e.threads);  // a space's families run side by side
    e.space_cpu_seconds.push_back(cpu);
    e.space_peak_bytes.push_back(std::max({embed.cost.peak_bytes, families, score.cost.peak_bytes}));
  }

  // Always resident: the process, the data (values, reference space), every run's labels and every space's points.
  const double labels = static_cast<double>(e.runs) * n * 4.0;
  e.base_bytes = kProcessBytes + n * static_cast<double>(features) * 8.0 * 3 + n * 48.0 + labels + space_bytes;

  // Largest first; a space joins the running wave while the wave's memory fits the budget.
  std::vector<std::size_t> order(config.spaces.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return e.space_cpu_seconds[a] > e.space_cpu_seconds[b]; });
  const double room = memory_budget_bytes - e.base_bytes;
  std::vector<double> wave_peaks;
  for (std::size_t s : order) {
    wave_peaks.push_back(e.space_peak_bytes[s]);
    if (e.waves.empty() || in_flight(wave_peaks, e.threads) > room) {
      e.waves.emplace_back();
      wave_peaks = {e.space_peak_bytes[s]};
    }
    e.waves.back().push_back(s);
  }
  double working = 0;
  for (const auto& wave : e.waves) {
    double cpu = 0, longest = 0;
    std::vector<double> peaks;
    for (std::size_t s : wave) {
      peaks.push_back(e.space_peak_bytes[s]);
      cpu += e.space_cpu_seconds[s];
      longest = std::max(longest, e.space_cpu_seconds[s]);
    }
    const double bytes = in_flight(peaks, e.threads);
    working = std::max(working, bytes);
    e.cpu_seconds += cpu;
    e.wall_seconds += std::max(cpu / e.threads, longest / e.threads) / kParallelEfficiency;
  }
  // The store is written from an image in memory: the labels, spaces and data once more.
  const double image = labels + space_bytes + n * static_cast<double>(features) * 8.0 * 2;
  e.peak_bytes = e.base_bytes + std::max(working, image);

  for (const auto& step : e.steps)
    if (step.cost.approximated)
      e.approximations.push_back(
          fmt::format("{} {} in {}: {}", step.kind, step.name, config.spaces[step.space].label, step.cost.method));
  if (tw_sample > 0)
    e.approximations.push_back(
        fmt::format("trustworthiness of every embedding on {} sampled points (n = {} > "
                    "scoring.exact_up_to = {})",
                    tw_sample, points, config.approximation.exact_up_to));
  return e;
}

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 4.0 * 1073741824;  // unknown: a modest machine
  return static_cast<double>(pages) * static_cast<double>(page);
}

double default_memory_budget() { return 0.5 * physical_memory_bytes(); }

std::string format_bytes(double bytes) {
  if (bytes >= 1073741824.0) return fmt::format("{:.1f} GiB", bytes / 1073741824.0);
  if (bytes >= 1048576.0) return fmt::format("{:.0f} MiB", bytes / 1048576.0);
  return fmt::format("{:.0f} KiB", bytes / 1024.0);
}

}  // namespace cb::grid
