#include <catch2/catch.hpp>

#include "clusterbench/core/rng.hpp"

using namespace cb;

TEST_CASE("seeded generator is reproducible and seeds differ", "[rng]") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    REQUIRE(x == b.next());
    REQUIRE(x != c.next());
  }
}

TEST_CASE("uniform, below and normal have the right ranges and moments", "[rng]") {
  Rng rng(7);
  double sum = 0, sum_sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(rng.below(10) < 10);
    const double z = rng.normal();
    sum += z;
    sum_sq += z * z;
  }
  REQUIRE(std::abs(sum / n) < 0.01);
  REQUIRE(std::abs(sum_sq / n - 1.0) < 0.02);
}

TEST_CASE("derive_seed depends on the identity, not on order", "[rng]") {
  REQUIRE(derive_seed(1, "kmeans/raw/k=3") == derive_seed(1, "kmeans/raw/k=3"));
  REQUIRE(derive_seed(1, "kmeans/raw/k=3") != derive_seed(1, "kmeans/raw/k=4"));
  REQUIRE(derive_seed(1, "kmeans/raw/k=3") != derive_seed(2, "kmeans/raw/k=3"));
}
