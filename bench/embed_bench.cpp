// Embedding benchmarks on inputs written by bench/peers/embed_data.py (directory
// in CB_EMBED_BENCH_DIR); bench/compare_embed.sh runs them next to scikit-learn.
// Times are wall-clock (real) and whole-process CPU time (all threads), so a
// shared, loaded machine can be judged by both. Extra mode: `bench_embed trustworthiness X.bin Y.bin k` prints
// trustworthiness.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/core/sampling.hpp"
#include "clusterbench/embed/pca.hpp"
#include "clusterbench/embed/trees.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "clusterbench/embed/tsne.hpp"
#include "clusterbench/embed/umap.hpp"

namespace {

using cb::Index;
using cb::Matrix;

cb::Matrix read_bin(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::int64_t shape[2] = {0, 0};
  if (!in.read(reinterpret_cast<char*>(shape), sizeof shape)) return {};
  Matrix m(shape[0], shape[1]);
  in.read(reinterpret_cast<char*>(m.data()), static_cast<std::streamsize>(sizeof(double) * m.size()));
  return m;
}

void write_bin(const std::string& path, const Matrix& m) {
  std::ofstream out(path, std::ios::binary);
  const std::int64_t shape[2] = {m.rows(), m.cols()};
  out.write(reinterpret_cast<const char*>(shape), sizeof shape);
  out.write(reinterpret_cast<const char*>(m.data()), static_cast<std::streamsize>(sizeof(double) * m.size()));
}

std::string data_dir() {
  const char* dir = std::getenv("CB_EMBED_BENCH_DIR");
  return dir ? dir : "";
}

const Matrix* input(const std::string& name) {
  static std::map<std::string, Matrix> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, read_bin(data_dir() + "/" + name + ".bin")).first;
  return it->second.rows() > 0 ? &it->second : nullptr;
}

const cb::Executor& executor() {
  static const auto ex = cb::make_parallel_executor(0);
  return *ex;
}

#define CB_INPUT_OR_SKIP(var, name)                                                            \
  const Matrix* var = input(name);                                                             \
  if (!var) {                                                                                  \
    state.SkipWithError("missing input: set CB_EMBED_BENCH_DIR (run bench/compare_embed.sh)"); \
    return;                                                                                    \
  }

void BM_Tsne(benchmark::State& state) {
  const std::string n = std::to_string(state.range(0));
  CB_INPUT_OR_SKIP(x, "blobs_" + n);
  cb::embed::TsneResult result;
  for (auto _ : state) result = cb::embed::tsne(*x, {}, 42, executor());
  state.SetLabel(
      "kl=" + std::to_string(result.kl_divergence));  // a label, not a counter: the CSV reporter needs equal counters
  write_bin(data_dir() + "/ours_tsne_" + n + ".bin", result.embedding);
}
BENCHMARK(BM_Tsne)
    ->Arg(5000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_Tsne)
    ->Arg(20000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Repetitions(1)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Barnes-Hut (0) against FFT (1) repulsion by size: where 'automatic' should switch. Inputs from
// bench/peers/embed_data.py (blobs_1000 ... blobs_10000).
void BM_TsneMethod(benchmark::State& state) {
  const std::string n = std::to_string(state.range(0));
  CB_INPUT_OR_SKIP(x, "blobs_" + n);
  cb::embed::TsneOptions o;
  o.repulsion = state.range(1) ? cb::embed::TsneRepulsion::fft : cb::embed::TsneRepulsion::barnes_hut;
  cb::embed::TsneResult result;
  for (auto _ : state) result = cb::embed::tsne(*x, o, 42, executor());
  write_bin(data_dir() + "/ours_tsne_" + n + "_" + std::to_string(state.range(1)) + ".bin", result.embedding);
}
BENCHMARK(BM_TsneMethod)
    ->ArgsProduct({{1000, 2000, 3000, 5000, 7000, 10000}, {0, 1}})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly()
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void BM_Pca(benchmark::State& state) {
  CB_INPUT_OR_SKIP(x, "pca_1000000");
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::pca_embedding(*x, {}, executor()));
}
BENCHMARK(BM_Pca)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->MeasureProcessCPUTime()->UseRealTime();

void BM_TreesRandom(benchmark::State& state) {
  CB_INPUT_OR_SKIP(x, "rfm_50000");
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::tree_embedding(*x, {}, 42, executor()));
}
BENCHMARK(BM_TreesRandom)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void BM_TreesSupervised(benchmark::State& state) {
  CB_INPUT_OR_SKIP(x, "rfm_50000");
  cb::embed::TreeEmbeddingOptions options;
  options.mode = cb::embed::TreeMode::supervised;
  options.target_column = 2;  // monetary
  cb::embed::TreeEmbeddingResult result;
  for (auto _ : state) result = cb::embed::tree_embedding(*x, options, 42, executor());
  state.SetLabel("oob_r2=" + std::to_string(result.oob_r2));
}
BENCHMARK(BM_TreesSupervised)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void BM_Umap(benchmark::State& state) {
  CB_INPUT_OR_SKIP(x, "blobs_" + std::to_string(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::umap(*x, {}, 42, executor()));
}
BENCHMARK(BM_Umap)
    ->Arg(20000)
    ->Arg(100000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Repetitions(1)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Sampled trustworthiness (the grid's path beyond its exact budget): 10,000
// sample points against all n, on generated blobs (8-D, 10 clusters) and their
// 2-D PCA projection; k = 10. Args: n, threads. executed_GFLOPs counts 3 flops
// per feature per (sample point, point) pair, both passes (8 + 2 features).
struct TrustworthinessInputs {
  Matrix points, embedding;
};

const TrustworthinessInputs& trustworthiness_inputs(Index n) {
  static std::map<Index, TrustworthinessInputs> cache;  // generated once per size
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  cb::Rng rng(7);
  Matrix centres(10, 8), x(n, 8);
  for (Index c = 0; c < 10; ++c)
    for (Index f = 0; f < 8; ++f) centres(c, f) = 4.0 * rng.normal();
  for (Index i = 0; i < n; ++i) {
    const auto c = static_cast<Index>(rng.below(10));
    for (Index f = 0; f < 8; ++f) x(i, f) = centres(c, f) + rng.normal();
  }
  Matrix y = cb::embed::pca_embedding(x, {}, executor());
  return cache.emplace(n, TrustworthinessInputs{std::move(x), std::move(y)}).first->second;
}

void BM_TrustworthinessSampled(benchmark::State& state) {
  const Index n = state.range(0);
  const Index sample = 10000;
  const auto& in = trustworthiness_inputs(n);
  const auto rows = cb::uniform_row_sample(n, sample, 42);
  auto ex = cb::make_parallel_executor(static_cast<int>(state.range(1)));
  cb::embed::TrustworthinessEstimate estimate{};
  for (auto _ : state) estimate = cb::embed::trustworthiness_sampled(in.points, in.embedding, 10, rows, *ex);
  const double pairs = static_cast<double>(n) * sample * static_cast<double>(state.iterations());
  state.counters["pairs_per_s"] = benchmark::Counter(pairs, benchmark::Counter::kIsRate);
  state.counters["executed_GFLOPs"] = benchmark::Counter(pairs * 3 * (8 + 2) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["trustworthiness"] = estimate.value;
  state.counters["ci_halfwidth"] = (estimate.ci_high - estimate.ci_low) / 2;
}
BENCHMARK(BM_TrustworthinessSampled)
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_TrustworthinessSampled)
    ->Args({1000000, 2})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "trustworthiness") {
    const Matrix x = read_bin(argv[2]), y = read_bin(argv[3]);
    if (x.rows() == 0 || x.rows() != y.rows()) {
      std::fprintf(stderr, "trustworthiness: cannot read matching inputs\n");
      return 1;
    }
    std::printf("%.6f\n", cb::embed::trustworthiness(x, y, std::atoi(argv[4]), executor()));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
