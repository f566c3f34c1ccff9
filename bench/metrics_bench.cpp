// Benchmarks of the metrics kernels. With CB_METRICS_BENCH_DIR set (by
// bench/compare_metrics.sh), points.csv and labels.csv written there by
// bench/peers/metrics_sklearn.py are used, so scikit-learn and we score the
// same values; otherwise equivalent blobs are generated here.
//
// Counters: pairs/s over the n² ordered pairs; GFLOPs = equivalent rate of the
// naive method, 3d flops per ordered pair for the distance (subtract, multiply,
// add per feature) + 1 square root + 1 add per labeling into the cluster sums;
// executed_GFLOPs = what the kernel really does: each distance once per
// unordered pair (n²/2 · (3d+1)) plus the n²·L adds (the one-hot GEMM variant
// executes more: 2 flops per stacked one-hot column, not counted here).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/metrics/dbcv.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "clusterbench/metrics/silhouette.hpp"

namespace {

using cb::Index;

struct Inputs {
  cb::Matrix points;
  std::vector<cb::Labels> labelings;
};

std::vector<std::vector<double>> read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) row.push_back(std::strtod(field.c_str(), nullptr));
    rows.push_back(std::move(row));
  }
  return rows;
}

Inputs generate(Index n, Index d, int k, int labelings) {
  cb::Rng rng(20240);
  cb::Matrix centres(k, d);
  for (Index c = 0; c < k; ++c)
    for (Index f = 0; f < d; ++f) centres(c, f) = 6.0 * rng.normal();
  Inputs in{cb::Matrix(n, d),
            std::vector<cb::Labels>(static_cast<std::size_t>(labelings), cb::Labels(static_cast<std::size_t>(n)))};
  for (Index i = 0; i < n; ++i) {
    const auto c = static_cast<cb::Label>(rng.below(static_cast<std::uint64_t>(k)));
    in.labelings[0][static_cast<std::size_t>(i)] = c;
    for (Index f = 0; f < d; ++f) in.points(i, f) = centres(c, f) + rng.normal();
  }
  for (int l = 1; l < labelings; ++l) {
    const int kk = 2 + (l - 1) % k;
    for (Index i = 0; i < n; ++i)
      in.labelings[static_cast<std::size_t>(l)][static_cast<std::size_t>(i)] =
          static_cast<cb::Label>(rng.below(static_cast<std::uint64_t>(kk)));
  }
  return in;
}

const Inputs& inputs() {
  static const Inputs cached = [] {
    const char* dir = std::getenv("CB_METRICS_BENCH_DIR");
    if (!dir) return generate(20000, 8, 10, 40);
    const auto points = read_csv(std::string(dir) + "/points.csv");
    const auto labels = read_csv(std::string(dir) + "/labels.csv");
    Inputs in{cb::Matrix(static_cast<Index>(points.size()), static_cast<Index>(points.front().size())),
              std::vector<cb::Labels>(labels.front().size(), cb::Labels(points.size()))};
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::size_t f = 0; f < points[i].size(); ++f)
        in.points(static_cast<Index>(i), static_cast<Index>(f)) = points[i][f];
      for (std::size_t l = 0; l < labels[i].size(); ++l) in.labelings[l][i] = static_cast<cb::Label>(labels[i][l]);
    }
    return in;
  }();
  return cached;
}

// Args: threads, labelings, row_tile, col_tile.
void BM_silhouette(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  const auto count = static_cast<std::size_t>(state.range(1));
  const auto& in = inputs();
  const std::vector<cb::Labels> labelings(in.labelings.begin(),
                                          in.labelings.begin() + static_cast<std::ptrdiff_t>(count));
  cb::metrics::SilhouetteOptions options;
  options.row_tile = state.range(2);
  options.col_tile = state.range(3);
  auto executor = cb::make_parallel_executor(threads);
  double checksum = 0;
  for (auto _ : state) {
    const auto results = cb::metrics::silhouette_many(in.points, labelings, options, *executor);
    checksum += results.front().mean;
    benchmark::DoNotOptimize(checksum);
  }
  const double n = static_cast<double>(in.points.rows());
  const double d = static_cast<double>(in.points.cols());
  const double pairs = n * n * static_cast<double>(state.iterations());
  state.counters["pairs_per_s"] = benchmark::Counter(pairs, benchmark::Counter::kIsRate);
  const double labels = static_cast<double>(count);
  state.counters["GFLOPs"] = benchmark::Counter(pairs * (3 * d + 1 + labels) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["executed_GFLOPs"] =
      benchmark::Counter(pairs * ((3 * d + 1) / 2 + labels) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["n"] = n;
  state.counters["d"] = d;
  state.counters["silhouette"] = checksum / static_cast<double>(state.iterations());
}

void silhouette_args(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2}) {
    b->Args({threads, 1, 0, 0});
    b->Args({threads, 40, 0, 0});
  }
  b->ArgNames({"threads", "labelings", "row_tile", "col_tile"});
}
BENCHMARK(BM_silhouette)->Apply(silhouette_args)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// Tile-size sweep (used to choose the defaults).
void tile_args(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2})
    for (int labelings : {1, 40})
      for (int rows : {128, 256, 512})
        for (int cols : {32, 64}) b->Args({threads, labelings, rows, cols});
  b->ArgNames({"threads", "labelings", "row_tile", "col_tile"});
}
BENCHMARK(BM_silhouette)
    ->Name("BM_silhouette_tiles")
    ->Apply(tile_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Sampled silhouette (the grid's path beyond its exact budget): s sample rows
// against all n points, 40 labelings (k = 2..11). Args: n, sample size,
// threads, row_tile, col_tile. Counters: executed_GFLOPs = s·n·(3d + 1 + L)
// (each distance: d subtracts, multiplies and adds, a square root; one add per labeling).
const Inputs& generated(Index n) {
  static std::map<Index, Inputs> cache;  // generated once per size: 1M points take a while
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, generate(n, 8, 10, 40)).first;
  return it->second;
}

void BM_silhouette_sampled(benchmark::State& state) {
  const Index n = state.range(0);
  const Index size = state.range(1);
  const auto& in = generated(n);
  const auto rows = cb::metrics::silhouette_sample(n, size, 42);
  cb::metrics::SilhouetteOptions options;
  options.sample_rows = rows;
  options.row_tile = state.range(3);
  options.col_tile = state.range(4);
  auto executor = cb::make_parallel_executor(static_cast<int>(state.range(2)));
  std::vector<cb::metrics::SilhouetteResult> results;
  for (auto _ : state) {
    results = cb::metrics::silhouette_many(in.points, in.labelings, options, *executor);
    benchmark::DoNotOptimize(results.data());
  }
  const double d = static_cast<double>(in.points.cols());
  const double labelings = static_cast<double>(in.labelings.size());
  const double pairs = static_cast<double>(n) * static_cast<double>(size) * static_cast<double>(state.iterations());
  state.counters["pairs_per_s"] = benchmark::Counter(pairs, benchmark::Counter::kIsRate);
  state.counters["executed_GFLOPs"] =
      benchmark::Counter(pairs * (3 * d + 1 + labelings) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["labelings"] = labelings;
  state.counters["silhouette_k10"] = results.front().mean;
  state.counters["ci_halfwidth_k10"] = (results.front().ci_high - results.front().ci_low) / 2;
}

void silhouette_sampled_args(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2}) b->Args({100000, 10000, threads, 0, 0});
  b->ArgNames({"n", "sample", "threads", "row_tile", "col_tile"});
}
BENCHMARK(BM_silhouette_sampled)
    ->Apply(silhouette_sampled_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
// The grid's target size: one iteration is enough (about ten seconds).
BENCHMARK(BM_silhouette_sampled)
    ->Args({1000000, 10000, 2, 0, 0})
    ->ArgNames({"n", "sample", "threads", "row_tile", "col_tile"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
// Tile-size sweep (used to choose the defaults).
void silhouette_sampled_tile_args(benchmark::internal::Benchmark* b) {
  for (int rows : {64, 128, 256})
    for (int cols : {32, 64, 128}) b->Args({100000, 10000, 1, rows, cols});
  b->ArgNames({"n", "sample", "threads", "row_tile", "col_tile"});
}
BENCHMARK(BM_silhouette_sampled)
    ->Name("BM_silhouette_sampled_tiles")
    ->Apply(silhouette_sampled_tile_args)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// One score of the first labeling at 1 and 2 threads; the benchmark's name is the score's.
using LabelingScore = double (*)(cb::MatrixView, const cb::Labels&, const cb::Executor&);
void BM_labeling_score(benchmark::State& state, LabelingScore score) {
  const auto& in = inputs();
  auto executor = cb::make_parallel_executor(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(score(in.points, in.labelings[0], *executor));
}
void labeling_score_args(benchmark::internal::Benchmark* b) {
  b->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
}
BENCHMARK_CAPTURE(BM_labeling_score, calinski_harabasz, &cb::metrics::calinski_harabasz)
    ->Name("BM_calinski_harabasz")
    ->Apply(labeling_score_args);
BENCHMARK_CAPTURE(BM_labeling_score, davies_bouldin, &cb::metrics::davies_bouldin)
    ->Name("BM_davies_bouldin")
    ->Apply(labeling_score_args);
// DBCV (per cluster: all-points core distances, Prim's tree of mutual reachability,
// separations): the grid scores every density-based run with it.
BENCHMARK_CAPTURE(BM_labeling_score, dbcv, &cb::metrics::dbcv)->Name("BM_dbcv")->Apply(labeling_score_args);

}  // namespace

BENCHMARK_MAIN();
