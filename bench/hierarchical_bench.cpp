// Google Benchmarks for hierarchical clustering. Inputs: a CSV written by
// bench/peers/hierarchical_sklearn.py (env CB_BENCH_HIER_CSV) so both sides time
// the same points, else generated Gaussian blobs (n from the benchmark argument).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/core/rng.hpp"

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

Matrix read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<double> values;
  Index rows = 0, cols = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string cell;
    Index c = 0;
    while (std::getline(ss, cell, ',')) values.push_back(std::stod(cell)), ++c;
    cols = c;
    ++rows;
  }
  Matrix x(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) x(i, j) = values[std::size_t(i * cols + j)];
  return x;
}

Matrix input(Index n) {
  if (const char* path = std::getenv("CB_BENCH_HIER_CSV")) return read_csv(path);
  return blobs(n, 8, 42);
}

void run(benchmark::State& state, cluster::Linkage linkage, cluster::HierarchyMethod method) {
  const Matrix x = input(state.range(0));
  const auto executor = make_parallel_executor(0);
  cluster::HierarchicalOptions options;
  options.linkage = linkage;
  options.method = method;
  for (auto _ : state) {
    auto tree = cluster::hierarchical_tree(x, options, *executor);
    benchmark::DoNotOptimize(tree.merges.data());
  }
  state.counters["n"] = double(x.rows());
}

void BM_ward_auto(benchmark::State& s) { run(s, cluster::Linkage::ward, cluster::HierarchyMethod::automatic); }
void BM_ward_matrix(benchmark::State& s) { run(s, cluster::Linkage::ward, cluster::HierarchyMethod::distance_matrix); }
void BM_ward_centroids(benchmark::State& s) { run(s, cluster::Linkage::ward, cluster::HierarchyMethod::ward_centroids); }
void BM_complete(benchmark::State& s) { run(s, cluster::Linkage::complete, cluster::HierarchyMethod::automatic); }
void BM_average(benchmark::State& s) { run(s, cluster::Linkage::average, cluster::HierarchyMethod::automatic); }
void BM_single(benchmark::State& s) { run(s, cluster::Linkage::single, cluster::HierarchyMethod::automatic); }

}  // namespace

BENCHMARK(BM_ward_auto)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ward_matrix)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ward_centroids)->Arg(5000)->Arg(20000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_complete)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_average)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_single)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
