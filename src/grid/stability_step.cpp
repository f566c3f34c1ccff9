#include "stability_step.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <new>
#include <optional>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/core/sampling.hpp"
#include "clusterbench/metrics/partition_stability.hpp"

namespace cb::grid {
namespace {

/// One refit: family f on subsample b.
struct RefitTask {
  std::size_t family = 0;
  int resample = 0;
  double cost = 0;  ///< the family's estimated CPU seconds on a subsample (orders the tasks)
};

/// Refits family `family` on subsample `b`; returns the agreement of each of its runs (by run index) with its refit.
std::vector<std::optional<metrics::SubsampleAgreement>> refit_on_subsample(const StabilityFamily& family, int b,
                                                                           const StabilityConfig& config,
                                                                           const Executor& executor) {
  const Matrix& points = *family.points;
  const auto rows = uniform_row_sample(points.rows(), stability_subsample_size(config, points.rows()),
                                       derive_seed(family.seed, fmt::format("stability/subsample={}", b)));
  Matrix subsample(static_cast<Index>(rows.size()), points.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) subsample.row(static_cast<Index>(i)) = points.row(rows[i]);

  std::vector<int> ks;
  for (const auto* run : family.runs) ks.push_back(run->k);
  std::sort(ks.begin(), ks.end());
  std::mutex mutex;
  std::map<int, Labels> refit;  // k -> labels on the subsample
  auto take = [&](RunOutcome&& out) {
    if (out.labels.size() != rows.size()) return;  // a failed refit leaves this resample out of the run's stability
    std::lock_guard lock(mutex);
    refit.try_emplace(out.k, std::move(out.labels));
  };
  try {
    FamilyRequest request{
        subsample, *family.params, ks, derive_seed(family.seed, fmt::format("stability/fit={}", b)), executor, take};
    for (auto& out : family.entry->fit_all_k(request)) take(std::move(out));
  } catch (const Interrupted&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    // The refit failed on this subsample (e.g. too few distinct points): no agreement from it.
  }
  std::vector<std::optional<metrics::SubsampleAgreement>> agreements(family.runs.size());
  for (std::size_t r = 0; r < family.runs.size(); ++r)
    if (const auto it = refit.find(family.runs[r]->k); it != refit.end())
      agreements[r] = metrics::compare_on_subsample(family.runs[r]->labels, rows, it->second);
  return agreements;
}

}  // namespace

Index stability_subsample_size(const StabilityConfig& config, Index n) {
  return std::clamp<Index>(static_cast<Index>(std::llround(config.fraction * static_cast<double>(n))), 1, n);
}

bool needs_stability(const RunRecord& run, const StabilityConfig& config) {
  if (!config.enabled() || run.labels.empty() || run.status == "failed") return false;
  return !run.stability || run.stability->resamples != config.resamples || run.stability->fraction != config.fraction;
}

void check_stability_fits(const GridConfig& config, Index n) {
  if (!config.stability.enabled()) return;
  const Index m = stability_subsample_size(config.stability, n);
  for (const auto& algo : config.algorithms)
    if (algo.ks.back() > m)
      throw ConfigError(
          fmt::format("{}:{}: algorithms: {}: k = {} exceeds the {} points of a stability subsample "
                      "(stability.fraction {} of {})",
                      config.path, algo.k_line, algo.name, algo.ks.back(), m, config.stability.fraction, n));
}

void measure_stability(const std::vector<StabilityFamily>& families, const StabilityConfig& config,
                       const Executor& executor) {
  const auto resamples = static_cast<std::size_t>(config.resamples);
  std::vector<RefitTask> tasks;
  for (std::size_t f = 0; f < families.size(); ++f) {
    const auto& family = families[f];
    if (family.runs.empty()) continue;
    std::vector<int> ks;
    for (const auto* run : family.runs) ks.push_back(run->k);
    const StepCost cost =
        family.entry->estimate
            ? family.entry->estimate(CostQuery{stability_subsample_size(config, family.points->rows()),
                                               family.points->cols(), *family.params, ks})
            : StepCost{};
    for (std::size_t b = 0; b < resamples; ++b) tasks.push_back({f, static_cast<int>(b), cost.cpu_seconds});
  }
  // Largest work first, as the grid schedules spaces: the long refits do not end up alone at the tail.
  std::stable_sort(tasks.begin(), tasks.end(), [](const RefitTask& a, const RefitTask& b) { return a.cost > b.cost; });

  // agreements[f][b][r]: filled by the tasks, reduced below in resample order.
  std::vector<std::vector<std::vector<std::optional<metrics::SubsampleAgreement>>>> agreements(families.size());
  for (auto& per_family : agreements) per_family.resize(resamples);
  std::atomic<std::size_t> next{0};
  std::vector<std::function<void()>> takers;
  const auto count = std::min<std::size_t>(tasks.size(), static_cast<std::size_t>(std::max(1, executor.concurrency())));
  for (std::size_t t = 0; t < count; ++t)
    takers.emplace_back([&] {
      for (std::size_t i = next++; i < tasks.size(); i = next++) {
        const auto& task = tasks[i];
        agreements[task.family][static_cast<std::size_t>(task.resample)] =
            refit_on_subsample(families[task.family], task.resample, config, executor);
      }
    });
  executor.run_all(takers);

  for (std::size_t f = 0; f < families.size(); ++f)
    for (std::size_t r = 0; r < families[f].runs.size(); ++r) {
      RunRecord& run = *families[f].runs[r];
      std::vector<metrics::SubsampleAgreement> usable;
      for (std::size_t b = 0; b < resamples; ++b)
        if (agreements[f][b][r]) usable.push_back(*agreements[f][b][r]);
      const auto summary = metrics::summarize_stability(usable, records::cluster_sizes_of(run.labels).size());
      records::set_stability(
          run, {config.resamples, config.fraction, summary.ari_mean, summary.ari_sd, summary.cluster_jaccard});
    }
}

}  // namespace cb::grid
