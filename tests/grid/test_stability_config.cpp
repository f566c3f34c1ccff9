// The config sections `stability:` and `selection:`: defaults, values and
// errors naming the file, line and key.
#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/config.hpp"

using namespace cb;
using grid::parse_config;

namespace {
const std::string kBase = R"(name: t
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
algorithms:
  - name: kmeans
    k: [2, 5]
)";
}

TEST_CASE("stability and selection are off or default without their sections, and parse when present",
          "[config][stability]") {
  const auto plain = parse_config(kBase, "t.yaml");
  REQUIRE_FALSE(plain.stability.enabled());
  REQUIRE_FALSE(plain.gap_references.has_value());
  const auto with =
      parse_config(kBase + "stability: {resamples: 20, fraction: 0.7}\nselection: {gap_references: 50}\n", "t.yaml");
  REQUIRE(with.stability.enabled());
  REQUIRE(with.stability.resamples == 20);
  REQUIRE(with.stability.fraction == 0.7);
  REQUIRE(with.gap_references == 50);
  REQUIRE(parse_config(kBase + "stability: {resamples: 5}\n", "t.yaml").stability.fraction == 0.8);
  REQUIRE(parse_config(kBase + "stability: {resamples: 5}\nleaderboard: {rank_by: stability}\n", "t.yaml")
              .leaderboard.rank_by == "stability");
}

TEST_CASE("stability and selection errors name the file, line and key", "[config][stability][bad-input]") {
  auto fails_with = [](const std::string& extra, const std::string& message) {
    INFO(extra);
    REQUIRE_THROWS_WITH(parse_config(kBase + extra, "t.yaml"), Catch::Contains(message));
  };
  fails_with("stability: {resamples: 20, fractoin: 0.8}\n",
             "t.yaml:8: stability.fractoin: unknown key (did you mean 'fraction'?)");
  fails_with("stability: {fraction: 0.8}\n", "t.yaml:8: stability.resamples: missing");
  fails_with("stability: {resamples: twenty}\n", "t.yaml:8: stability.resamples: expected an integer, got 'twenty'");
  fails_with("stability: {resamples: 2.5}\n", "stability.resamples: expected an integer, got '2.5'");
  fails_with("stability: {resamples: 1}\n", "stability.resamples: must be between 2 and 1000, got 1");
  fails_with("stability: {resamples: 20, fraction: 1}\n", "stability.fraction: must be above 0 and below 1, got 1");
  fails_with("stability: {resamples: 20, fraction: 0}\n", "stability.fraction: must be above 0 and below 1");
  fails_with("stability: {resamples: 20, fraction: most}\n", "stability.fraction: expected a number, got 'most'");
  fails_with("stability: 20\n", "t.yaml:8: stability: expected a mapping");
  fails_with("selection: {gap_references: 1}\n",
             "t.yaml:8: selection.gap_references: must be between 2 and 10000, got 1");
  fails_with("selection: {gap_references: 0}\n", "selection.gap_references: must be between 2 and 10000, got 0");
  fails_with("selection: {gap_references: 2.5}\n", "selection.gap_references: expected an integer, got '2.5'");
  fails_with("selection: {gap_refs: 20}\n", "t.yaml:8: selection.gap_refs: unknown key");
  fails_with("leaderboard: {rank_by: stability}\n", "leaderboard.rank_by: 'stability' needs a stability section");
}
