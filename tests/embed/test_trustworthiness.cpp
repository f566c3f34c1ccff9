#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/pca.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

double sklearn_trustworthiness(const Matrix& x, const Matrix& y, Index k) {
  const auto out = test::parse_numbers(
      test::run_python("embed_trustworthiness.py",
                       {test::write_matrix_csv(x, "tw-x"), test::write_matrix_csv(y, "tw-y"), std::to_string(k)}));
  REQUIRE(out.size() == 1);
  return out[0];
}

}  // namespace

TEST_CASE("trustworthiness equals scikit-learn's on a noisy projection", "[trustworthiness]") {
  Rng rng(4);
  Matrix x(300, 6), y(300, 2);
  for (Index i = 0; i < 300; ++i) {
    for (Index j = 0; j < 6; ++j) x(i, j) = rng.normal();
    y(i, 0) = x(i, 0) + 0.3 * rng.normal();
    y(i, 1) = x(i, 1) + 0.3 * rng.normal();
  }
  for (Index k : {1, 5, 12}) {
    const double ours = embed::trustworthiness(x, y, k, serial_executor());
    REQUIRE(ours == Approx(sklearn_trustworthiness(x, y, k)).epsilon(1e-12));
    REQUIRE(ours < 1.0);
  }
}

TEST_CASE("trustworthiness equals scikit-learn's on digits' PCA projection", "[trustworthiness]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values;
  auto ex = make_parallel_executor(2);
  const Matrix y = embed::pca_embedding(x, {}, *ex);
  const double ours = embed::trustworthiness(x, y, 5, *ex);
  // Digits has tied distances; scikit-learn's argsort orders ties arbitrarily, we by index.
  REQUIRE(ours == Approx(sklearn_trustworthiness(x, y, 5)).margin(1e-4));
  REQUIRE(embed::trustworthiness(x, x, 5, *ex) == 1.0);
}

TEST_CASE("trustworthiness rejects n_neighbors ≥ n/2 and mismatched rows", "[trustworthiness][bad-input]") {
  const Matrix x = Matrix::Random(10, 3);
  REQUIRE_THROWS_AS(embed::trustworthiness(x, x, 5, serial_executor()), InputError);
  REQUIRE_THROWS_AS(embed::trustworthiness(x, x.topRows(9), 2, serial_executor()), InputError);
}
