#include "clusterbench/grid/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <new>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/grid/cost_model.hpp"
#include "clusterbench/grid/data_checks.hpp"
#include "clusterbench/grid/grid_plan.hpp"
#include "clusterbench/grid/progress.hpp"
#include "clusterbench/grid/registry.hpp"
#include "run_scoring.hpp"
#include "space_inputs.hpp"
#include "stability_step.hpp"

namespace cb::grid {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string utc_now() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

std::string data_digest(const Dataset& data) {
  std::uint64_t h = stable_hash("clusterbench-data-v1");
  for (const auto& id : data.ids) h = stable_hash(id, h ^ 0x1f);
  for (const auto& c : data.columns) h = stable_hash(c, h ^ 0x2f);
  h = stable_hash(std::string_view(reinterpret_cast<const char*>(data.values.data()),
                                   static_cast<std::size_t>(data.values.size()) * sizeof(double)),
                  h);
  return fmt::format("{:016x}", h);
}

prep::PrepOptions prep_options(const GridConfig& config, const Dataset& data) {
  prep::PrepOptions options;
  options.scaling = config.prep.scaling;
  for (const auto& name : config.prep.log1p) {
    const auto it = std::find(data.columns.begin(), data.columns.end(), name);
    if (it == data.columns.end())
      throw ConfigError(fmt::format("{}: preprocess.log1p: column '{}' is not among the dataset columns ({})",
                                    config.path, name, fmt::join(data.columns, ", ")));
    options.log1p_columns.push_back(it - data.columns.begin());
  }
  return options;
}

int distinct_clusters(const Labels& labels) {
  std::set<Label> seen;
  for (auto l : labels)
    if (l != kNoise) seen.insert(l);
  return static_cast<int>(seen.size());
}

/// k beyond the points (or the distinct points) cannot be asked for.
void check_k_fits(const GridConfig& config, const Dataset& data) {
  const Index n = data.rows();
  const Index distinct = count_distinct_rows(data.values);
  for (const auto& algo : config.algorithms) {
    if (algo.ks.back() > n)
      throw ConfigError(fmt::format("{}:{}: algorithms: {}: k = {} exceeds the number of points ({}) in {}",
                                    config.path, algo.k_line, algo.name, algo.ks.back(), n, config.dataset.path));
    if (algo.ks.back() > distinct)
      throw ConfigError(
          fmt::format("{}:{}: algorithms: {}: k = {} exceeds the number of distinct points ({} of {} are "
                      "distinct) in {}",
                      config.path, algo.k_line, algo.name, algo.ks.back(), distinct, n, config.dataset.path));
  }
}

/// One grid in flight: its inputs, plan and the slots its tasks fill.
class GridExecution {
 public:
  GridExecution(const GridConfig& config, const RunnerHooks& hooks, const Executor& executor, GridResult& result)
      : config_(config), hooks_(hooks), executor_(executor), result_(result) {}

  /// Loads, checks and preprocesses the data; plans every key. Bad input throws here, before any run.
  void prepare() {
    auto loaded = load_grid_data(config_, executor_);
    result_.data = std::move(loaded.data);
    result_.customers = std::move(loaded.customers);
    result_.cleaning = std::move(loaded.cleaning);
    handle_constant_columns(result_.data, config_.prep.drop_constant, config_.path);
    check_k_fits(config_, result_.data);
    check_stability_fits(config_, result_.data.rows());
    const auto prep_model = prep::fit_preprocess(result_.data.values, prep_options(config_, result_.data));
    result_.reference = prep_model.apply(result_.data.values);
    result_.provenance.data_digest = data_digest(result_.data);
    space_inputs_ = load_space_inputs(config_, result_.data);
    plan_ =
        plan_grid(config_, space_inputs_, result_.provenance.data_digest, hooks_.program_version, result_.data.rows());
    local_.resize(plan_.families.size(), true);
    for (std::size_t f = 0; f < plan_.families.size(); ++f)
      if (hooks_.owns_family) local_[f] = hooks_.owns_family(plan_.families[f].space, plan_.families[f].algorithm);
    family_runs_.resize(plan_.families.size());
    for (std::size_t f = 0; f < plan_.families.size(); ++f) family_runs_[f].resize(plan_.families[f].keys.size());
    result_.spaces.resize(config_.spaces.size());
  }

  /// Spaces in waves that fit the memory budget, largest first; inside a wave, spaces in
  /// parallel; inside a space, its families in parallel, then one scoring pass.
  void execute() {
    std::size_t total_runs = 0;
    for (std::size_t f = 0; f < plan_.families.size(); ++f)
      if (local_[f]) total_runs += plan_.families[f].keys.size();
    progress_ = std::make_unique<Progress>(total_runs, hooks_.progress);
    const double budget = hooks_.memory_budget_bytes > 0 ? hooks_.memory_budget_bytes : default_memory_budget();
    const auto estimate =
        estimate_grid(config_, result_.reference.rows(), result_.reference.cols(), executor_.concurrency(), budget);
    try {
      for (const auto& wave : estimate.waves) {
        // One taker per core pulls the wave's spaces in order, so the largest start first.
        std::atomic<std::size_t> next{0};
        std::vector<std::function<void()>> takers;
        const auto count = std::min<std::size_t>(wave.size(), static_cast<std::size_t>(executor_.concurrency()));
        for (std::size_t t = 0; t < count; ++t)
          takers.emplace_back([this, &wave, &next] {
            for (std::size_t i = next++; i < wave.size(); i = next++) {
              try {
                run_space(wave[i]);
              } catch (const Interrupted&) {
                return;  // what finished was handed to the hooks; the rest is left for the next run
              }
            }
          });
        executor_.run_all(takers);
        if (hooks_.stop && hooks_.stop->load()) break;
      }
    } catch (const Interrupted&) {
    }
    progress_->done();
  }

  /// Runs in plan order: finished ones, placeholders of other processes' runs; unfinished ones left out.
  void collect() {
    for (auto& runs : family_runs_)
      for (auto& run : runs)
        if (!run.key.empty() && (run.scored || run.status == kElsewhere)) {
          if (run.cluster_sizes.empty()) records::set_cluster_sizes(run);  // a run stored by an earlier version
          result_.runs.push_back(std::move(run));
        }
  }

 private:
  void run_space(std::size_t s) {
    const SpaceConfig& space_config = config_.spaces[s];
    SpaceRecord& space = result_.spaces[s];
    std::vector<std::size_t> families;
    bool any_local = false;
    for (std::size_t f = 0; f < plan_.families.size(); ++f)
      if (plan_.families[f].space == s) {
        families.push_back(f);
        any_local = any_local || local_[f];
      }
    restore_or_compute_space(s, any_local);
    if (!any_local) {
      for (std::size_t f : families) mark_elsewhere(f);
      return;
    }
    std::vector<std::function<void()>> family_tasks;
    for (std::size_t f : families)
      family_tasks.emplace_back([this, f] { local_[f] ? fit_family(f) : mark_elsewhere(f); });
    executor_.run_all(family_tasks);
    score_space(space, space_config, families);
    add_stability(space, families);
  }

  void restore_or_compute_space(std::size_t s, bool compute_if_missing) {
    const SpaceConfig& space_config = config_.spaces[s];
    const SpacePlan& planned = plan_.spaces[s];
    SpaceRecord& space = result_.spaces[s];
    if (const SpaceRecord* stored = hooks_.find_space ? hooks_.find_space(planned.key) : nullptr) {
      space = *stored;
    } else if (compute_if_missing) {
      const auto start = Clock::now();
      const SpaceEntry* entry = find_space(space_config.name);
      SpaceRequest request{result_.reference, space_config.params,  planned.seed,
                           executor_,         result_.data.columns, &space_inputs_[s]};
      if (config_.approximation.sampled(result_.reference.rows()))
        request.trustworthiness_sample = config_.approximation.trustworthiness_sample;
      auto computed = entry->compute(request);
      space.points = std::move(computed.points);
      space.values = std::move(computed.values);
      space.arrays = std::move(computed.arrays);
      space.seconds = seconds_since(start);
      space.key = planned.key;
      space.label = space_config.label;
      space.name = space_config.name;
      space.params = planned.params;
      if (hooks_.on_space_computed) hooks_.on_space_computed(space);
    }
    space.key = planned.key;
    space.label = space_config.label;  // a stored space may have been labelled differently
    space.name = space_config.name;
    space.params = planned.params;
  }

  RunRecord& slot(std::size_t f, std::size_t i) { return family_runs_[f][i]; }

  void fill_identity(RunRecord& run, std::size_t f, std::size_t i) const {
    const FamilyPlan& family = plan_.families[f];
    const AlgorithmConfig& algo = config_.algorithms[family.algorithm];
    run.key = family.keys[i];
    run.space = config_.spaces[family.space].label;
    run.algorithm = algo.name;
    run.params = algo.params.dump();
    run.k = algo.ks[i];
    run.seed = family.seed;
  }

  void mark_elsewhere(std::size_t f) {
    for (std::size_t i = 0; i < plan_.families[f].keys.size(); ++i) {
      RunRecord& run = slot(f, i);
      if (const RunRecord* stored = hooks_.find_stored ? hooks_.find_stored(plan_.families[f].keys[i]) : nullptr;
          stored && stored->scored && !needs_stability(*stored, config_.stability)) {
        run = *stored;
        continue;
      }
      fill_identity(run, f, i);
      run.status = kElsewhere;
    }
  }

  /// Fits the k of a family that are not stored; each fit is journaled before scoring.
  void fit_family(std::size_t f) {
    const FamilyPlan& family = plan_.families[f];
    const AlgorithmConfig& algo = config_.algorithms[family.algorithm];
    const SpaceRecord& space = result_.spaces[family.space];
    std::vector<int> todo;
    for (std::size_t i = 0; i < family.keys.size(); ++i) {
      RunRecord& run = slot(f, i);
      if (const RunRecord* stored = hooks_.find_stored ? hooks_.find_stored(family.keys[i]) : nullptr) {
        run = *stored;
        if (run.scored) progress_->skipped();
      } else {
        todo.push_back(algo.ks[i]);
      }
    }
    if (todo.empty()) return;

    std::mutex mutex;
    auto index_of = [&](int k) {
      const auto pos = std::find(algo.ks.begin(), algo.ks.end(), k);
      return pos == algo.ks.end() ? family.keys.size() : static_cast<std::size_t>(pos - algo.ks.begin());
    };
    auto take = [&](RunOutcome&& out) {
      const std::size_t i = index_of(out.k);
      if (i == family.keys.size() || std::find(todo.begin(), todo.end(), out.k) == todo.end()) return;  // not asked
      RunRecord& run = slot(f, i);
      {
        std::lock_guard lock(mutex);
        if (!run.key.empty()) return;  // already handed over
        fill_identity(run, f, i);
      }
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
      run.scored = false;
      if (hooks_.on_run_fitted) hooks_.on_run_fitted(run);
    };

    std::string failure;
    try {
      const AlgorithmEntry* entry = find_algorithm(algo.name);
      FamilyRequest request{space.points, algo.params, todo, family.seed, executor_, take};
      for (auto& out : entry->fit_all_k(request)) take(std::move(out));
    } catch (const Interrupted&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw;  // out of memory ends the grid (exit 4, finished runs journaled), it is not one run's failure
    } catch (const std::exception& e) {
      failure = e.what();
    }
    // Whatever k did not come back is a failed run, with the reason when there is one.
    for (int k : todo) {
      RunRecord& run = slot(f, index_of(k));
      if (!run.key.empty()) continue;
      fill_identity(run, f, index_of(k));
      run.status = "failed";
      run.message = failure.empty() ? "algorithm produced no result for this k" : failure;
      run.scored = false;
    }
  }

  /// Scores every run of the space that is fitted but not scored, in one pass; then profiles and hands them over.
  void score_space(const SpaceRecord& space, const SpaceConfig& space_config,
                   const std::vector<std::size_t>& families) {
    std::vector<RunRecord*> batch;
    for (std::size_t f : families) {
      if (!local_[f]) continue;
      for (auto& run : family_runs_[f])
        if (!run.key.empty() && !run.scored) batch.push_back(&run);
    }
    if (batch.empty()) return;
    const ScoringInputs inputs{space.points, result_.reference, space_config.name == "raw", result_.data.reference,
                               derive_seed(config_.seed, "silhouette-sample")};
    try {
      score_runs(batch, inputs, config_, executor_);
    } catch (const Interrupted&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      for (auto* run : batch) {
        run->status = "failed";
        run->message = std::string("scoring: ") + e.what();
        run->scored = true;
      }
    }
    for (auto* run : batch) {
      if (result_.customers && !run->labels.empty()) {
        try {
          run->profile = profile_run(*result_.customers, run->labels);
        } catch (const std::exception& e) {
          run->status = "failed";
          run->message = std::string("profile: ") + e.what();
        }
      }
      if (hooks_.on_run_finished) hooks_.on_run_finished(*run);
      progress_->finished(run->status == "failed");
    }
  }

  /// Refits the space's finished runs that lack stability on subsamples (config `stability:`), then hands them over
  /// again.
  void add_stability(const SpaceRecord& space, const std::vector<std::size_t>& families) {
    if (!config_.stability.enabled()) return;
    std::vector<StabilityFamily> wanted;
    for (std::size_t f : families) {
      if (!local_[f]) continue;
      const AlgorithmConfig& algo = config_.algorithms[plan_.families[f].algorithm];
      StabilityFamily family{find_algorithm(algo.name), &algo.params, &space.points, plan_.families[f].seed, {}};
      for (auto& run : family_runs_[f])
        if (!run.key.empty() && run.scored && needs_stability(run, config_.stability)) family.runs.push_back(&run);
      if (!family.runs.empty()) wanted.push_back(std::move(family));
    }
    if (wanted.empty()) return;
    measure_stability(wanted, config_.stability, executor_);
    for (const auto& family : wanted)
      for (const auto* run : family.runs)
        if (hooks_.on_run_finished) hooks_.on_run_finished(*run);
  }

  const GridConfig& config_;
  const RunnerHooks& hooks_;
  const Executor& executor_;
  GridResult& result_;
  std::vector<SpaceInput> space_inputs_;
  GridPlan plan_;
  std::vector<bool> local_;                          // per family: fitted by this process
  std::vector<std::vector<RunRecord>> family_runs_;  // per family, one slot per k
  std::unique_ptr<Progress> progress_;
};

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
  result.leaderboard = config.leaderboard;
  result.gap_references = config.gap_references;
  const int threads = hooks.threads_override >= 0 ? hooks.threads_override : config.threads;
  const auto executor = make_parallel_executor(threads, hooks.stop);
  prov.threads = executor->concurrency();

  GridExecution execution(config, hooks, *executor, result);
  execution.prepare();
  execution.execute();
  execution.collect();
  // Stored runs are profiled again, so that every profile uses this config's segment table.
  if (result.customers)
    for (auto& run : result.runs)
      if (!run.profile && !run.labels.empty() && run.status != kElsewhere)
        run.profile = profile_run(*result.customers, run.labels);
  prov.finished_utc = utc_now();
  return result;
}

GridEstimate estimate_config(const GridConfig& config, int threads, double memory_budget_bytes) {
  const auto executor = make_parallel_executor(threads >= 0 ? threads : config.threads);
  auto loaded = load_grid_data(config, *executor);
  handle_constant_columns(loaded.data, config.prep.drop_constant, config.path);
  check_k_fits(config, loaded.data);
  return estimate_grid(config, loaded.data.rows(), loaded.data.cols(), executor->concurrency(),
                       memory_budget_bytes > 0 ? memory_budget_bytes : default_memory_budget());
}

}  // namespace cb::grid
