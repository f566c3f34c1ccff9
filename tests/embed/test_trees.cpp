#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "clusterbench/core/error.hpp"
#include "clusterbench/embed/trees.hpp"
#include "support/test_support.hpp"

using namespace cb;

TEST_CASE("totally random trees: leaf structure and leaf PCA equal numpy's PCA of the one-hot matrix", "[trees]") {
  const Matrix x = test::load_benchmark("uci-wine").values;
  embed::TreeEmbeddingOptions options;
  options.n_estimators = 20;
  options.max_depth = 3;
  options.svd_iterations = 200;  // converged, for an exact comparison
  const auto result = embed::tree_embedding(x, options, 11, serial_executor());
  REQUIRE(result.leaves.rows() == x.rows());
  REQUIRE(result.leaves.cols() == 20);
  for (int t = 0; t < 20; ++t) {
    REQUIRE(result.leaf_counts[t] >= 2);
    REQUIRE(result.leaf_counts[t] <= 8);
    std::set<std::int32_t> used;
    for (Index i = 0; i < x.rows(); ++i) used.insert(result.leaves(i, t));
    REQUIRE(static_cast<std::int32_t>(used.size()) == result.leaf_counts[t]);  // every leaf holds a point
  }
  Matrix leaves = result.leaves.cast<double>();
  const auto ref =
      test::parse_numbers(test::run_python("embed_leaf_pca.py", {test::write_matrix_csv(leaves, "leaves"), "2"}));
  REQUIRE(ref.size() == static_cast<std::size_t>(2 * x.rows()));
  for (Index c = 0; c < 2; ++c) {
    double dot = 0;
    for (Index i = 0; i < x.rows(); ++i) dot += ref[2 * i + c] * result.embedding(i, c);
    const double sign = dot < 0 ? -1.0 : 1.0;
    for (Index i = 0; i < x.rows(); ++i) REQUIRE(sign * result.embedding(i, c) == Approx(ref[2 * i + c]).margin(1e-8));
  }
  REQUIRE(result.explained_variance_ratio(0) >= result.explained_variance_ratio(1));
  REQUIRE(std::isnan(result.oob_r2));
}

TEST_CASE("supervised forest: out-of-bag R² beats a constant predictor and is near scikit-learn's", "[trees]") {
  const Matrix x = test::load_benchmark("uci-wine").values;  // predict alcohol (column 0) from the rest
  embed::TreeEmbeddingOptions options;
  options.mode = embed::TreeMode::supervised;
  options.target_column = 0;
  options.max_depth = 6;
  options.min_samples_leaf = 2;
  auto ex = make_parallel_executor(2);
  const auto result = embed::tree_embedding(x, options, 5, *ex);
  const auto ref = test::parse_numbers(
      test::run_python("embed_forest_oob.py", {test::write_matrix_csv(x, "forest"), "0", "100", "6", "2"}));
  REQUIRE(ref.size() == 1);
  INFO("OOB R² ours " << result.oob_r2 << ", scikit-learn " << ref[0]);
  REQUIRE(result.oob_points == x.rows());
  REQUIRE(result.oob_r2 > 0.0);  // a constant predictor scores ≤ 0
  REQUIRE(std::abs(result.oob_r2 - ref[0]) < 0.05);
  REQUIRE(result.embedding.cols() == 2);
}

TEST_CASE("tree embeddings: 1 thread and 2 threads are bit-identical", "[trees][determinism]") {
  const Matrix x = test::load_benchmark("sipu-s1").values;
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  embed::TreeEmbeddingOptions options;
  options.n_estimators = 30;
  const auto a = embed::tree_embedding(x, options, 9, *one);
  const auto b = embed::tree_embedding(x, options, 9, *two);
  REQUIRE(a.leaves == b.leaves);
  REQUIRE(a.embedding == b.embedding);
  options.mode = embed::TreeMode::supervised;
  options.target_column = 1;
  options.reduction = embed::TreeReduction::umap;
  options.umap.n_epochs = 30;
  const auto c = embed::tree_embedding(x, options, 9, *one);
  const auto d = embed::tree_embedding(x, options, 9, *two);
  REQUIRE(c.embedding == d.embedding);
  REQUIRE(c.oob_r2 == d.oob_r2);
}

TEST_CASE("tree embedding rejects bad options", "[trees][bad-input]") {
  const Matrix x = Matrix::Random(20, 3);
  embed::TreeEmbeddingOptions options;
  options.mode = embed::TreeMode::supervised;
  options.target_column = 3;
  REQUIRE_THROWS_AS(embed::tree_embedding(x, options, 1, serial_executor()), InputError);
  options = {};
  options.n_estimators = 0;
  REQUIRE_THROWS_AS(embed::tree_embedding(x, options, 1, serial_executor()), InputError);
}
