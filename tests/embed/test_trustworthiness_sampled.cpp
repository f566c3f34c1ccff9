#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/core/sampling.hpp"
#include "clusterbench/embed/trustworthiness.hpp"

using namespace cb;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// The slow obvious oracle: point i's penalty Σ max(0, rank − k) over its k
/// embedded neighbours (ties by index), every rank by a full scan.
std::int64_t naive_penalty(const Matrix& x, const Matrix& y, Index k, Index i) {
  const Index n = x.rows();
  std::vector<Index> order;
  for (Index l = 0; l < n; ++l)
    if (l != i) order.push_back(l);
  const auto ed = [&](Index l) { return (y.row(i) - y.row(l)).squaredNorm(); };
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return ed(a) < ed(b); });
  std::int64_t penalty = 0;
  for (Index c = 0; c < k; ++c) {
    const Index j = order[static_cast<std::size_t>(c)];
    const double dj = (x.row(i) - x.row(j)).squaredNorm();
    std::int64_t rank = 1;
    for (Index l = 0; l < n; ++l) {
      const double dl = (x.row(i) - x.row(l)).squaredNorm();
      if (l != i && (dl < dj || (dl == dj && l < j))) ++rank;
    }
    if (rank > k) penalty += rank - k;
  }
  return penalty;
}

/// sklearn's formula with the sum over all points estimated from the rows given.
double naive_estimate(const Matrix& x, const Matrix& y, Index k, const std::vector<Index>& rows) {
  std::int64_t total = 0;
  for (Index i : rows) total += naive_penalty(x, y, k, i);
  const double n = static_cast<double>(x.rows()), kd = static_cast<double>(k);
  return 1.0 - static_cast<double>(total) * (n / static_cast<double>(rows.size())) *
                   (2.0 / (n * kd * (2.0 * n - 3.0 * kd - 1.0)));
}

/// d-dimensional data and a noisy 2-D projection of it; `grid` rounds both to
/// small integers so that many distances tie exactly.
std::pair<Matrix, Matrix> noisy_projection(Index n, Index d, std::uint64_t seed, bool grid = false) {
  Rng rng(seed);
  Matrix x(n, d), y(n, 2);
  for (Index i = 0; i < n; ++i) {
    for (Index f = 0; f < d; ++f) x(i, f) = rng.normal();
    y(i, 0) = x(i, 0) + 0.4 * rng.normal();
    y(i, 1) = x(i, 1) + 0.4 * rng.normal();
  }
  if (grid) x = (2 * x).array().round(), y = (2 * y).array().round();
  return {x, y};
}

std::vector<Index> all_rows(Index n) {
  std::vector<Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Index{0});
  return rows;
}

}  // namespace

TEST_CASE("sampled trustworthiness over all rows is the exact one, equal to the naive oracle",
          "[trustworthiness][sampled][oracle]") {
  auto ex = make_parallel_executor(2);
  for (bool grid : {false, true}) {
    INFO("tied distances: " << grid);
    const auto [x, y] = noisy_projection(230, 5, 3, grid);  // 230: ragged last tile and panel
    for (Index k : {1, 7, 20}) {
      const auto rows = all_rows(x.rows());
      const auto estimate = embed::trustworthiness_sampled(x, y, k, rows, *ex);
      REQUIRE(estimate.sampled);
      REQUIRE(estimate.sample_size == x.rows());
      REQUIRE(std::abs(estimate.value - naive_estimate(x, y, k, rows)) <= 1e-12);
      REQUIRE(estimate.value < 1.0);
      REQUIRE(estimate.std_error == 0.0);
      REQUIRE(estimate.ci_low == estimate.value);
      REQUIRE(estimate.ci_high == estimate.value);
      const double exact = embed::trustworthiness(x, y, k, *ex);
      REQUIRE(same_bits(exact, estimate.value));
      const auto unsampled = embed::trustworthiness_sampled(x, y, k, {}, *ex);
      REQUIRE_FALSE(unsampled.sampled);
      REQUIRE(same_bits(unsampled.value, exact));
    }
  }
}

TEST_CASE("sampled trustworthiness computes each sampled point's exact term", "[trustworthiness][sampled][oracle]") {
  auto ex = make_parallel_executor(2);
  for (bool grid : {false, true}) {
    const auto [x, y] = noisy_projection(400, 4, 8, grid);
    auto rows = uniform_row_sample(400, 70, 5);
    std::reverse(rows.begin(), rows.end());  // any order
    const auto estimate = embed::trustworthiness_sampled(x, y, 6, rows, *ex);
    REQUIRE(estimate.sample_size == 70);
    REQUIRE(std::abs(estimate.value - naive_estimate(x, y, 6, rows)) <= 1e-12);
    REQUIRE(estimate.std_error > 0);
    REQUIRE(estimate.ci_low < estimate.value);
    REQUIRE(estimate.ci_high > estimate.value);
  }
}

TEST_CASE("sampled trustworthiness ranks ties by index across panels", "[trustworthiness][sampled][oracle]") {
  // More points than one panel (4096), on a coarse grid: many exact ties,
  // with neighbours before, inside and after each panel.
  const auto [x, y] = noisy_projection(5000, 3, 13, /*grid=*/true);
  const auto rows = uniform_row_sample(5000, 40, 2);
  const auto estimate = embed::trustworthiness_sampled(x, y, 8, rows, *make_parallel_executor(2));
  REQUIRE(std::abs(estimate.value - naive_estimate(x, y, 8, rows)) <= 1e-12);
}

TEST_CASE("the 95% interval of sampled trustworthiness covers the exact value",
          "[trustworthiness][sampled][coverage]") {
  auto ex = make_parallel_executor(2);
  const auto [x, y] = noisy_projection(3000, 6, 21);
  for (Index k : {5, 12}) {
    const double exact = embed::trustworthiness(x, y, k, *ex);
    const int seeds = 200;
    int covered = 0;
    for (int seed = 0; seed < seeds; ++seed) {
      const auto rows = uniform_row_sample(3000, 300, static_cast<std::uint64_t>(seed));
      const auto e = embed::trustworthiness_sampled(x, y, k, rows, *ex);
      covered += e.ci_low <= exact && exact <= e.ci_high;
    }
    INFO("k " << k << ": covered " << covered << " of " << seeds << ", exact " << exact);
    REQUIRE(covered >= 180);   // nominal 95%: ≥ 90% required
    REQUIRE(covered < seeds);  // P(200 of 200) at 95% is 3.5e-5: an always-covering interval is too wide
  }
}

TEST_CASE("sampled trustworthiness is bit-identical for 1 and 2 threads", "[trustworthiness][sampled][determinism]") {
  const auto [x, y] = noisy_projection(5000, 6, 2);  // 2 panels, 16 tiles
  const auto rows = uniform_row_sample(5000, 500, 9);
  const auto one = embed::trustworthiness_sampled(x, y, 10, rows, *make_parallel_executor(1));
  const auto two = embed::trustworthiness_sampled(x, y, 10, rows, *make_parallel_executor(2));
  REQUIRE(same_bits(one.value, two.value));
  REQUIRE(same_bits(one.std_error, two.std_error));
  REQUIRE(same_bits(one.ci_low, two.ci_low));
  REQUIRE(same_bits(one.ci_high, two.ci_high));
}

TEST_CASE("sampled trustworthiness rejects repeated or out-of-range rows", "[trustworthiness][sampled][bad-input]") {
  const Matrix x = Matrix::Random(20, 3);
  const std::vector<Index> twice{1, 4, 1};
  const std::vector<Index> outside{0, 20};
  REQUIRE_THROWS_AS(embed::trustworthiness_sampled(x, x, 2, twice, serial_executor()), InputError);
  REQUIRE_THROWS_AS(embed::trustworthiness_sampled(x, x, 2, outside, serial_executor()), InputError);
  REQUIRE_THROWS_AS(embed::trustworthiness_sampled(x, x, 10, {}, serial_executor()), InputError);
}
