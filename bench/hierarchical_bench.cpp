// Google Benchmarks for hierarchical clustering. Inputs: $CB_BENCH_DIR/hier_points_<n>.txt
// written by bench/peers/hierarchical_sklearn.py so both sides time the same
// points, else generated Gaussian blobs (n from the benchmark argument, d = 8).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/io/dataset_readers.hpp"

using namespace cb;

namespace {

Matrix blobs(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  Matrix centers(10, d);
  for (Index c = 0; c < 10; ++c)
    for (Index j = 0; j < d; ++j) centers(c, j) = 10.0 * rng.uniform();
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = centers(i % 10, j) + rng.normal();
  return x;
}

Matrix input(Index n) {
  if (const char* dir = std::getenv("CB_BENCH_DIR")) {
    const std::string path = std::string(dir) + "/hier_points_" + std::to_string(n) + ".txt";
    if (std::filesystem::exists(path)) return io::read_benchmark(path).values;
  }
  return blobs(n, 8, 42);
}

void run(benchmark::State& state, cluster::Linkage linkage, cluster::HierarchyMethod method) {
  const Matrix x = input(state.range(0));
  const auto executor = make_parallel_executor(0);
  cluster::HierarchicalOptions options;
  options.linkage = linkage;
  options.method = method;
  cluster::HierarchicalTree tree;
  for (auto _ : state) {
    tree = cluster::hierarchical_tree(x, options, *executor);
    benchmark::DoNotOptimize(tree.merges.data());
  }
  state.counters["n"] = double(x.rows());
  state.counters["leaves"] = double(tree.leaves);
}

/// The grid's use at scale: the micro-cluster tree, then its cuts at k = 2..11.
void BM_ward_micro_clusters_cut_2_to_11(benchmark::State& state) {
  const Matrix x = input(state.range(0));
  const auto executor = make_parallel_executor(0);
  cluster::HierarchicalOptions options;
  options.method = cluster::HierarchyMethod::micro_clusters;
  options.micro_clusters = state.range(1);
  cluster::HierarchicalTree tree;
  for (auto _ : state) {
    tree = cluster::hierarchical_tree(x, options, *executor);
    for (int k = 2; k <= 11; ++k) benchmark::DoNotOptimize(cluster::cut_tree(tree, k).data());
  }
  state.counters["n"] = double(x.rows());
  state.counters["leaves"] = double(tree.leaves);
  state.counters["summary_inertia_per_point"] = tree.summary_inertia / double(x.rows());
}

void BM_ward_auto(benchmark::State& s) { run(s, cluster::Linkage::ward, cluster::HierarchyMethod::automatic); }
void BM_ward_matrix(benchmark::State& s) { run(s, cluster::Linkage::ward, cluster::HierarchyMethod::distance_matrix); }
void BM_ward_centroids(benchmark::State& s) {
  run(s, cluster::Linkage::ward, cluster::HierarchyMethod::ward_centroids);
}
void BM_complete(benchmark::State& s) { run(s, cluster::Linkage::complete, cluster::HierarchyMethod::automatic); }
void BM_average(benchmark::State& s) { run(s, cluster::Linkage::average, cluster::HierarchyMethod::automatic); }
void BM_single(benchmark::State& s) { run(s, cluster::Linkage::single, cluster::HierarchyMethod::automatic); }

}  // namespace

BENCHMARK(BM_ward_auto)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_ward_matrix)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ward_centroids)
    ->Arg(5000)
    ->Arg(20000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_ward_micro_clusters_cut_2_to_11)
    ->Args({100000, 2048})
    ->Args({1000000, 2048})
    ->Args({1000000, 4096})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_complete)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_average)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_single)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
