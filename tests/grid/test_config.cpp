#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/config.hpp"

using namespace cb;
using grid::parse_config;

namespace {
const std::string kValid = R"(name: t
seed: 7
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
algorithms:
  - name: kmeans
    k: [2, 5]
    params:
      n_init: 3
)";
}

TEST_CASE("a valid config parses with defaults filled from the declarations", "[config]") {
  const auto config = parse_config(kValid, "t.yaml");
  REQUIRE(config.name == "t");
  REQUIRE(config.seed == 7);
  REQUIRE(config.output == "results/t.h5");
  REQUIRE(config.spaces.size() == 1);
  REQUIRE(config.spaces[0].name == "raw");
  REQUIRE(config.algorithms[0].ks == std::vector<int>{2, 3, 4, 5});
  REQUIRE(config.algorithms[0].params["n_init"] == 3);
  REQUIRE(config.algorithms[0].params["max_iter"] == 300);  // default from KMeansOptions
  REQUIRE(config.algorithms[0].params["method"] == "hamerly");
}

TEST_CASE("k accepts a list, a single value and {from, to}", "[config]") {
  auto with_k = [](const std::string& k) {
    std::string text = kValid;
    text.replace(text.find("[2, 5]"), 6, k);
    return parse_config(text, "t.yaml").algorithms[0].ks;
  };
  REQUIRE(with_k("[2, 4, 8]") == std::vector<int>{2, 4, 8});
  REQUIRE(with_k("6") == std::vector<int>{6});
  REQUIRE(with_k("{from: 3, to: 5}") == std::vector<int>{3, 4, 5});
}

TEST_CASE("config errors name the file, line and key", "[config][bad-input]") {
  SECTION("unknown top-level key with a suggestion") {
    std::string text = kValid + "sed: 3\n";
    REQUIRE_THROWS_WITH(parse_config(text, "t.yaml"),
                        Catch::Contains("t.yaml:11: sed: unknown key (did you mean 'seed'?)"));
  }
  SECTION("unknown algorithm parameter") {
    std::string text = kValid;
    text.replace(text.find("n_init"), 6, "n_inits");
    REQUIRE_THROWS_WITH(
        parse_config(text, "t.yaml"),
        Catch::Contains("t.yaml:10: algorithms[0].params: unknown parameter 'n_inits' (did you mean 'n_init'?)"));
  }
  SECTION("wrong type") {
    std::string text = kValid;
    text.replace(text.find("n_init: 3"), 9, "n_init: many");
    REQUIRE_THROWS_WITH(parse_config(text, "t.yaml"), Catch::Contains("'n_init' must be an integer"));
  }
  SECTION("out of range") {
    std::string text = kValid;
    text.replace(text.find("n_init: 3"), 9, "n_init: 0");
    REQUIRE_THROWS_WITH(parse_config(text, "t.yaml"), Catch::Contains("'n_init' must be >= 1"));
  }
  SECTION("unknown algorithm") {
    std::string text = kValid;
    text.replace(text.find("kmeans"), 6, "kmeens");
    REQUIRE_THROWS_WITH(
        parse_config(text, "t.yaml"),
        Catch::Contains("t.yaml:7: algorithms[0].name: unknown algorithm 'kmeens' (did you mean 'kmeans'?)"));
  }
  SECTION("bad k") {
    std::string text = kValid;
    text.replace(text.find("[2, 5]"), 6, "[5, 2]");
    REQUIRE_THROWS_WITH(parse_config(text, "t.yaml"), Catch::Contains("t.yaml:8: algorithms[0].k"));
  }
  SECTION("YAML syntax") {
    REQUIRE_THROWS_WITH(parse_config("a: [1, 2\n", "t.yaml"),
                        Catch::Contains("t.yaml:") && Catch::Contains("YAML syntax error"));
  }
  SECTION("missing dataset") {
    REQUIRE_THROWS_WITH(parse_config("algorithms: []\n", "t.yaml"), Catch::Contains("dataset: missing"));
  }
}
