// The CI speed gate: every kernel and the end-to-end grid at sizes that take
// tens to hundreds of milliseconds, plus two calibration loops (scalar
// floating point, memory streaming) whose times are the unit. bench/check_regression.py
// divides each case's median by the calibration, so the committed baseline
// (bench/regression_baseline.json) carries over between machines of
// different speed, and fails on a slowdown beyond its tolerance.
//
// Kernels run on one thread (serial speed, least sensitive to a shared
// machine); the end-to-end grid on two (the scheduler is part of what it checks).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "clusterbench/cluster/dbscan.hpp"
#include "clusterbench/cluster/gmm.hpp"
#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/pca.hpp"
#include "clusterbench/embed/trees.hpp"
#include "clusterbench/embed/tsne.hpp"
#include "clusterbench/embed/umap.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/metrics/silhouette.hpp"
#include "clusterbench/neighbors/knn.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/features.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "clusterbench/rfm/segments.hpp"

namespace {

/// n points in d dimensions around `centers` Gaussian blobs (spread 10, unit noise).
cb::Matrix blobs(cb::Index n, cb::Index d, int centers, std::uint64_t seed = 1) {
  cb::Rng rng(seed);
  cb::Matrix means(centers, d), x(n, d);
  for (cb::Index c = 0; c < centers; ++c)
    for (cb::Index j = 0; j < d; ++j) means(c, j) = 10.0 * rng.normal();
  for (cb::Index i = 0; i < n; ++i)
    for (cb::Index j = 0; j < d; ++j) x(i, j) = means(i % centers, j) + rng.normal();
  return x;
}

const cb::Executor& one_thread() {
  static const auto executor = cb::make_parallel_executor(1);
  return *executor;
}

// ---- calibration -------------------------------------------------------------

void BM_calibrate_flops(benchmark::State& state) {
  // A dependent chain of multiply-adds: the core's scalar FP latency.
  for (auto _ : state) {
    double a = 1.0, b = 0.999999;
    for (int i = 0; i < 50'000'000; ++i) a = a * b + 1e-9;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_calibrate_flops)->Unit(benchmark::kMillisecond);

void BM_calibrate_memory(benchmark::State& state) {
  // Streaming sum over 256 MiB: the machine's memory bandwidth for one core.
  static const std::vector<double> data(std::size_t{32} << 20, 1.0);
  for (auto _ : state) benchmark::DoNotOptimize(std::accumulate(data.begin(), data.end(), 0.0));
}
BENCHMARK(BM_calibrate_memory)->Unit(benchmark::kMillisecond);

// ---- kernels -----------------------------------------------------------------

void BM_silhouette(benchmark::State& state) {
  const auto x = blobs(6000, 8, 8);
  cb::Labels labels(6000);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<cb::Label>(i % 8);
  for (auto _ : state) benchmark::DoNotOptimize(cb::metrics::silhouette(x, labels, {}, one_thread()).mean);
}
BENCHMARK(BM_silhouette)->Unit(benchmark::kMillisecond);

void BM_kmeans(benchmark::State& state) {
  const auto x = blobs(200'000, 8, 10);
  cb::cluster::KMeansOptions options;
  options.n_init = 1;
  for (auto _ : state) benchmark::DoNotOptimize(cb::cluster::kmeans(x, 10, options, 7, one_thread()).inertia);
}
BENCHMARK(BM_kmeans)->Unit(benchmark::kMillisecond);

void BM_gmm_full(benchmark::State& state) {
  const auto x = blobs(20'000, 8, 5);
  cb::cluster::GmmOptions options;
  options.max_iter = 20;
  options.tol = 0;  // a fixed amount of EM work
  for (auto _ : state) benchmark::DoNotOptimize(cb::cluster::gmm(x, 5, options, 7, one_thread()).log_likelihood);
}
BENCHMARK(BM_gmm_full)->Unit(benchmark::kMillisecond);

void BM_ward(benchmark::State& state) {
  const auto x = blobs(4000, 8, 6);
  for (auto _ : state) benchmark::DoNotOptimize(cb::cluster::hierarchical_tree(x, {}, one_thread()).points);
}
BENCHMARK(BM_ward)->Unit(benchmark::kMillisecond);

void BM_dbscan(benchmark::State& state) {
  const auto x = blobs(100'000, 3, 6);
  cb::cluster::DbscanOptions options;
  options.eps = 0.4;
  options.min_samples = 10;
  for (auto _ : state) benchmark::DoNotOptimize(cb::cluster::dbscan(x, options, one_thread()).clusters);
}
BENCHMARK(BM_dbscan)->Unit(benchmark::kMillisecond);

void BM_dbscan_target_k(benchmark::State& state) {
  const auto x = blobs(20'000, 3, 6);
  const std::vector<int> ks{2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  for (auto _ : state) benchmark::DoNotOptimize(cb::cluster::dbscan_for_cluster_counts(x, ks, {}, one_thread()).size());
}
BENCHMARK(BM_dbscan_target_k)->Unit(benchmark::kMillisecond);

void BM_knn_exact(benchmark::State& state) {
  const auto x = blobs(10'000, 8, 6);
  for (auto _ : state) benchmark::DoNotOptimize(cb::neighbors::knn_exact(x, 15, one_thread()).k);
}
BENCHMARK(BM_knn_exact)->Unit(benchmark::kMillisecond);

void BM_pca(benchmark::State& state) {
  const auto x = blobs(500'000, 8, 6);
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::pca_embedding(x, {}, one_thread()).data());
}
BENCHMARK(BM_pca)->Unit(benchmark::kMillisecond);

// t-SNE on 2,000 points: Barnes–Hut (what automatic picks at this size) and the FFT repulsion.
void tsne_case(benchmark::State& state, cb::embed::TsneRepulsion repulsion, int n_iter) {
  const auto x = blobs(2000, 8, 6);
  cb::embed::TsneOptions options;
  options.n_iter = n_iter;
  options.repulsion = repulsion;
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::tsne(x, options, 7, one_thread()).kl_divergence);
}
void BM_tsne(benchmark::State& state) { tsne_case(state, cb::embed::TsneRepulsion::barnes_hut, 500); }
BENCHMARK(BM_tsne)->Unit(benchmark::kMillisecond);
void BM_tsne_fft(benchmark::State& state) { tsne_case(state, cb::embed::TsneRepulsion::fft, 300); }
BENCHMARK(BM_tsne_fft)->Unit(benchmark::kMillisecond);

void BM_umap(benchmark::State& state) {
  const auto x = blobs(3000, 8, 6);
  cb::embed::UmapOptions options;
  options.n_epochs = 200;
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::umap(x, options, 7, one_thread()).embedding.data());
}
BENCHMARK(BM_umap)->Unit(benchmark::kMillisecond);

void BM_trees(benchmark::State& state) {
  const auto x = blobs(20'000, 8, 6);
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::tree_embedding(x, {}, 7, one_thread()).embedding.data());
}
BENCHMARK(BM_trees)->Unit(benchmark::kMillisecond);

void BM_forest_supervised(benchmark::State& state) {
  const auto x = blobs(20'000, 4, 6);
  cb::embed::TreeEmbeddingOptions options;
  options.mode = cb::embed::TreeMode::supervised;
  options.target_column = 3;
  options.n_estimators = 30;
  for (auto _ : state) benchmark::DoNotOptimize(cb::embed::tree_embedding(x, options, 7, one_thread()).oob_r2);
}
BENCHMARK(BM_forest_supervised)->Unit(benchmark::kMillisecond);

void BM_rfm_online_retail(benchmark::State& state) {
  // The bundled full log (541,909 rows): read, clean, features, scores, segments.
  const auto table = cb::rfm_config::load_segment_table("configs/segments/standard11.yaml");
  for (auto _ : state) {
    const auto aggregate = cb::rfm::read_and_aggregate("data/transactions/online_retail.csv.gz", {}, {}, one_thread());
    const auto scores = cb::rfm::score(cb::rfm::customer_features(aggregate).features);
    benchmark::DoNotOptimize(cb::rfm::assign_segments(scores, table).fell_through_count);
  }
}
BENCHMARK(BM_rfm_online_retail)->Unit(benchmark::kMillisecond);

// ---- end to end --------------------------------------------------------------

void BM_grid_two_threads(benchmark::State& state) {
  // Four algorithms × k = 2..6 × {raw, pca} with both silhouettes, 2 threads.
  const auto path = std::filesystem::temp_directory_path() / "cb_regression_grid.csv";
  {
    const auto x = blobs(3000, 6, 5);
    std::ofstream out(path);
    out.precision(17);
    out << "a,b,c,d,e,f\n";
    for (cb::Index i = 0; i < x.rows(); ++i)
      for (cb::Index j = 0; j < x.cols(); ++j) out << x(i, j) << (j + 1 < x.cols() ? ',' : '\n');
  }
  const std::string yaml = "name: regression\nthreads: 2\ndataset:\n  type: features\n  path: " + path.string() +
                           "\nspaces: [raw, pca]\nalgorithms:\n"
                           "  - {name: kmeans, k: [2, 6]}\n  - {name: gmm, k: [2, 6]}\n"
                           "  - {name: hierarchical, k: [2, 6]}\n  - {name: dbscan, k: [2, 6]}\n";
  const auto config = cb::grid::parse_config(yaml, "regression.yaml");
  cb::grid::RunnerHooks hooks;
  for (auto _ : state) benchmark::DoNotOptimize(cb::grid::run_grid(config, hooks).runs.size());
}
BENCHMARK(BM_grid_two_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
