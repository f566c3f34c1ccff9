// End-to-end grid: K-Means × k = 2..11 with silhouette scoring, on generated blobs.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "clusterbench/core/rng.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/runner.hpp"

namespace {

std::string blobs_csv(int n, int d, int centers) {
  const auto path = std::filesystem::temp_directory_path() / ("cb_grid_bench_" + std::to_string(n) + ".csv");
  if (std::filesystem::exists(path)) return path.string();
  cb::Rng rng(1);
  std::vector<std::vector<double>> means(static_cast<std::size_t>(centers), std::vector<double>(static_cast<std::size_t>(d)));
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

}  // namespace

BENCHMARK_MAIN();
