// Above the exact budget (scoring.exact_up_to) the O(n²) scores are estimated
// on seeded samples and the run records it: the interval must hold the exact
// value, and the estimate must be reproducible.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;

namespace {

std::string s1_grid(const std::string& dir, const std::string& scoring) {
  return test::write_file(dir, "grid.yaml", R"(name: budget
seed: 9
output: )" + dir + R"(/out.h5
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/sipu-s1.data.gz
spaces: [raw, {name: pca, params: {n_components: 2}}, {name: tree, params: {n_components: 2}}]
algorithms:
  - {name: kmeans, k: [2, 11], params: {n_init: 2}}
  - {name: hierarchical, k: [2, 6], params: {linkage: ward}}
)" + scoring);
}

}  // namespace

TEST_CASE(
    "above the exact budget silhouettes and trustworthiness are sampled with intervals that hold the exact values",
    "[cli][approximation]") {
  const auto exact_dir = test::temp_dir("budget-exact");
  const auto sampled_dir = test::temp_dir("budget-sampled");
  REQUIRE(test::clusterbench("run -q " + s1_grid(exact_dir, "")).first == 0);
  const std::string budget = "scoring: {exact_up_to: 2000, silhouette_sample: 1500, trustworthiness_sample: 1500}\n";
  REQUIRE(test::clusterbench("run -q " + s1_grid(sampled_dir, budget)).first == 0);
  const auto exact = store::read_results(exact_dir + "/out.h5");
  const auto sampled = store::read_results(sampled_dir + "/out.h5");
  REQUIRE(exact.runs.size() == sampled.runs.size());

  int inside = 0, intervals = 0;
  for (std::size_t i = 0; i < exact.runs.size(); ++i) {
    const auto& e = exact.runs[i];
    const auto& s = sampled.runs[i];
    REQUIRE(e.labels == s.labels);  // fits do not depend on the scoring budget
    REQUIRE_FALSE(e.scores.count("silhouette_ci_low"));
    for (const std::string name : {"silhouette", "silhouette_ref"}) {
      const double low = s.scores.at(name + "_ci_low"), high = s.scores.at(name + "_ci_high"),
                   truth = e.scores.at(name);
      INFO(s.space << " " << s.algorithm << " k=" << s.k << " " << name << ": " << truth << " in [" << low << ", "
                   << high << "]");
      REQUIRE(low < high);
      REQUIRE(high - low < 0.1);
      REQUIRE(std::abs(truth - s.scores.at(name)) < 1.5 * (high - low));  // never far outside
      ++intervals;
      inside += truth >= low && truth <= high;
    }
    REQUIRE(s.scores.at("silhouette_sample") == 1500);
  }
  INFO(inside << " of " << intervals << " intervals hold the exact value");
  REQUIRE(inside >= 0.85 * intervals);  // 95% intervals

  for (std::size_t i = 0; i < exact.spaces.size(); ++i) {
    const auto& e = exact.spaces[i];
    const auto& s = sampled.spaces[i];
    if (!e.values.count("trustworthiness")) continue;
    INFO(e.label);
    REQUIRE(s.values.at("trustworthiness_sample") == 1500);
    REQUIRE(std::abs(s.values.at("trustworthiness") - e.values.at("trustworthiness")) <
            1.5 * (s.values.at("trustworthiness_ci_high") - s.values.at("trustworthiness_ci_low")) + 1e-9);
  }

  // Seeded: the same budget gives the same estimates, bit for bit.
  const auto again_dir = test::temp_dir("budget-again");
  REQUIRE(test::clusterbench("run -q -t 1 " + s1_grid(again_dir, budget)).first == 0);
  const auto again = store::read_results(again_dir + "/out.h5");
  for (std::size_t i = 0; i < again.runs.size(); ++i)
    for (const auto& [name, value] : sampled.runs[i].scores) {
      INFO(name);
      const double other = again.runs[i].scores.at(name);
      REQUIRE(std::memcmp(&value, &other, sizeof(double)) == 0);  // bit for bit, NaN included
    }
}
