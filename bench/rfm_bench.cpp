// RFM from a raw log: read + clean + aggregate, features, scores, segments.
//   bench_rfm                                  Google Benchmark kernels on the bundled Online Retail log
//                                              (run from the repository root)
//   bench_rfm --generate=PATH --rows=N [--seed=S]   write a synthetic log (the input of compare_rfm.sh)
//   bench_rfm --pipeline=PATH [--threads=T] [--segments=configs/segments/standard11.yaml]
//                                              one end-to-end run; prints seconds and counts
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions_generator.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/features.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "clusterbench/rfm/segments.hpp"

namespace {

const char* kOnlineRetail = "data/transactions/online_retail.csv.gz";
const char* kStandard11 = "configs/segments/standard11.yaml";

struct PipelineResult {
  std::size_t rows = 0, customers = 0, fell_through = 0;
  double checksum = 0;
};

PipelineResult pipeline(const std::string& path, const cb::rfm::SegmentTable& table, const cb::Executor& executor) {
  const auto agg = cb::rfm::read_and_aggregate(path, {}, {}, executor);
  const auto features = cb::rfm::customer_features(agg);
  const auto scores = cb::rfm::score(features.features);
  const auto segments = cb::rfm::assign_segments(features.features, scores, table);  // any table, raw values too
  PipelineResult r;
  r.rows = agg.report.rows_read;
  r.customers = agg.customers.size();
  r.fell_through = segments.fell_through_count;
  for (std::size_t i = 0; i < scores.code.size(); ++i) r.checksum += scores.code[i] * (segments.segment[i] + 1);
  return r;
}

void BM_OnlineRetailPipeline(benchmark::State& state) {
  const auto executor = cb::make_parallel_executor(static_cast<int>(state.range(0)));
  const auto table = cb::rfm_config::load_segment_table(kStandard11);
  for (auto _ : state) benchmark::DoNotOptimize(pipeline(kOnlineRetail, table, *executor));
  state.counters["rows/s"] =
      benchmark::Counter(541909.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OnlineRetailPipeline)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OnlineRetailScoreSegment(benchmark::State& state) {
  const auto executor = cb::make_parallel_executor(0);
  const auto features = cb::rfm::customer_features(cb::rfm::read_and_aggregate(kOnlineRetail, {}, {}, *executor));
  const auto table = cb::rfm_config::load_segment_table(kStandard11);
  for (auto _ : state) {
    const auto scores = cb::rfm::score(features.features);
    benchmark::DoNotOptimize(cb::rfm::assign_segments(scores, table));
  }
}
BENCHMARK(BM_OnlineRetailScoreSegment)->Unit(benchmark::kMicrosecond);

std::string option(int argc, char** argv, const char* name, const std::string& fallback) {
  const std::size_t len = std::strlen(name);
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return argv[i] + len + 1;
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (const auto out = option(argc, argv, "--generate", ""); !out.empty()) {
    cb::io::LogGeneratorOptions o;
    o.rows = std::stoull(option(argc, argv, "--rows", "5000000"));
    o.customers = std::stoull(option(argc, argv, "--customers", "100000"));
    o.seed = std::stoull(option(argc, argv, "--seed", "1"));
    const auto stats = cb::io::generate_transaction_log(out, o);
    std::printf("generated %zu rows, %zu invoices, %zu bytes -> %s\n", stats.rows, stats.invoices, stats.bytes,
                out.c_str());
    return 0;
  }
  if (const auto path = option(argc, argv, "--pipeline", ""); !path.empty()) {
    const int threads = std::stoi(option(argc, argv, "--threads", "0"));
    const auto table = cb::rfm_config::load_segment_table(option(argc, argv, "--segments", kStandard11));
    const auto executor = cb::make_parallel_executor(threads);
    const auto start = std::chrono::steady_clock::now();
    const auto r = pipeline(path, table, *executor);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("seconds %.4f rows %zu customers %zu fell_through %zu checksum %.0f\n", seconds, r.rows, r.customers,
                r.fell_through, r.checksum);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
