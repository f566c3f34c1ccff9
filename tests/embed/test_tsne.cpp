#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "clusterbench/embed/tsne.hpp"
#include "embed_test_helpers.hpp"

using namespace cb;

namespace {

/// scikit-learn's trustworthiness and ARI on digits, committed with the script that regenerates them
/// (tests/python/embed_tsne_digits_fixture.py), since its TSNE takes minutes on a loaded machine.
std::vector<double> sklearn_digits_reference() {
  std::ifstream in(std::string(CB_SOURCE_DIR) + "/tests/fixtures/embed/tsne_digits_sklearn.txt");
  std::string numbers;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') numbers += line + " ";
  return test::parse_numbers(numbers);
}

}  // namespace

TEST_CASE("t-SNE on digits matches scikit-learn's trustworthiness and K-Means ARI", "[tsne]") {
  const auto digits = test::load_benchmark("sklearn-digits");
  auto ex = make_parallel_executor(2);
  const auto result = embed::tsne(digits.values, {}, 42, *ex);
  REQUIRE(result.embedding.rows() == digits.rows());
  REQUIRE(result.kl_divergence > 0);
  REQUIRE(result.learning_rate == Approx(std::max(1797.0 / 12.0 / 4.0, 50.0)));
  const double tw = embed::trustworthiness(digits.values, result.embedding, 5, *ex);
  const double ari = test::sklearn_kmeans_ari(result.embedding, *digits.reference, 10);
  const auto ref = sklearn_digits_reference();
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

TEST_CASE("t-SNE: 1 and 2 threads are bit-identical when the quadtree top is built concurrently", "[tsne][determinism]") {
  // Above 4,096 points the quadtree's top subtrees are built as parallel tasks.
  Rng rng(11);
  Matrix x(6000, 5);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index c = 0; c < x.cols(); ++c) x(i, c) = rng.normal() + 6.0 * static_cast<double>(i % 4 == c);
  embed::TsneOptions options;
  options.n_iter = options.exploration_iterations = 250;
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  const auto a = embed::tsne(x, options, 5, *one);
  const auto b = embed::tsne(x, options, 5, *two);
  REQUIRE(a.embedding == b.embedding);
  REQUIRE(a.kl_divergence == b.kl_divergence);
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
