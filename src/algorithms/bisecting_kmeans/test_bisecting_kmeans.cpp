// Bisecting K-Means against scikit-learn's BisectingKMeans, and the properties
// every cut must have (nesting, determinism, duplicate points, bad input).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bisecting_kmeans.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/grid/registry.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "support/test_support.hpp"

namespace cb {
namespace {

using cluster::BisectingKMeansOptions;
using cluster::BisectingStrategy;

/// Gaussian blobs of different spreads and sizes, far apart: each split's best
/// 2-means is unambiguous, so any correct implementation finds the same cuts.
Matrix separated_blobs(std::uint64_t seed) {
  const double centres[6][2] = {{0, 0}, {40, 0}, {0, 40}, {40, 40}, {90, 10}, {10, 95}};
  const double spreads[6] = {1.0, 2.0, 1.5, 3.0, 0.7, 2.5};
  const int sizes[6] = {60, 90, 50, 120, 40, 80};
  Rng rng(seed);
  Matrix points(440, 2);
  Index row = 0;
  for (int b = 0; b < 6; ++b)
    for (int i = 0; i < sizes[b]; ++i, ++row)
      for (int j = 0; j < 2; ++j) points(row, j) = centres[b][j] + spreads[b] * rng.normal();
  return points;
}

/// Random points with no cluster structure: splits are close calls.
Matrix uniform_cloud(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  Matrix points(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) points(i, j) = rng.uniform();
  return points;
}

struct ReferenceCut {
  double inertia = 0;
  Labels labels;
};

std::vector<ReferenceCut> sklearn_cuts(const Matrix& points, const std::string& strategy, const std::vector<int>& ks) {
  const std::string script = CB_SOURCE_DIR "/src/algorithms/bisecting_kmeans/sklearn_reference.py";
  const std::string command = fmt::format("{} {} {} {} {}", CB_PYTHON, script, test::write_matrix_csv(points, "bisect"),
                                          strategy, fmt::join(ks, " "));
  const auto [status, output] = test::run_command(command);
  REQUIRE(status == 0);
  std::vector<ReferenceCut> cuts;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    int k = 0;
    ReferenceCut cut;
    fields >> k >> cut.inertia;
    for (Label label = 0; fields >> label;) cut.labels.push_back(label);
    cuts.push_back(std::move(cut));
  }
  REQUIRE(cuts.size() == ks.size());
  return cuts;
}

/// True when every cluster of `fine` lies inside one cluster of `coarse`.
bool refines(const Labels& fine, const Labels& coarse) {
  std::vector<Label> parent(fine.size(), -1);
  for (std::size_t i = 0; i < fine.size(); ++i) {
    auto& p = parent[static_cast<std::size_t>(fine[i])];
    if (p == -1) p = coarse[i];
    if (p != coarse[i]) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("bisecting K-Means gives scikit-learn's partitions and inertia on separated blobs") {
  const Matrix points = separated_blobs(7);
  const std::vector<int> ks{2, 3, 4, 5, 6};
  for (const auto& [name, strategy] : {std::pair{"biggest_inertia", BisectingStrategy::biggest_inertia},
                                       std::pair{"largest_cluster", BisectingStrategy::largest_cluster}}) {
    INFO("strategy " << name);
    BisectingKMeansOptions options;
    options.strategy = strategy;
    options.n_init = 10;
    const auto ours = cluster::bisecting_kmeans(points, ks, options, 3, serial_executor());
    const auto theirs = sklearn_cuts(points, name, ks);
    for (std::size_t i = 0; i < ks.size(); ++i) {
      INFO("k = " << ks[i]);
      CHECK(ours[i].leaves == ks[i]);
      CHECK(metrics::adjusted_rand_index(ours[i].labels, theirs[i].labels) == Approx(1.0).margin(1e-12));
      CHECK(ours[i].inertia == Approx(theirs[i].inertia).epsilon(1e-9));
    }
  }
}

TEST_CASE("bisecting K-Means cuts nest, lose inertia with every k and do not depend on the thread count") {
  const Matrix points = uniform_cloud(3000, 4, 11);
  const std::vector<int> ks{2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const auto parallel = make_parallel_executor(2);
  const auto one = cluster::bisecting_kmeans(points, ks, {}, 42, serial_executor());
  const auto two = cluster::bisecting_kmeans(points, ks, {}, 42, *parallel);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    INFO("k = " << ks[i]);
    CHECK(one[i].labels == two[i].labels);
    CHECK(one[i].inertia == two[i].inertia);
    CHECK(std::set<Label>(one[i].labels.begin(), one[i].labels.end()).size() == static_cast<std::size_t>(ks[i]));
    CHECK(one[i].centroids.rows() == ks[i]);
    if (i > 0) {
      CHECK(refines(one[i].labels, one[i - 1].labels));
      CHECK(one[i].inertia < one[i - 1].inertia);
    }
  }
  // Another seed, other 2-means starts: still valid, generally another sequence.
  const auto other = cluster::bisecting_kmeans(points, ks, {}, 43, serial_executor());
  CHECK(other.back().leaves == 11);
}

TEST_CASE("bisecting K-Means stops at the distinct points and asks nothing of an unsplittable leaf") {
  Matrix points(40, 2);
  for (Index i = 0; i < 40; ++i) {  // 4 distinct points, 10 copies each
    points(i, 0) = static_cast<double>(i % 4);
    points(i, 1) = static_cast<double>((i % 4) * (i % 4));
  }
  const std::vector<int> ks{3, 4, 6};
  const auto cuts = cluster::bisecting_kmeans(points, ks, {}, 1, serial_executor());
  CHECK(cuts[0].leaves == 3);
  CHECK(cuts[1].leaves == 4);
  CHECK(cuts[1].inertia == 0.0);
  CHECK(cuts[2].k == 6);
  CHECK(cuts[2].leaves == 4);  // the grid reports k_not_reachable
  CHECK(cuts[2].labels == cuts[1].labels);
}

TEST_CASE("bisecting K-Means rejects empty data, non-finite values, k out of range and bad options") {
  const Matrix points = uniform_cloud(10, 2, 1);
  const std::vector<int> too_many{11};
  CHECK_THROWS_AS(cluster::bisecting_kmeans(points, too_many, {}, 1, serial_executor()), InputError);
  const std::vector<int> zero{0};
  CHECK_THROWS_AS(cluster::bisecting_kmeans(points, zero, {}, 1, serial_executor()), InputError);
  Matrix holed = points;
  holed(3, 1) = std::numeric_limits<double>::quiet_NaN();
  const std::vector<int> two{2};
  CHECK_THROWS_AS(cluster::bisecting_kmeans(holed, two, {}, 1, serial_executor()), InputError);
  CHECK_THROWS_AS(cluster::bisecting_kmeans(Matrix(0, 2), two, {}, 1, serial_executor()), InputError);
  BisectingKMeansOptions bad;
  bad.n_init = 0;
  CHECK_THROWS_AS(cluster::bisecting_kmeans(points, two, bad, 1, serial_executor()), InputError);
}

TEST_CASE("bisecting K-Means is registered with its parameters") {
  const auto* entry = grid::find_algorithm("bisecting_kmeans");
  REQUIRE(entry != nullptr);
  std::set<std::string> names;
  for (const auto& spec : entry->params) names.insert(spec.name);
  CHECK(names == std::set<std::string>{"strategy", "n_init", "max_iter", "tol"});
  CHECK(entry->uses_k);
}

}  // namespace cb
