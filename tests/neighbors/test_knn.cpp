#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/neighbors/knn.hpp"
#include "support/test_support.hpp"

using namespace cb;
using neighbors::KnnGraph;

namespace {

// The obvious oracle: all distances of query i, sorted by (distance², index).
std::vector<std::pair<double, std::int32_t>> naive_neighbours(const Matrix& x, Index i, Index k) {
  std::vector<std::pair<double, std::int32_t>> all;
  for (Index j = 0; j < x.rows(); ++j)
    if (j != i) all.push_back({(x.row(i) - x.row(j)).squaredNorm(), static_cast<std::int32_t>(j)});
  std::partial_sort(all.begin(), all.begin() + k, all.end());
  all.resize(static_cast<std::size_t>(k));
  return all;
}

Matrix random_points(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = rng.normal();
  return x;
}

void require_equals_naive(const Matrix& x, const KnnGraph& g, Index k) {
  for (Index i = 0; i < x.rows(); ++i) {
    const auto expected = naive_neighbours(x, i, k);
    for (Index c = 0; c < k; ++c) {
      REQUIRE(g.indices(i, c) == expected[c].second);
      REQUIRE(g.distances(i, c) == Approx(std::sqrt(expected[c].first)).epsilon(1e-12).margin(1e-12));
    }
  }
}

// Recall of an approximate graph on a sample of query points, against the naive oracle.
double sampled_recall(const Matrix& x, const KnnGraph& g, Index queries, std::uint64_t seed) {
  Rng rng(seed);
  std::size_t found = 0;
  for (Index q = 0; q < queries; ++q) {
    const Index i = static_cast<Index>(rng.below(static_cast<std::uint64_t>(x.rows())));
    const auto expected = naive_neighbours(x, i, g.k);
    for (const auto& e : expected)
      for (Index c = 0; c < g.k; ++c)
        if (g.indices(i, c) == e.second) {
          ++found;
          break;
        }
  }
  return static_cast<double>(found) / static_cast<double>(queries * g.k);
}

}  // namespace

TEST_CASE("exact kNN equals the naive oracle on random points", "[knn]") {
  const Matrix x = random_points(700, 5, 7);  // spans several row tiles
  const auto g = neighbors::knn_exact(x, 10, serial_executor());
  require_equals_naive(x, g, 10);
}

TEST_CASE("exact kNN equals the naive oracle on digits (integer data with ties)", "[knn]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values;
  const auto g = neighbors::knn_exact(x, 15, serial_executor());
  require_equals_naive(x, g, 15);
}

TEST_CASE("exact kNN and NN-descent: 1 thread and 2 threads are bit-identical", "[knn][determinism]") {
  const Matrix x = random_points(3000, 8, 11);
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  const auto e1 = neighbors::knn_exact(x, 12, *one);
  const auto e2 = neighbors::knn_exact(x, 12, *two);
  REQUIRE(e1.indices == e2.indices);
  REQUIRE(e1.distances == e2.distances);
  neighbors::NnDescentOptions options;
  options.block_size = 1000;
  const auto a1 = neighbors::knn_nndescent(x, 12, options, 5, *one);
  const auto a2 = neighbors::knn_nndescent(x, 12, options, 5, *two);
  REQUIRE(a1.indices == a2.indices);
  REQUIRE(a1.distances == a2.distances);
}

TEST_CASE("NN-descent recall@15 is at least 0.95 on digits", "[knn]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values;
  auto ex = make_parallel_executor(2);
  const auto approx = neighbors::knn_nndescent(x, 15, {}, 42, *ex);
  const auto exact = neighbors::knn_exact(x, 15, *ex);
  const double recall = neighbors::knn_recall(approx, exact);
  INFO("recall " << recall);
  REQUIRE(recall >= 0.95);
  // Distances reported are the true distances of the listed neighbours.
  for (Index i = 0; i < x.rows(); i += 97)
    REQUIRE(approx.distances(i, 3) == Approx((x.row(i) - x.row(approx.indices(i, 3))).norm()));
}

TEST_CASE("NN-descent recall@15 is at least 0.95 on birch1 (100,000 points)", "[knn]") {
  const Matrix x = test::load_benchmark("sipu-birch1").values;
  auto ex = make_parallel_executor(2);
  neighbors::KnnOptions options;
  options.method = neighbors::KnnMethod::nndescent;
  const auto approx = neighbors::knn_graph(x, 15, options, 42, *ex);
  const double recall = sampled_recall(x, approx, 300, 3);
  INFO("recall " << recall);
  REQUIRE(recall >= 0.95);
}

TEST_CASE(
    "automatic kNN: a kd-tree in up to 6 dimensions, brute force while small, a kd-tree up to 10, else the cheaper",
    "[knn]") {
  using neighbors::KnnMethod;
  const neighbors::KnnOptions automatic;
  CHECK(neighbors::resolve_knn_method(5000, 15, 6, automatic) == KnnMethod::kdtree);  // low d: at any size
  CHECK(neighbors::resolve_knn_method(5000, 15, 8, automatic) == KnnMethod::exact);
  CHECK(neighbors::resolve_knn_method(100000, 15, 2, automatic) == KnnMethod::kdtree);   // birch1
  CHECK(neighbors::resolve_knn_method(1000000, 91, 6, automatic) == KnnMethod::kdtree);  // t-SNE on the customers
  CHECK(neighbors::resolve_knn_method(20000, 91, 30, automatic) == KnnMethod::exact);    // t-SNE's k: GEMM wins
  CHECK(neighbors::resolve_knn_method(1000000, 15, 64, automatic) == KnnMethod::nndescent);
  neighbors::KnnOptions asked;
  asked.method = KnnMethod::nndescent;
  CHECK(neighbors::resolve_knn_method(100, 5, 2, asked) == KnnMethod::nndescent);
}

TEST_CASE("kd-tree kNN is the brute-force graph, with duplicates and at any thread count", "[knn]") {
  Matrix x = random_points(3000, 4, 17);
  for (Index i = 0; i < 200; ++i) x.row(2000 + i) = x.row(i);  // 200 points twice
  for (Index i = 2200; i < 2230; ++i) x.row(i) = x.row(7);     // and one point 31 times
  auto ex = make_parallel_executor(2);
  const auto brute = neighbors::knn_exact(x, 20, *ex);
  const auto tree_one = neighbors::knn_kdtree(x, 20, serial_executor());
  const auto tree_two = neighbors::knn_kdtree(x, 20, *ex);
  CHECK(tree_one.indices == tree_two.indices);
  CHECK(tree_one.distances == tree_two.distances);
  CHECK(tree_one.distances == brute.distances);
  Index same = 0;
  for (Index i = 0; i < x.rows(); ++i)
    for (Index c = 0; c < 20; ++c) {
      CHECK(tree_one.indices(i, c) != i);
      same += tree_one.indices(i, c) == brute.indices(i, c);
    }
  // Only ties at equal distances may list other (equally near) points.
  CHECK(same >= x.rows() * 20 - 31 * 20);
  CHECK_THROWS_AS(neighbors::knn_kdtree(x, 3000, serial_executor()), InputError);
}

TEST_CASE("kNN rejects k out of range and empty data", "[knn][bad-input]") {
  const Matrix x = random_points(10, 2, 1);
  REQUIRE_THROWS_AS(neighbors::knn_exact(x, 10, serial_executor()), InputError);
  REQUIRE_THROWS_AS(neighbors::knn_exact(x, 0, serial_executor()), InputError);
  REQUIRE_THROWS_AS(neighbors::knn_nndescent(Matrix(0, 2), 1, {}, 1, serial_executor()), InputError);
}
