// Google Benchmarks for DBSCAN at n = 100,000, d = 3: one fit at a fixed eps, and
// target-k for k = 2..11 from one structure. Points from $CB_BENCH_DIR/dbscan_points.txt
// (written by bench/peers/dbscan_sklearn.py) else generated; the target-k run writes
// the eps it found to $CB_BENCH_DIR/dbscan_target_eps.txt for the peer.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "clusterbench/cluster/dbscan.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/io/dataset_readers.hpp"

using namespace cb;

namespace {

constexpr double kEps = 0.4;
constexpr int kMinSamples = 10;

const Matrix& points() {
  static const Matrix x = [] {
    if (const char* dir = std::getenv("CB_BENCH_DIR")) return io::read_benchmark(std::string(dir) + "/dbscan_points.txt").values;
    Rng rng(11);
    Matrix m(100000, 3);
    for (Index i = 0; i < m.rows(); ++i)
      for (Index j = 0; j < 3; ++j) m(i, j) = i % 10 == 9 ? rng.uniform() * 60.0 - 5.0 : 5.0 * double((i + j) % 10) + rng.normal();
    return m;
  }();
  return x;
}

void BM_dbscan_100k_d3(benchmark::State& state) {
  const auto executor = make_parallel_executor(int(state.range(0)));
  cluster::DbscanResult r;
  for (auto _ : state) {
    r = cluster::dbscan(points(), {kEps, kMinSamples}, *executor);
    benchmark::DoNotOptimize(r.labels.data());
  }
  state.counters["clusters"] = r.clusters;
  state.counters["noise"] = double(r.noise_points);
}

void BM_dbscan_target_k_2_to_11(benchmark::State& state) {
  const auto executor = make_parallel_executor(int(state.range(0)));
  std::vector<int> ks;
  for (int k = 2; k <= 11; ++k) ks.push_back(k);
  std::vector<cluster::DbscanTargetResult> results;
  for (auto _ : state) {
    results = cluster::dbscan_for_cluster_counts(points(), ks, {kMinSamples}, *executor);
    benchmark::DoNotOptimize(results.data());
  }
  int exact = 0;
  for (const auto& r : results) exact += r.exact;
  state.counters["exact"] = exact;
  if (const char* dir = std::getenv("CB_BENCH_DIR")) {
    std::ofstream out(std::string(dir) + "/dbscan_target_eps.txt");
    out.precision(17);
    for (const auto& r : results) out << r.eps << '\n';
  }
}

}  // namespace

// CPU time is the whole process's (all threads), comparable with the peer's process time.
BENCHMARK(BM_dbscan_100k_d3)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_dbscan_target_k_2_to_11)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Iterations(1);

BENCHMARK_MAIN();
