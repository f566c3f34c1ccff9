#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstring>
#include <numeric>

#include "clusterbench/core/executor.hpp"

using namespace cb;

TEST_CASE("chunk boundaries depend only on n and grain", "[executor]") {
  auto parallel = make_parallel_executor(2);
  std::vector<std::size_t> seen(1003, 0);
  std::vector<Range> ranges(Executor::chunk_count(1003, 100));
  // Checked after the loop: Catch2's assertions are not thread-safe (ThreadSanitizer found REQUIRE racing here).
  parallel->for_chunks(1003, 100, [&](std::size_t chunk, Range r) {
    ranges[chunk] = r;
    for (auto i = r.begin; i < r.end; ++i) seen[i] += 1;
  });
  for (std::size_t chunk = 0; chunk < ranges.size(); ++chunk) {
    REQUIRE(ranges[chunk].begin == chunk * 100);
    REQUIRE(ranges[chunk].end == std::min<std::size_t>(1003, (chunk + 1) * 100));
  }
  REQUIRE(std::all_of(seen.begin(), seen.end(), [](auto c) { return c == 1; }));
  REQUIRE(Executor::chunk_count(1003, 100) == 11);
  REQUIRE(Executor::chunk_count(0, 100) == 0);
}

TEST_CASE("floating-point reduction is bit-identical for 1 and 2 threads", "[executor][determinism]") {
  std::vector<double> values(100000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::sin(static_cast<double>(i)) * 1e-3 + 1.0 / (1.0 + i);
  auto sum_with = [&](const Executor& ex) {
    return ex.reduce(
        values.size(), 1000, 0.0,
        [&](Range r) { return std::accumulate(values.begin() + r.begin, values.begin() + r.end, 0.0); },
        [](double& acc, double part) { acc += part; });
  };
  const double serial = sum_with(serial_executor());
  const double one = sum_with(*make_parallel_executor(1));
  const double two = sum_with(*make_parallel_executor(2));
  REQUIRE(std::memcmp(&serial, &one, sizeof(double)) == 0);
  REQUIRE(std::memcmp(&serial, &two, sizeof(double)) == 0);
}

TEST_CASE("nested parallel loops inside run_all complete", "[executor]") {
  auto parallel = make_parallel_executor(2);
  std::atomic<long> total{0};
  std::vector<std::function<void()>> tasks;
  for (int t = 0; t < 8; ++t)
    tasks.emplace_back(
        [&] { parallel->parallel_for(1000, 64, [&](Range r) { total += static_cast<long>(r.size()); }); });
  parallel->run_all(tasks);
  REQUIRE(total == 8000);
}
