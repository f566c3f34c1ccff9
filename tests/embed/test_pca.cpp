#include <catch2/catch.hpp>

#include <cmath>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/pca.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

Matrix random_points(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = rng.normal() * (1.0 + j) + 0.5 * j;  // distinct variances
  return x;
}

// Compares a fitted model with numpy's SVD (components up to sign, to 1e-9).
void require_matches_numpy(const Matrix& x, const embed::PcaModel& model) {
  const Index m = model.components.rows();
  const Index d = x.cols();
  const auto ref =
      test::parse_numbers(test::run_python("embed_pca.py", {test::write_matrix_csv(x, "pca"), std::to_string(m)}));
  REQUIRE(ref.size() == static_cast<std::size_t>(m * d + 2 * m));
  for (Index c = 0; c < m; ++c) {
    double dot = 0;
    for (Index j = 0; j < d; ++j) dot += ref[c * d + j] * model.components(c, j);
    const double sign = dot < 0 ? -1.0 : 1.0;
    for (Index j = 0; j < d; ++j) REQUIRE(std::abs(sign * model.components(c, j) - ref[c * d + j]) <= 1e-9);
    REQUIRE(model.explained_variance(c) == Approx(ref[m * d + c]).epsilon(1e-10));
    REQUIRE(model.explained_variance_ratio(c) == Approx(ref[m * d + m + c]).epsilon(1e-10));
  }
}

}  // namespace

TEST_CASE("PCA (covariance route) equals numpy's SVD on digits", "[pca]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values;
  embed::PcaOptions options;
  options.n_components = 10;
  const auto model = embed::fit_pca(x, options, serial_executor());
  require_matches_numpy(x, model);
}

TEST_CASE("PCA (SVD route, n < d) equals numpy's SVD", "[pca]") {
  const Matrix x = random_points(40, 60, 3);
  embed::PcaOptions options;
  options.n_components = 5;
  const auto model = embed::fit_pca(x, options, serial_executor());
  require_matches_numpy(x, model);
  options.solver = embed::PcaSolver::covariance;  // both routes agree
  const auto cov = embed::fit_pca(x, options, serial_executor());
  for (Index c = 0; c < 5; ++c)
    REQUIRE(std::abs(std::abs(cov.components.row(c).dot(model.components.row(c))) - 1.0) < 1e-9);
}

TEST_CASE("PCA transform: projections, whitening and new points", "[pca]") {
  const Matrix x = random_points(500, 6, 9);
  embed::PcaOptions options;
  options.n_components = 3;
  options.whiten = true;
  const auto model = embed::fit_pca(x, options, serial_executor());
  const Matrix y = model.transform(x, serial_executor());
  for (Index c = 0; c < 3; ++c) {
    REQUIRE(y.col(c).mean() == Approx(0.0).margin(1e-12));
    REQUIRE(y.col(c).squaredNorm() / 499.0 == Approx(1.0).epsilon(1e-10));
  }
  // A new point maps by the same affine map.
  const Matrix one = x.topRows(1);
  REQUIRE((model.transform(one, serial_executor()) - y.topRows(1)).norm() < 1e-12);
  REQUIRE(model.explained_variance_ratio.sum() <= 1.0 + 1e-12);
}

TEST_CASE("PCA: 1 thread and 2 threads are bit-identical", "[pca][determinism]") {
  const Matrix x = random_points(40000, 8, 5);
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  const Matrix a = embed::pca_embedding(x, {}, *one);
  const Matrix b = embed::pca_embedding(x, {}, *two);
  REQUIRE(a == b);
}

TEST_CASE("PCA rejects bad n_components and empty data", "[pca][bad-input]") {
  const Matrix x = random_points(10, 3, 1);
  embed::PcaOptions options;
  options.n_components = 4;
  REQUIRE_THROWS_AS(embed::fit_pca(x, options, serial_executor()), InputError);
  options.n_components = 0;
  REQUIRE_THROWS_AS(embed::fit_pca(x, options, serial_executor()), InputError);
  REQUIRE_THROWS_AS(embed::fit_pca(Matrix(0, 3), {}, serial_executor()), InputError);
}
