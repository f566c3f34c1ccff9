// White-box test of the silhouette's distance kernel: the portable variant is
// the direct sum bit for bit, and the variant chosen for this CPU (AVX-512
// with fused multiply-adds, where available) agrees with it to rounding.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "../../src/metrics/distance_kernel.hpp"
#include "clusterbench/core/rng.hpp"

using namespace cb;

TEST_CASE("distance kernel: portable variant is the direct sum, dispatched variant agrees to rounding", "[silhouette][kernel]") {
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
