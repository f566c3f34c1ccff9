#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>

#include "../../src/metrics/dbcv_detail.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/metrics/dbcv.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

struct Fixture {
  double expected = 0;
  Labels labels;
};

/// tests/fixtures/dbcv/NAME.txt: '#' comment lines, the reference DBCV, one label per point.
Fixture read_fixture(const std::string& name) {
  std::ifstream in(std::string(CB_SOURCE_DIR) + "/tests/fixtures/dbcv/" + name + ".txt");
  REQUIRE(in.good());
  Fixture f;
  std::string line;
  bool have_value = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!have_value) {
      f.expected = std::stod(line);
      have_value = true;
    } else {
      f.labels.push_back(static_cast<Label>(std::stol(line)));
    }
  }
  return f;
}

}  // namespace

TEST_CASE("DBCV matches the hdbscan package's validity_index on three benchmark sets", "[metrics][dbcv]") {
  // Fixtures: hdbscan 0.8 validity_index on the raw points with scikit-learn DBSCAN labels
  // (tests/fixtures/dbcv/README.md); noise present in two of them.
  for (const std::string name : {"sipu-aggregation", "sipu-jain", "fcps-chainlink"}) {
    INFO(name);
    const Dataset data = test::load_benchmark(name);
    const Fixture f = read_fixture(name);
    REQUIRE(f.labels.size() == static_cast<std::size_t>(data.rows()));
    REQUIRE(metrics::dbcv(data.values, f.labels) == Approx(f.expected).epsilon(0).margin(1e-6));
  }
}

TEST_CASE("DBCV is NaN without two clusters of three points and ignores cluster ids", "[metrics][dbcv]") {
  const Dataset data = test::load_benchmark("sipu-jain");
  const Fixture f = read_fixture("sipu-jain");
  REQUIRE(std::isnan(metrics::dbcv(data.values, Labels(f.labels.size(), 0))));
  Labels tiny(f.labels.size(), 0);
  tiny[0] = 1;
  tiny[1] = 1;
  REQUIRE(std::isnan(metrics::dbcv(data.values, tiny)));
  Labels swapped = f.labels;
  for (auto& l : swapped)
    if (l >= 0) l = 2 - l;  // three clusters: 0 ↔ 2
  REQUIRE(metrics::dbcv(data.values, swapped) == Approx(f.expected).epsilon(0).margin(1e-6));
}

TEST_CASE("DBCV's core distances: every pair once, in O(n) memory, whatever the band size and thread count",
          "[metrics][dbcv]") {
  // 17,000 points are 67 blocks of 256, 2,278 tiles: more than one band at the default size.
  const auto parallel = make_parallel_executor(2);
  for (const Index n : {Index(3), Index(600), Index(17000)}) {
    INFO("n = " << n);
    Rng rng(20261207);
    Matrix x(n, 2);
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < 2; ++j) x(i, j) = std::round(rng.normal() * 400.0) / 100.0;  // duplicates included
    const auto core = metrics::detail::dbcv_core_distances(x, serial_executor());
    for (const std::size_t band_tiles : {std::size_t(1), std::size_t(100), std::size_t(1) << 30}) {
      INFO("band of " << band_tiles << " tiles");
      REQUIRE(metrics::detail::dbcv_core_distances(x, serial_executor(), band_tiles) == core);
      REQUIRE(metrics::detail::dbcv_core_distances(x, *parallel, band_tiles) == core);
    }
    // The definition, pair by pair: ((Σ_{j≠i, d>0} d_ij^-2) / (n − 1))^(-1/2) in 2 dimensions.
    for (Index i = 0; i<n; i += n / 3> 97 ? 97 : 1) {
      double sum = 0;
      for (Index j = 0; j < n; ++j) {
        const double d2 = (x.row(i) - x.row(j)).squaredNorm();
        if (d2 > 0) sum += 1.0 / d2;
      }
      REQUIRE(core[std::size_t(i)] == Approx(std::pow(sum / double(n - 1), -0.5)).epsilon(1e-12));
    }
  }
}
