// Google Benchmark for K-Means: the whole fit (n = 1,000,000, d = 8, k = 10,
// n_init as the peer), the seeding alone, one Lloyd assignment pass (public
// assign_nearest, and the distance kernel alone as the iterations run it), and
// the all-k variant.
//
// Input: CB_KMEANS_DATA names a raw little-endian float64 file, row-major with
// CB_KMEANS_D columns (default 8), written by bench/peers/kmeans_sklearn.py so
// scikit-learn fits exactly the same points (bench/compare_kmeans.sh does it).
// Without it, blobs are generated here (same shape, not the peer's points).
// CB_KMEANS_N_INIT sets n_init (default 3), CB_KMEANS_K sets k (default 10),
// CB_KMEANS_SEED the seed of the fit (default 42).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/cluster/kmeans_kernels.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/rng.hpp"

namespace {

using namespace cb;

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

Matrix generate_blobs(Index n, Index d, int centers, std::uint64_t seed) {
  Rng rng(seed);
  Matrix c(centers, d);
  for (Index j = 0; j < c.size(); ++j) c.data()[j] = -10.0 + 20.0 * rng.uniform();
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i) {
    const auto j = static_cast<Index>(rng.below(static_cast<std::uint64_t>(centers)));
    for (Index f = 0; f < d; ++f) x(i, f) = c(j, f) + 4.0 * rng.normal();
  }
  return x;
}

const Matrix& bench_points() {
  static const Matrix points = [] {
    const Index d = env_int("CB_KMEANS_D", 8);
    if (const char* path = std::getenv("CB_KMEANS_DATA"); path && *path) {
      std::ifstream in(path, std::ios::binary | std::ios::ate);
      if (!in) throw std::runtime_error(std::string("cannot open CB_KMEANS_DATA=") + path);
      const auto bytes = static_cast<Index>(in.tellg());
      Matrix x(bytes / static_cast<Index>(sizeof(double)) / d, d);
      in.seekg(0);
      in.read(reinterpret_cast<char*>(x.data()), static_cast<std::streamsize>(x.size() * sizeof(double)));
      return x;
    }
    return generate_blobs(1'000'000, d, 10, 0);
  }();
  return points;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

const Executor& executor_for(int threads) {
  static std::unique_ptr<Executor> one = make_parallel_executor(1);
  static std::unique_ptr<Executor> two = make_parallel_executor(2);
  return threads == 1 ? *one : *two;
}

void BM_KMeans(benchmark::State& state, cluster::KMeansMethod method) {
  const Matrix& x = bench_points();
  const Executor& ex = executor_for(static_cast<int>(state.range(0)));
  cluster::KMeansOptions options;
  options.n_init = env_int("CB_KMEANS_N_INIT", 3);
  options.method = method;
  const int k = env_int("CB_KMEANS_K", 10);
  cluster::KMeansResult result;
  const double cpu_start = process_cpu_seconds();
  for (auto _ : state) {
    result = cluster::kmeans(x, k, options, static_cast<std::uint64_t>(env_int("CB_KMEANS_SEED", 42)), ex);
    benchmark::DoNotOptimize(result.inertia);
  }
  // CPU time of all threads: on a loaded machine a fairer measure of work than wall time.
  state.counters["process_cpu_s"] = (process_cpu_seconds() - cpu_start) / static_cast<double>(state.iterations());
  state.counters["n_init"] = options.n_init;
  state.counters["kmeans_iterations"] = result.iterations;
  state.counters["inertia"] = result.inertia;
  // Share of the point–centre distances plain Lloyd would compute.
  state.counters["distance_share"] =
      static_cast<double>(result.distance_evaluations) / (static_cast<double>(x.rows()) * k * (result.iterations + 1));
}
BENCHMARK_CAPTURE(BM_KMeans, hamerly, cluster::KMeansMethod::hamerly)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_KMeans, lloyd, cluster::KMeansMethod::lloyd)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_KMeansPlusPlus(benchmark::State& state) {
  const Matrix& x = bench_points();
  const Executor& ex = executor_for(static_cast<int>(state.range(0)));
  const int k = env_int("CB_KMEANS_K", 10);
  for (auto _ : state) {
    Rng rng(7);
    auto seeds = cluster::kmeans_plusplus(x, k, rng, ex);
    benchmark::DoNotOptimize(seeds.data());
  }
}
BENCHMARK(BM_KMeansPlusPlus)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

// One full assignment pass (the Lloyd E-step): n·k·d·3 flops over n·d·8 bytes.
void BM_AssignNearest(benchmark::State& state) {
  const Matrix& x = bench_points();
  const Executor& ex = executor_for(static_cast<int>(state.range(0)));
  const int k = env_int("CB_KMEANS_K", 10);
  Matrix centres = x.topRows(k);
  for (auto _ : state) {
    auto labels = cluster::assign_nearest(x, centres, ex);
    benchmark::DoNotOptimize(labels.data());
  }
  const double flops = 3.0 * static_cast<double>(x.size()) * k;
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GB/s"] =
      benchmark::Counter(static_cast<double>(x.size()) * 8e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AssignNearest)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

// The nearest-centre kernel alone, reading the feature-major copy in place as
// the Lloyd/Hamerly passes do, one thread: its GFLOP/s against the core's peak
// says whether the pass is compute- or bandwidth-bound.
void BM_NearestKernel(benchmark::State& state) {
  const Matrix& x = bench_points();
  const auto points = cluster::detail::points_ref(x);
  const cluster::detail::Columns columns = cluster::detail::columns_of(points, serial_executor());
  const int k = env_int("CB_KMEANS_K", 10);
  Matrix centres = x.topRows(k);
  const auto n = static_cast<std::size_t>(x.rows());
  Label nearest[cluster::detail::kTile];
  double best[cluster::detail::kTile], second[cluster::detail::kTile];
  for (auto _ : state) {
    for (std::size_t b = 0; b < n; b += cluster::detail::kTile) {
      cluster::detail::tile_nearest(columns.tile(b), columns.stride, x.cols(), centres.data(), k, nearest, best,
                                    second);
      benchmark::DoNotOptimize(best[0]);
    }
  }
  const double flops = 3.0 * static_cast<double>(x.size()) * k;
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GB/s"] =
      benchmark::Counter(static_cast<double>(x.size()) * 8e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_NearestKernel)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// k = 2..10 for the grid: one seeding per restart shared by all k.
void BM_KMeansAllK(benchmark::State& state) {
  const Matrix& x = bench_points();
  const Executor& ex = executor_for(2);
  cluster::KMeansOptions options;
  options.n_init = env_int("CB_KMEANS_N_INIT", 3);
  std::vector<int> ks;
  for (int k = 2; k <= 10; ++k) ks.push_back(k);
  for (auto _ : state) {
    if (state.range(0) == 1) {
      auto all = cluster::kmeans_all_k(x, ks, options, 42, ex);
      benchmark::DoNotOptimize(all.data());
    } else {
      for (int k : ks) {
        auto one = cluster::kmeans(x, k, options, 42, ex);
        benchmark::DoNotOptimize(one.inertia);
      }
    }
  }
}
BENCHMARK(BM_KMeansAllK)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("shared")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
