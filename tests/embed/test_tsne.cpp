#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "clusterbench/embed/tsne.hpp"
#include "embed_test_helpers.hpp"

using namespace cb;

TEST_CASE("t-SNE on digits matches scikit-learn's trustworthiness and K-Means ARI", "[tsne]") {
  const auto digits = test::load_benchmark("sklearn-digits");
  auto ex = make_parallel_executor(2);
  const auto result = embed::tsne(digits.values, {}, 42, *ex);
  REQUIRE(result.embedding.rows() == digits.rows());
  REQUIRE(result.kl_divergence > 0);
  REQUIRE(result.learning_rate == Approx(std::max(1797.0 / 12.0 / 4.0, 50.0)));
  const double tw = embed::trustworthiness(digits.values, result.embedding, 5, *ex);
  const double ari = test::sklearn_kmeans_ari(result.embedding, *digits.reference, 10);
  const auto ref = test::parse_numbers(test::run_python(
      "embed_tsne_sklearn.py", {test::write_matrix_csv(digits.values, "tsne-x"),
                                test::write_labels_csv(*digits.reference, "tsne-labels"), "30", "10"}));
  REQUIRE(ref.size() == 2);
  INFO("ours: trustworthiness " << tw << " ARI " << ari << " KL " << result.kl_divergence << "; scikit-learn: "
                                << ref[0] << " " << ref[1]);
  REQUIRE(tw >= ref[0] - 0.01);
  REQUIRE(ari >= ref[1] - 0.05);
}

TEST_CASE("t-SNE: 1 thread and 2 threads are bit-identical", "[tsne][determinism]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values.topRows(600);
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  embed::TsneOptions options;
  options.n_iter = 300;
  const auto a = embed::tsne(x, options, 3, *one);
  const auto b = embed::tsne(x, options, 3, *two);
  REQUIRE(a.embedding == b.embedding);
  REQUIRE(a.kl_divergence == b.kl_divergence);
  options.init = embed::TsneInit::random;
  REQUIRE(embed::tsne(x, options, 3, *one).embedding == embed::tsne(x, options, 3, *two).embedding);
}

TEST_CASE("t-SNE rejects bad options", "[tsne][bad-input]") {
  const Matrix x = Matrix::Random(20, 3);
  embed::TsneOptions options;
  options.perplexity = 0;
  REQUIRE_THROWS_AS(embed::tsne(x, options, 1, serial_executor()), InputError);
  options = {};
  options.n_iter = 100;
  REQUIRE_THROWS_AS(embed::tsne(x, options, 1, serial_executor()), InputError);
  REQUIRE_THROWS_AS(embed::tsne(Matrix(2, 3), {}, 1, serial_executor()), InputError);
}
