#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "clusterbench/embed/umap.hpp"
#include "embed_test_helpers.hpp"

using namespace cb;

TEST_CASE("UMAP a/b fit equals scipy's curve_fit as umap-learn uses it", "[umap]") {
  for (auto [spread, min_dist] : {std::pair{1.0, 0.1}, std::pair{1.0, 0.5}, std::pair{2.0, 0.05}}) {
    const auto ref =
        test::parse_numbers(test::run_python("embed_umap_ab.py", {std::to_string(spread), std::to_string(min_dist)}));
    REQUIRE(ref.size() == 2);
    const auto [a, b] = embed::fit_umap_ab(spread, min_dist);
    REQUIRE(a == Approx(ref[0]).epsilon(1e-5));
    REQUIRE(b == Approx(ref[1]).epsilon(1e-5));
  }
}

TEST_CASE("UMAP on digits: trustworthiness ≥ 0.97 and K-Means ARI ≥ 0.8", "[umap]") {
  const auto digits = test::load_benchmark("sklearn-digits");
  auto ex = make_parallel_executor(2);
  const auto result = embed::umap(digits.values, {}, 42, *ex);
  REQUIRE(result.embedding.rows() == digits.rows());
  REQUIRE(result.init == "spectral");
  const double tw = embed::trustworthiness(digits.values, result.embedding, 5, *ex);
  const double ari = test::sklearn_kmeans_ari(result.embedding, *digits.reference, 10);
  INFO("trustworthiness " << tw << ", ARI " << ari);
  REQUIRE(tw >= 0.97);
  REQUIRE(ari >= 0.8);
}

TEST_CASE("UMAP on s1: the 15 clusters stay separated (K-Means ARI ≥ 0.9)", "[umap]") {
  const auto s1 = test::load_benchmark("sipu-s1");
  auto ex = make_parallel_executor(2);
  const auto result = embed::umap(s1.values, {}, 7, *ex);
  const double ari = test::sklearn_kmeans_ari(result.embedding, *s1.reference, 15);
  INFO("ARI " << ari);
  REQUIRE(ari >= 0.9);
}

TEST_CASE("UMAP: 1 thread and 2 threads are bit-identical", "[umap][determinism]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values;
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  embed::UmapOptions options;
  options.n_epochs = 60;
  const auto a = embed::umap(x, options, 3, *one);
  const auto b = embed::umap(x, options, 3, *two);
  REQUIRE(a.embedding == b.embedding);
  options.init = embed::UmapInit::pca;
  REQUIRE(embed::umap(x, options, 3, *one).embedding == embed::umap(x, options, 3, *two).embedding);
}

TEST_CASE("UMAP rejects bad options", "[umap][bad-input]") {
  const Matrix x = Matrix::Random(20, 3);
  embed::UmapOptions options;
  options.n_neighbors = 1;
  REQUIRE_THROWS_AS(embed::umap(x, options, 1, serial_executor()), InputError);
  options = {};
  options.spread = 0;
  REQUIRE_THROWS_AS(embed::umap(x, options, 1, serial_executor()), InputError);
}
