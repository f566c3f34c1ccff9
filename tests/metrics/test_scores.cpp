#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "metrics/metrics_fixtures.hpp"

using namespace cb;
using namespace cb::test::metrics;

namespace {

void require_relative(double got, double expected, double tolerance = 1e-9) {
  INFO("got " << got << " expected " << expected);
  if (std::isnan(expected)) {
    REQUIRE(std::isnan(got));
  } else {
    REQUIRE(std::abs(got - expected) <= tolerance * std::max(1.0, std::abs(expected)));
  }
}

}  // namespace

TEST_CASE("Calinski-Harabasz, Davies-Bouldin and ARI equal scikit-learn", "[scores][sklearn]") {
  auto ex = make_parallel_executor(2);
  struct Case {
    std::string name;
    bool standardise;
  };
  for (const auto& c :
       {Case{"other-iris", false}, Case{"uci-wine", true}, Case{"sipu-s1", false}, Case{"fcps-hepta", false}}) {
    INFO(c.name);
    const Dataset data = cb::test::load_benchmark(c.name);
    const Matrix x = c.standardise ? standardised(data.values) : data.values;
    const Labels& reference = *data.reference;
    const int k = *std::max_element(reference.begin(), reference.end()) + 1;
    Labels noisy = voronoi_labels(x, k + 2, 3);
    Rng rng(5);
    for (auto& l : noisy)
      if (rng.uniform() < 0.1) l = kNoise;
    const std::vector<Labels> labelings{reference, perturbed(reference, 0.3, k, 7), voronoi_labels(x, k, 13), noisy,
                                        Labels(reference.size(), 0)};
    const auto expected = sklearn_scores(x, labelings);
    REQUIRE(expected.size() == labelings.size());
    for (std::size_t l = 0; l < labelings.size(); ++l) {
      INFO("labeling " << l);
      require_relative(cb::metrics::calinski_harabasz(x, labelings[l], *ex), expected[l].calinski_harabasz);
      require_relative(cb::metrics::davies_bouldin(x, labelings[l], *ex), expected[l].davies_bouldin);
      require_relative(cb::metrics::adjusted_rand_index(labelings[0], labelings[l]), expected[l].adjusted_rand);
    }
  }
}

TEST_CASE("adjusted Rand index degenerate cases as scikit-learn", "[scores][ari]") {
  using cb::metrics::adjusted_rand_index;
  REQUIRE(adjusted_rand_index(Labels(5, 0), Labels(5, 3)) == 1.0);  // both a single cluster
  REQUIRE(adjusted_rand_index({0, 1, 2, 3}, {4, 5, 6, 7}) == 1.0);  // both all singletons
  REQUIRE(adjusted_rand_index({0, 0, 1, 1}, {1, 1, 0, 0}) == 1.0);  // same partition, renamed
  REQUIRE(adjusted_rand_index({}, {}) == 1.0);
  REQUIRE(adjusted_rand_index({kNoise, kNoise, 0, 0}, {5, 5, 2, 2}) == 1.0);  // noise is a label of its own
  // Anything else against scikit-learn.
  const std::vector<Labels> labelings{
      {0, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5}, {0, 0, 1, 1, 2, 2}, {kNoise, 0, 0, 1, 1, kNoise}};
  const Matrix x = blobs(6, 2, 2, 3);
  const auto expected = sklearn_scores(x, labelings);
  for (std::size_t l = 0; l < labelings.size(); ++l)
    require_relative(adjusted_rand_index(labelings[0], labelings[l]), expected[l].adjusted_rand);
  REQUIRE_THROWS_AS(adjusted_rand_index({0, 1}, {0}), InputError);
}

TEST_CASE("internal scores: degenerate cases, bad input and thread independence", "[scores]") {
  using namespace cb::metrics;
  const Matrix x = blobs(9000, 4, 5, 2);
  const Labels labels = voronoi_labels(x, 5, 4);
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  const double ch1 = calinski_harabasz(x, labels, *one), ch2 = calinski_harabasz(x, labels, *two);
  const double db1 = davies_bouldin(x, labels, *one), db2 = davies_bouldin(x, labels, *two);
  REQUIRE(std::memcmp(&ch1, &ch2, sizeof ch1) == 0);
  REQUIRE(std::memcmp(&db1, &db2, sizeof db1) == 0);

  REQUIRE(std::isnan(calinski_harabasz(x, Labels(9000, 1), *two)));
  REQUIRE(std::isnan(davies_bouldin(x, Labels(9000, kNoise), *two)));
  // Identical points in two clusters: CH is 1 (zero dispersion), DB is 0 (as scikit-learn).
  const Matrix flat = Matrix::Zero(4, 2);
  REQUIRE(calinski_harabasz(flat, {0, 0, 1, 1}, *two) == 1.0);
  REQUIRE(davies_bouldin(flat, {0, 0, 1, 1}, *two) == 0.0);
  REQUIRE_THROWS_AS(calinski_harabasz(x, Labels(3, 0), *two), InputError);
  REQUIRE_THROWS_AS(davies_bouldin(x, Labels(3, 0), *two), InputError);
}
