#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/prep/preprocess.hpp"

using namespace cb;

TEST_CASE("standard scaling matches population mean/std and keeps constant columns", "[prep]") {
  Matrix x(4, 2);
  x << 1, 5, 2, 5, 3, 5, 4, 5;
  const auto model = prep::fit_preprocess(x, {});
  const Matrix z = model.apply(x);
  REQUIRE(z.col(0).mean() == Approx(0.0).margin(1e-15));
  REQUIRE(std::sqrt(z.col(0).array().square().mean()) == Approx(1.0));
  REQUIRE(model.constant_columns == std::vector<Index>{1});
  REQUIRE(z.col(1).isZero());
}

TEST_CASE("log1p then robust and minmax scaling", "[prep]") {
  Matrix x(5, 1);
  x << 0, 1, 3, 7, 15;
  prep::PrepOptions options;
  options.log1p_columns = {0};
  options.scaling = prep::Scaling::minmax;
  const Matrix z = prep::fit_preprocess(x, options).apply(x);
  REQUIRE(z(0, 0) == 0.0);
  REQUIRE(z(4, 0) == Approx(1.0));
  REQUIRE(z(1, 0) == Approx(0.25));
  options.scaling = prep::Scaling::robust;
  const auto robust = prep::fit_preprocess(x, options);
  REQUIRE(robust.center(0) == Approx(std::log(4.0)));
  REQUIRE(robust.scale(0) == Approx(std::log(8.0) - std::log(2.0)));
}

TEST_CASE("log1p rejects values <= -1", "[prep][bad-input]") {
  Matrix x(2, 1);
  x << 1, -2;
  prep::PrepOptions options;
  options.log1p_columns = {0};
  REQUIRE_THROWS_AS(prep::fit_preprocess(x, options), InputError);
}
