#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>

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
