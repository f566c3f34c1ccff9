#include "clusterbench/grid/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <mutex>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/grid/data_checks.hpp"
#include "clusterbench/grid/progress.hpp"
#include "clusterbench/grid/registry.hpp"
#include "clusterbench/grid/run_profiles.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "clusterbench/metrics/silhouette.hpp"
#include "space_inputs.hpp"

namespace cb::grid {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string utc_now() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::string data_digest(const Dataset& data) {
  std::uint64_t h = stable_hash("clusterbench-data-v1");
  for (const auto& id : data.ids) h = stable_hash(id, h ^ 0x1f);
  for (const auto& c : data.columns) h = stable_hash(c, h ^ 0x2f);
  h = stable_hash(std::string_view(reinterpret_cast<const char*>(data.values.data()),
                                   static_cast<std::size_t>(data.values.size()) * sizeof(double)),
                  h);
  return hex64(h);
}

prep::PrepOptions prep_options(const GridConfig& config, const Dataset& data) {
  prep::PrepOptions options;
  options.scaling = config.prep.scaling;
  for (const auto& name : config.prep.log1p) {
    const auto it = std::find(data.columns.begin(), data.columns.end(), name);
    if (it == data.columns.end())
      throw ConfigError(fmt::format("{}: preprocess.log1p: column '{}' is not among the dataset columns ({})", config.path,
                                    name, fmt::join(data.columns, ", ")));
    options.log1p_columns.push_back(it - data.columns.begin());
  }
  return options;
}

/// The family identity: everything that determines a family's results except k.
Json family_identity(const GridConfig& config, const SpaceConfig& space, const SpaceInput& space_input,
                     const AlgorithmConfig& algo, const std::string& digest, const std::string& version) {
  Json id;
  id["data"] = digest;
  id["prep"] = {{"log1p", config.prep.log1p}, {"scaling", std::string(prep::to_string(config.prep.scaling))}};
  id["space"] = {{"name", space.name}, {"params", space.params}};
  if (!space_input.digest.empty()) id["space"]["input"] = space_input.digest;  // a changed file invalidates its runs
  id["algorithm"] = {{"name", algo.name}, {"params", algo.params}};
  id["seed"] = config.seed;
  id["scoring"] = {{"reference_space", config.score_reference_space}, {"max_noise_fraction", config.max_noise_fraction}};
  id["version"] = version;
  return id;
}

int distinct_clusters(const Labels& labels) {
  std::set<Label> seen;
  for (auto l : labels)
    if (l != kNoise) seen.insert(l);
  return static_cast<int>(seen.size());
}

struct FamilyPlan {
  const SpaceConfig* space;
  const AlgorithmConfig* algorithm;
  std::uint64_t seed;
  std::vector<std::string> keys;  // one per k
  bool local = true;              // fitted by this process
};

/// Scores the finished outcomes of one family: silhouette for all its
/// labelings in one pass per space, then CH, DB and ARI per run.
void score_family(std::vector<RunRecord*>& runs, const Matrix& space_points, const Matrix& reference,
                  bool same_as_reference, const GridConfig& config, const std::optional<Labels>& truth,
                  const Executor& executor) {
  const bool score_reference = config.score_reference_space;
  std::vector<Labels> scorable;
  std::vector<RunRecord*> scored_runs;
  for (auto* run : runs) {
    run->scores["noise_fraction"] =
        run->labels.empty() ? kNaN
                            : static_cast<double>(std::count(run->labels.begin(), run->labels.end(), kNoise)) /
                                  static_cast<double>(run->labels.size());
    for (const char* name : {"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin", "ari"})
      run->scores[name] = kNaN;
    if (run->status == "failed") continue;
    if (run->k_found < 2) {
      if (run->status == "ok") {
        run->status = "fewer_than_2_clusters";
        run->message = fmt::format("found {} cluster(s); silhouette is undefined", run->k_found);
      }
      continue;
    }
    // Silhouette leaves noise out: a run that calls most points noise would win by discarding them.
    if (run->scores["noise_fraction"] > config.max_noise_fraction) {
      if (run->status == "ok") {
        run->status = "mostly_noise";
        run->message = fmt::format("{:.1f}% of points are noise (scoring.max_noise_fraction = {})",
                                   100 * run->scores["noise_fraction"], config.max_noise_fraction);
      }
      continue;
    }
    scorable.push_back(run->labels);
    scored_runs.push_back(run);
  }
  if (truth)
    for (auto* run : runs)
      if (!run->labels.empty()) run->scores["ari"] = metrics::adjusted_rand_index(run->labels, *truth);
  if (scored_runs.empty()) return;

  const auto start = Clock::now();
  const auto own = metrics::silhouette_many(space_points, scorable, {}, executor);
  std::vector<metrics::SilhouetteResult> ref;
  if (score_reference && !same_as_reference) ref = metrics::silhouette_many(reference, scorable, {}, executor);
  for (std::size_t i = 0; i < scored_runs.size(); ++i) {
    auto* run = scored_runs[i];
    run->scores["silhouette"] = own[i].mean;
    run->scores["silhouette_ref"] = same_as_reference ? own[i].mean : (ref.empty() ? kNaN : ref[i].mean);
    run->scores["calinski_harabasz"] = metrics::calinski_harabasz(space_points, run->labels, executor);
    run->scores["davies_bouldin"] = metrics::davies_bouldin(space_points, run->labels, executor);
  }
  const double each = seconds_since(start) / static_cast<double>(scored_runs.size());
  for (auto* run : scored_runs) run->score_seconds = each;
}

}  // namespace

GridResult run_grid(const GridConfig& config, const RunnerHooks& hooks) {
  GridResult result;
  auto& prov = result.provenance;
  prov.started_utc = utc_now();
  prov.config_path = config.path;
  prov.config_text = config.text;
  prov.program_version = hooks.program_version;
  prov.git_commit = hooks.git_commit;
  prov.seed = config.seed;
  prov.grid_name = config.name;

  // Everything that can be wrong with the input is checked before any run starts.
  auto loaded = load_grid_data(config);
  result.data = std::move(loaded.data);
  result.customers = std::move(loaded.customers);
  handle_constant_columns(result.data, config.prep.drop_constant, config.path);
  const Index n = result.data.rows();
  const Index distinct = count_distinct_rows(result.data.values);
  for (const auto& algo : config.algorithms) {
    if (algo.ks.back() > n)
      throw ConfigError(fmt::format("{}:{}: algorithms: {}: k = {} exceeds the number of points ({}) in {}", config.path,
                                    algo.k_line, algo.name, algo.ks.back(), n, config.dataset.path));
    if (algo.ks.back() > distinct)
      throw ConfigError(fmt::format("{}:{}: algorithms: {}: k = {} exceeds the number of distinct points ({} of {} are "
                                    "distinct) in {}",
                                    config.path, algo.k_line, algo.name, algo.ks.back(), distinct, n, config.dataset.path));
  }
  const auto prep_model = prep::fit_preprocess(result.data.values, prep_options(config, result.data));
  result.reference = prep_model.apply(result.data.values);
  prov.data_digest = data_digest(result.data);
  const auto space_inputs = load_space_inputs(config, result.data);

  const int threads = hooks.threads_override >= 0 ? hooks.threads_override : config.threads;
  const auto executor = make_parallel_executor(threads);
  prov.threads = executor->concurrency();

  // Plan: one family per (space, algorithm entry); one run key per k.
  std::vector<FamilyPlan> families;
  for (std::size_t s = 0; s < config.spaces.size(); ++s)
    for (std::size_t a = 0; a < config.algorithms.size(); ++a) {
      const SpaceConfig& space = config.spaces[s];
      const AlgorithmConfig& algo = config.algorithms[a];
      const Json identity = family_identity(config, space, space_inputs[s], algo, prov.data_digest, hooks.program_version);
      FamilyPlan plan{&space, &algo, derive_seed(config.seed, identity.dump()), {}, true};
      if (hooks.owns_family) plan.local = hooks.owns_family(s, a);
      for (int k : algo.ks) {
        Json run_identity = identity;
        run_identity["k"] = k;
        // Mixed so that keys of neighbouring k do not share most of their digits.
        std::uint64_t state = stable_hash(run_identity.dump());
        plan.keys.push_back(hex64(splitmix64(state)));
      }
      families.push_back(std::move(plan));
    }
  std::size_t total_runs = 0;
  for (const auto& f : families)
    if (f.local) total_runs += f.keys.size();

  // Slots for every run in plan order, filled by whichever task finishes them.
  std::vector<std::vector<RunRecord>> family_runs(families.size());
  result.spaces.resize(config.spaces.size());
  Progress progress(total_runs, hooks.progress);

  std::vector<std::function<void()>> space_tasks;
  for (std::size_t s = 0; s < config.spaces.size(); ++s) {
    space_tasks.emplace_back([&, s] {
      const SpaceConfig& space_config = config.spaces[s];
      SpaceRecord& space = result.spaces[s];
      space.label = space_config.label;
      space.name = space_config.name;
      space.params = stored_space_params(space_config, space_inputs[s]);

      // Families of this space; a space whose runs are all stored is not even computed.
      std::vector<std::size_t> mine;
      bool any_missing = false;
      for (std::size_t f = 0; f < families.size(); ++f) {
        if (families[f].space != &space_config) continue;
        mine.push_back(f);
        if (!families[f].local) continue;
        for (const auto& key : families[f].keys) {
          const RunRecord* done = hooks.find_finished ? hooks.find_finished(key) : nullptr;
          if (!done) any_missing = true;
        }
      }
      const auto start = Clock::now();
      if (any_missing) {
        const SpaceEntry* entry = find_space(space_config.name);
        SpaceRequest request{result.reference, space_config.params,
                             derive_seed(config.seed, "space/" + space_config.label + "/" + space.params), *executor,
                             result.data.columns, &space_inputs[s]};
        auto computed = entry->compute(request);
        space.points = std::move(computed.points);
        space.values = std::move(computed.values);
        space.arrays = std::move(computed.arrays);
      }
      space.seconds = seconds_since(start);
      const bool same_as_reference = space_config.name == "raw";

      std::vector<std::function<void()>> family_tasks;
      for (std::size_t f : mine) {
        family_tasks.emplace_back([&, f] {
          const FamilyPlan& plan = families[f];
          const AlgorithmConfig& algo = *plan.algorithm;
          auto& runs = family_runs[f];
          runs.resize(algo.ks.size());
          std::vector<int> todo_ks;
          std::vector<std::size_t> todo_index;
          for (std::size_t i = 0; i < algo.ks.size(); ++i) {
            const RunRecord* done = hooks.find_finished ? hooks.find_finished(plan.keys[i]) : nullptr;
            if (done) {
              runs[i] = *done;
              // A journaled run carries no profile; recomputing keeps every profile on the current segment table.
              if (result.customers && !runs[i].labels.empty()) runs[i].profile = profile_run(*result.customers, runs[i].labels);
              if (plan.local) progress.skipped();
            } else if (!plan.local) {  // fitted by another process, which sends it to the writer
              runs[i].key = plan.keys[i];
              runs[i].space = space.label;
              runs[i].algorithm = algo.name;
              runs[i].k = algo.ks[i];
              runs[i].status = kElsewhere;
            } else {
              todo_ks.push_back(algo.ks[i]);
              todo_index.push_back(i);
            }
          }
          if (todo_ks.empty()) return;

          // Each finished batch (one emitted k, or everything returned at the end) is
          // scored together and journaled at once, so a kill loses at most the runs in flight.
          std::mutex finished_mutex;
          std::vector<bool> finished(algo.ks.size(), false);
          auto finish_batch = [&](std::vector<RunOutcome> batch, const std::string& failure) {
            std::vector<RunRecord*> fresh;
            for (auto& out : batch) {
              const auto pos = std::find(algo.ks.begin(), algo.ks.end(), out.k);
              if (pos == algo.ks.end()) continue;  // an algorithm bug; the k stays missing and is reported failed
              const auto i = static_cast<std::size_t>(pos - algo.ks.begin());
              {
                std::lock_guard lock(finished_mutex);
                if (finished[i]) continue;
                finished[i] = true;
              }
              RunRecord& run = runs[i];
              run.key = plan.keys[i];
              run.space = space.label;
              run.algorithm = algo.name;
              run.params = algo.params.dump();
              run.k = out.k;
              run.seed = plan.seed;
              if (!failure.empty()) {
                run.status = "failed";
                run.message = failure;
              } else {
                run.status = out.status;
                run.message = out.message;
                run.values = std::move(out.values);
                run.arrays = std::move(out.arrays);
                run.fit_seconds = out.fit_seconds;
                run.labels = std::move(out.labels);
                run.k_found = distinct_clusters(run.labels);
                if (static_cast<Index>(run.labels.size()) != space.points.rows()) {
                  run.status = "failed";
                  run.message = "algorithm returned a wrong number of labels";
                  run.labels.clear();
                }
              }
              fresh.push_back(&run);
            }
            try {
              score_family(fresh, space.points, result.reference, same_as_reference, config,
                           result.data.reference, *executor);
            } catch (const std::exception& e) {
              for (auto* run : fresh) {
                run->status = "failed";
                run->message = std::string("scoring: ") + e.what();
              }
            }
            if (result.customers)
              for (auto* run : fresh) {
                if (run->labels.empty()) continue;
                try {
                  run->profile = profile_run(*result.customers, run->labels);
                } catch (const std::exception& e) {
                  run->status = "failed";
                  run->message = std::string("profile: ") + e.what();
                }
              }
            for (auto* run : fresh) {
              if (hooks.on_run_finished) hooks.on_run_finished(*run);
              progress.finished(run->status == "failed");
            }
          };

          const AlgorithmEntry* entry = find_algorithm(algo.name);
          std::string failure;
          try {
            FamilyRequest request{space.points, algo.params, todo_ks, plan.seed, *executor,
                                  [&](RunOutcome&& out) {
                                    std::vector<RunOutcome> one;
                                    one.push_back(std::move(out));
                                    finish_batch(std::move(one), {});
                                  }};
            auto rest = entry->fit_all_k(request);
            if (!rest.empty()) finish_batch(std::move(rest), {});
          } catch (const std::exception& e) {
            failure = e.what();
          }
          // Whatever k did not come back is a failed run, with the reason when there is one.
          std::vector<RunOutcome> missing;
          for (int k : todo_ks) {
            const auto i = static_cast<std::size_t>(std::find(algo.ks.begin(), algo.ks.end(), k) - algo.ks.begin());
            if (!finished[i]) missing.push_back(RunOutcome{k, {}, "failed", {}, {}, 0, {}});
          }
          if (!missing.empty()) finish_batch(std::move(missing), failure.empty() ? "algorithm produced no result for this k" : failure);
        });
      }
      executor->run_all(family_tasks);
    });
  }
  executor->run_all(space_tasks);
  progress.done();

  for (auto& runs : family_runs)
    for (auto& run : runs) result.runs.push_back(std::move(run));
  prov.finished_utc = utc_now();
  return result;
}

}  // namespace cb::grid
