#include "run_scoring.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "clusterbench/grid/registry.hpp"
#include "clusterbench/metrics/dbcv.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "clusterbench/metrics/silhouette.hpp"

namespace cb::grid {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// DBCV costs O(n_c² d) per cluster: beyond this many points it is not computed (NaN).
constexpr Index kDbcvMaxPoints = 10000;

bool density_based(const std::string& algorithm) {
  const AlgorithmEntry* entry = find_algorithm(algorithm);
  return entry && entry->density_based;
}

double noise_fraction(const Labels& labels) {
  if (labels.empty()) return kNaN;
  return static_cast<double>(std::count(labels.begin(), labels.end(), kNoise)) / static_cast<double>(labels.size());
}

/// Whether a run can be scored; sets the status that says why not.
bool scorable(RunRecord& run, const GridConfig& config) {
  if (run.status == "failed") return false;
  if (run.k_found < 2) {
    if (run.status == "ok") {
      run.status = "fewer_than_2_clusters";
      run.message = fmt::format("found {} cluster(s); silhouette is undefined", run.k_found);
    }
    return false;
  }
  // Silhouette leaves noise out: a run that calls most points noise would win by discarding them.
  if (run.scores["noise_fraction"] > config.max_noise_fraction) {
    if (run.status == "ok") {
      run.status = "mostly_noise";
      run.message = fmt::format("{:.1f}% of points are noise (scoring.max_noise_fraction = {})",
                                100 * run.scores["noise_fraction"], config.max_noise_fraction);
    }
    return false;
  }
  return true;
}

}  // namespace

void score_runs(std::span<RunRecord* const> runs, const ScoringInputs& inputs, const GridConfig& config,
                const Executor& executor) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Labels> labelings;
  std::vector<RunRecord*> scored;
  for (auto* run : runs) {
    run->scores.clear();
    run->scores["noise_fraction"] = noise_fraction(run->labels);
    records::set_cluster_sizes(*run);
    for (const char* name : {"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin", "ari"})
      run->scores[name] = kNaN;
    if (inputs.truth && !run->labels.empty())
      run->scores["ari"] = metrics::adjusted_rand_index(run->labels, *inputs.truth);
    if (!scorable(*run, config)) continue;
    labelings.push_back(run->labels);
    scored.push_back(run);
  }
  if (!scored.empty()) {
    metrics::SilhouetteOptions options;
    const Index n = inputs.space_points.rows();
    std::vector<Index> sample;  // outlives both passes: the same points score own and reference silhouettes
    if (config.approximation.sampled(n)) {
      sample = metrics::silhouette_sample(n, config.approximation.silhouette_sample, inputs.sample_seed);
      options.sample_rows = sample;
      options.post_stratify = true;
    }
    const auto own = metrics::silhouette_many(inputs.space_points, labelings, options, executor);
    std::vector<metrics::SilhouetteResult> ref;
    if (config.score_reference_space && !inputs.space_is_reference)
      ref = metrics::silhouette_many(inputs.reference, labelings, options, executor);
    for (std::size_t i = 0; i < scored.size(); ++i) {
      auto& scores = scored[i]->scores;
      const metrics::SilhouetteResult& reference = inputs.space_is_reference ? own[i] : ref.empty() ? own[i] : ref[i];
      scores["silhouette"] = own[i].mean;
      scores["silhouette_ref"] = inputs.space_is_reference || !ref.empty() ? reference.mean : kNaN;
      if (!sample.empty()) {  // the interval says how far the estimate may be from the exact value
        scores["silhouette_sample"] = static_cast<double>(own[i].sample_size);
        scores["silhouette_ci_low"] = own[i].ci_low;
        scores["silhouette_ci_high"] = own[i].ci_high;
        scores["silhouette_ref_ci_low"] = reference.ci_low;
        scores["silhouette_ref_ci_high"] = reference.ci_high;
      }
    }
    // The per-run scores are independent: one task per run (each writes only its own record).
    executor.for_chunks(scored.size(), 1, [&](std::size_t, Range r) {
      for (auto i = r.begin; i < r.end; ++i) {
        auto& scores = scored[i]->scores;
        scores["calinski_harabasz"] = metrics::calinski_harabasz(inputs.space_points, scored[i]->labels, executor);
        scores["davies_bouldin"] = metrics::davies_bouldin(inputs.space_points, scored[i]->labels, executor);
        if (density_based(
                scored[i]->algorithm))  // silhouette favours convex clusters; DBCV judges density-separated ones
          scores["dbcv"] = n <= kDbcvMaxPoints ? metrics::dbcv(inputs.space_points, scored[i]->labels, executor) : kNaN;
      }
    });
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto* run : runs) {
    run->score_seconds = runs.empty() ? 0 : seconds / static_cast<double>(runs.size());
    run->scored = true;
  }
}

}  // namespace cb::grid
