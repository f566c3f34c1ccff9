// White-box test of the silhouette's distance kernel: the portable variant is
// the direct sum bit for bit, and the variant chosen for this CPU (AVX-512
// with fused multiply-adds, where available) agrees with it to rounding.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "../../src/metrics/distance_kernel.hpp"
#include "clusterbench/core/rng.hpp"

using namespace cb;

TEST_CASE("distance kernel: portable variant is the direct sum, dispatched variant agrees to rounding",
          "[silhouette][kernel]") {
  INFO("dispatched variant: " << metrics::detail::distance_kernel_name());
  Rng rng(3);
  for (Index d : {1, 3, 8, 13}) {
    const Index rp = 48, count = 7;
    std::vector<double> xt(static_cast<std::size_t>(d * rp)), ys(static_cast<std::size_t>(count * d));
    for (auto& v : xt) v = rng.normal() * 100;
    for (auto& v : ys) v = rng.normal() * 100;
    ys[0] = xt[0];  // a zero distance when d == 1
    std::vector<double> fast(static_cast<std::size_t>(count * rp)), portable(fast.size());
    metrics::detail::distance_block(xt.data(), rp, ys.data(), count, d, fast.data());
    metrics::detail::distance_block_portable(xt.data(), rp, ys.data(), count, d, portable.data());
    for (std::size_t i = 0; i < fast.size(); ++i) REQUIRE(std::abs(fast[i] - portable[i]) <= 1e-14 * portable[i]);
    for (Index j = 0; j < count; ++j)
      for (Index r = 0; r < rp; ++r) {
        double s = 0;
        for (Index f = 0; f < d; ++f) {
          const double t = xt[static_cast<std::size_t>(f * rp + r)] - ys[static_cast<std::size_t>(j * d + f)];
          s += t * t;
        }
        REQUIRE(portable[static_cast<std::size_t>(j * rp + r)] == std::sqrt(s));
      }
  }
}

TEST_CASE("distance kernel: grouped row sums, dispatched variant equals the portable one bit for bit",
          "[silhouette][kernel]") {
  Rng rng(5);
  const Index stride = 96, rows = 40, width = 64;
  std::vector<double> source(static_cast<std::size_t>(rows * stride));
  for (auto& v : source) v = rng.uniform() * 1e3;
  const std::vector<std::int32_t> members{3, 17, 4, 39, 0, 22, 8};
  std::vector<double> fast(static_cast<std::size_t>(width), 1.5), portable(fast), expected(fast);
  metrics::detail::add_row_sum(source.data(), stride, members.data(), 7, width, fast.data());
  metrics::detail::add_row_sum_portable(source.data(), stride, members.data(), 7, width, portable.data());
  for (Index c = 0; c < width; ++c) {
    double s = 0;
    for (auto m : members) s += source[static_cast<std::size_t>(m * stride + c)];
    expected[static_cast<std::size_t>(c)] += s;
  }
  REQUIRE(fast == portable);
  REQUIRE(portable == expected);
}

TEST_CASE("distance kernel: fixed-point distances are the rounded scaled distances, sums exact",
          "[silhouette][kernel]") {
  Rng rng(7);
  const Index d = 5, rp = 32, count = 9;
  std::vector<double> xt(static_cast<std::size_t>(d * rp)), ys(static_cast<std::size_t>(count * d));
  for (auto& v : xt) v = rng.normal() * 10;
  for (auto& v : ys) v = rng.normal() * 10;
  const double scale = metrics::detail::fixed_point_scale(20000, 200.0);
  REQUIRE(scale == std::ldexp(1.0, 62 - 15 - 8));  // 20000 <= 2^15, 200 < 2^8
  std::vector<double> exact(static_cast<std::size_t>(count * rp));
  std::vector<std::int64_t> fast(exact.size()), portable(exact.size());
  metrics::detail::distance_block_portable(xt.data(), rp, ys.data(), count, d, exact.data());
  metrics::detail::distance_block_fixed(xt.data(), rp, ys.data(), count, d, scale, fast.data());
  metrics::detail::distance_block_fixed_portable(xt.data(), rp, ys.data(), count, d, scale, portable.data());
  for (std::size_t i = 0; i < exact.size(); ++i) {
    REQUIRE(portable[i] == static_cast<std::int64_t>(std::nearbyint(exact[i] * scale)));
    REQUIRE(std::abs(static_cast<double>(fast[i] - portable[i])) <= 1e-14 * exact[i] * scale + 1);
  }
  const std::vector<std::int32_t> members{3, 0, 8, 5};
  std::vector<std::int64_t> sum_fast(static_cast<std::size_t>(rp), 11), sum_portable(sum_fast);
  metrics::detail::add_row_sum_fixed(portable.data(), rp, members.data(), 4, rp, sum_fast.data());
  metrics::detail::add_row_sum_fixed_portable(portable.data(), rp, members.data(), 4, rp, sum_portable.data());
  REQUIRE(sum_fast == sum_portable);
  for (Index r = 0; r < rp; ++r) {
    std::int64_t s = 11;
    for (auto m : members) s += portable[static_cast<std::size_t>(m * rp + r)];
    REQUIRE(sum_portable[static_cast<std::size_t>(r)] == s);
  }
  REQUIRE(metrics::detail::fixed_point_scale(10, 0.0) == 1.0);
  REQUIRE_THROWS(metrics::detail::fixed_point_scale(10, std::numeric_limits<double>::infinity()));
}
