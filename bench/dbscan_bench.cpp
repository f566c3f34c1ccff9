// Google Benchmarks for DBSCAN at n = 100,000, d = 3: one fit at a fixed eps, and
// target-k for k = 2..11 from one structure. Points from $CB_BENCH_DIR/dbscan_points.txt
// (written by bench/peers/dbscan_sklearn.py) else generated; the target-k run writes
// the eps it found to $CB_BENCH_DIR/dbscan_target_eps.txt for the peer.
// At scale: target-k on 1,000,000 generated points in 2 and 6 dimensions.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
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
    if (const char* dir = std::getenv("CB_BENCH_DIR"))
      return io::read_benchmark(std::string(dir) + "/dbscan_points.txt").values;
    Rng rng(11);
    Matrix m(100000, 3);
    for (Index i = 0; i < m.rows(); ++i)
      for (Index j = 0; j < 3; ++j)
        m(i, j) = i % 10 == 9 ? rng.uniform() * 60.0 - 5.0 : 5.0 * double((i + j) % 10) + rng.normal();
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

/// Ten Gaussian blobs in [0, 10]^d; every third column heavy-tailed (noise / √uniform), like spend columns.
Matrix heavy_tailed_blobs(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  Matrix centers(10, d);
  for (Index c = 0; c < 10; ++c)
    for (Index j = 0; j < d; ++j) centers(c, j) = 10.0 * rng.uniform();
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) {
      double noise = rng.normal();
      if (j % 3 == 0) noise /= std::sqrt(std::max(rng.uniform(), 1e-6));
      x(i, j) = centers(i % 10, j) + noise;
    }
  return x;
}

/// Target-k for k = 2..11 with min_samples 5 on range(0) points in range(1) dimensions.
void BM_dbscan_target_k_at_scale(benchmark::State& state) {
  const Matrix x = heavy_tailed_blobs(state.range(0), state.range(1), 42);
  const auto executor = make_parallel_executor(0);
  std::vector<int> ks;
  for (int k = 2; k <= 11; ++k) ks.push_back(k);
  std::vector<cluster::DbscanTargetResult> results;
  for (auto _ : state) {
    results = cluster::dbscan_for_cluster_counts(x, ks, {5}, *executor);
    benchmark::DoNotOptimize(results.data());
  }
  int exact = 0;
  for (const auto& r : results) exact += r.exact;
  state.counters["exact"] = exact;
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
BENCHMARK(BM_dbscan_target_k_at_scale)
    ->Args({1000000, 2})
    ->Args({1000000, 6})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Iterations(1);

BENCHMARK_MAIN();
