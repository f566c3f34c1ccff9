// End-to-end grid: K-Means × k = 2..11 with silhouette scoring, on generated blobs;
// and the cost the grid adds per run on customer data: profiling a run's
// clusters, and storing the profiles of 200 runs (configs/default.yaml's size).
// The profile benchmarks read data/transactions/online_retail.csv.gz: run from the project root.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "clusterbench/core/rng.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/run_profiles.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/store/result_store.hpp"

namespace {

std::string blobs_csv(int n, int d, int centers) {
  const auto path = std::filesystem::temp_directory_path() / ("cb_grid_bench_" + std::to_string(n) + ".csv");
  if (std::filesystem::exists(path)) return path.string();
  cb::Rng rng(1);
  std::vector<std::vector<double>> means(static_cast<std::size_t>(centers),
                                         std::vector<double>(static_cast<std::size_t>(d)));
  for (auto& m : means)
    for (auto& v : m) v = 10.0 * rng.normal();
  std::ofstream out(path);
  for (int j = 0; j < d; ++j) out << (j ? "," : "") << "x" << j;
  out << "\n";
  for (int i = 0; i < n; ++i) {
    const auto& m = means[static_cast<std::size_t>(i % centers)];
    for (int j = 0; j < d; ++j) out << (j ? "," : "") << m[static_cast<std::size_t>(j)] + rng.normal();
    out << "\n";
  }
  return path.string();
}

void BM_GridKMeansAllK(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::string data = blobs_csv(n, 8, 6);
  const std::string yaml = "name: bench\ndataset:\n  type: features\n  path: " + data +
                           "\nalgorithms:\n  - name: kmeans\n    k: [2, 11]\n    params: {n_init: 3}\n";
  const auto config = cb::grid::parse_config(yaml, "bench.yaml");
  cb::grid::RunnerHooks hooks;
  for (auto _ : state) {
    auto result = cb::grid::run_grid(config, hooks);
    benchmark::DoNotOptimize(result.runs.data());
  }
  state.counters["runs"] = 10;
}
BENCHMARK(BM_GridKMeansAllK)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The full Online Retail customers as configs/default.yaml loads them, and one
/// labeling per run of that grid (k = 2..11, 20 runs per k) drawn at random.
struct CustomerRuns {
  cb::records::GridResult result;
  bool loaded = false;
};

const CustomerRuns& customer_runs() {
  static CustomerRuns runs = [] {
    CustomerRuns out;
    if (!std::filesystem::exists("data/transactions/online_retail.csv.gz")) return out;
    const auto config = cb::grid::parse_config(
        "dataset:\n  type: transactions\n  path: data/transactions/online_retail.csv.gz\n  snapshot: 2011-12-10\n"
        "algorithms:\n  - {name: kmeans, k: 2}\n",
        "bench.yaml");
    auto loaded = cb::grid::load_grid_data(config);
    out.result.data = std::move(loaded.data);
    out.result.customers = std::move(loaded.customers);
    cb::Rng rng(7);
    const auto n = static_cast<std::size_t>(out.result.data.rows());
    for (int run = 0; run < 200; ++run) {
      cb::records::RunRecord record;
      record.key = "run" + std::to_string(run);
      record.k = 2 + run % 10;
      record.labels.resize(n);
      for (auto& l : record.labels) l = static_cast<cb::Label>(rng.below(static_cast<std::uint64_t>(record.k)));
      out.result.runs.push_back(std::move(record));
    }
    out.loaded = true;
    return out;
  }();
  return runs;
}

void BM_ProfileOneRun(benchmark::State& state) {
  const auto& runs = customer_runs();
  if (!runs.loaded)
    return state.SkipWithError("run from the project root (needs data/transactions/online_retail.csv.gz)");
  const auto& run = runs.result.runs[9];  // k = 11
  for (auto _ : state) {
    auto profile = cb::grid::profile_run(*runs.result.customers, run.labels);
    benchmark::DoNotOptimize(profile.clusters.rows.data());
  }
  state.counters["customers"] = static_cast<double>(run.labels.size());
}
BENCHMARK(BM_ProfileOneRun)->Unit(benchmark::kMicrosecond)->UseRealTime();

/// Writing the results file of 200 runs with (1) and without (0) their profiles.
void BM_WriteResults200Runs(benchmark::State& state) {
  const auto& runs = customer_runs();
  if (!runs.loaded)
    return state.SkipWithError("run from the project root (needs data/transactions/online_retail.csv.gz)");
  auto result = runs.result;
  if (state.range(0)) {
    for (auto& run : result.runs) run.profile = cb::grid::profile_run(*result.customers, run.labels);
  } else {
    result.customers.reset();
  }
  const auto path = (std::filesystem::temp_directory_path() / "cb_grid_bench_profiles.h5").string();
  for (auto _ : state) cb::store::write_results(path, result);
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteResults200Runs)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
