// Google Benchmark for GMM EM, full covariances, n = 100,000, d = 8, k = 10, a
// fixed 20 iterations (tol = 0) from the start written by bench/peers/gmm_sklearn.py
// into $CB_BENCH_DIR (so scikit-learn does the same work); without it, a
// generated input of the same shape.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "clusterbench/cluster/gmm.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/io/dataset_readers.hpp"

using namespace cb;

namespace {

struct Input {
  Matrix points;
  cluster::GmmStart start;
};

Input make_input() {
  const Index n = 100000, d = 8, k = 10;
  Input in;
  if (const char* dir = std::getenv("CB_BENCH_DIR")) {
    const std::string base(dir);
    in.points = io::read_benchmark(base + "/gmm_points.txt").values;
    in.start.means = io::read_benchmark(base + "/gmm_means.txt").values;
    in.start.weights = io::read_benchmark(base + "/gmm_weights.txt").values.col(0);
    const Matrix prec = io::read_benchmark(base + "/gmm_precisions.txt").values;
    for (Index c = 0; c < in.start.means.rows(); ++c) in.start.precisions.push_back(prec.middleRows(c * d, d));
    return in;
  }
  Rng rng(2024);
  Matrix centers(k, d);
  for (Index c = 0; c < k; ++c)
    for (Index j = 0; j < d; ++j) centers(c, j) = rng.uniform() * 20.0 - 10.0;
  in.points.resize(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) in.points(i, j) = centers(i % k, j) + rng.normal();
  in.start.means = in.points.topRows(k);
  in.start.weights = Vector::Constant(k, 1.0 / double(k));
  for (Index c = 0; c < k; ++c) in.start.precisions.push_back(Matrix::Identity(d, d) * 0.1);
  return in;
}

void BM_gmm_full_100k_d8_k10(benchmark::State& state) {
  static const Input in = make_input();
  const auto executor = make_parallel_executor(int(state.range(0)));
  cluster::GmmOptions options;
  options.covariance_type = cluster::CovarianceType::full;
  options.tol = 0.0;
  options.max_iter = 20;
  cluster::GmmResult r;
  for (auto _ : state) {
    r = cluster::gmm_from_start(in.points, in.start, options, *executor);
    benchmark::DoNotOptimize(r.lower_bound);
  }
  state.counters["iterations"] = r.iterations;
  state.counters["lower_bound"] = r.lower_bound;
}

void BM_gmm_diag_100k_d8_k10(benchmark::State& state) {
  static const Input in = make_input();
  const auto executor = make_parallel_executor(0);
  cluster::GmmOptions options;
  options.covariance_type = cluster::CovarianceType::diag;
  options.tol = 0.0;
  options.max_iter = 20;
  cluster::GmmStart start = in.start;
  start.precisions = {Matrix::Constant(start.means.rows(), start.means.cols(), 0.1)};
  for (auto _ : state)
    benchmark::DoNotOptimize(cluster::gmm_from_start(in.points, start, options, *executor).lower_bound);
}

}  // namespace

BENCHMARK(BM_gmm_full_100k_d8_k10)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_gmm_diag_100k_d8_k10)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
