// Tie policies against their reference tools (pandas qcut on ranks, numpy
// type-7 quantiles with <=, the R package rfm's rule, SQLite NTILE) on a small
// committed fixture with heavy ties.
#include <catch2/catch.hpp>

#include <sstream>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

std::string fixture() { return std::string(CB_SOURCE_DIR) + "/tests/fixtures/rfm/ties.csv"; }

Dataset head(const Dataset& d, Index n) {
  Dataset h = d;
  h.values = d.values.topRows(n);
  h.ids.resize(static_cast<std::size_t>(n));
  return h;
}

}  // namespace

TEST_CASE("every tie policy equals its reference tool on heavily tied data", "[rfm]") {
  io::FeaturesCsvOptions csv;
  csv.id_column = "customer";
  const Dataset all = io::read_features_csv(fixture(), csv);
  REQUIRE(all.rows() == 61);
  std::istringstream expected(test::run_python("rfm_scores.py", {fixture(), "3,7,11,23,61", "5,4,3"}));
  int bins = 0;
  Index n = 0;
  std::string policy;
  int lines = 0;
  while (expected >> bins >> n >> policy) {
    ++lines;
    const Dataset data = head(all, n);
    INFO("policy " << policy << ", n = " << n << ", bins = " << bins);
    const auto s = rfm::score(data, {bins, rfm::parse_tie_policy(policy)});
    std::vector<int> got, want(static_cast<std::size_t>(3 * n));
    for (auto& w : want) expected >> w;
    for (Index i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      got.insert(got.end(), {s.r[k], s.f[k], s.m[k]});
      CHECK(s.code[k] == 100 * s.r[k] + 10 * s.f[k] + s.m[k]);
      CHECK(s.fm[k] == (s.f[k] + s.m[k]) / 2.0);
    }
    CHECK(got == want);
    // Pinned scoring with the cut points of the same data: value cut points
    // reproduce the scores; rank-based ones give each value its lowest level
    // (ties split across levels cannot be reproduced from values).
    const auto pinned = rfm::score_pinned(data, s.cuts);
    const auto& p = s.cuts.frequency;
    for (Index i = 0; i < n; ++i) {
      int lowest = bins;
      for (Index j = 0; j < n; ++j)
        if (data.values(j, 1) == data.values(i, 1)) lowest = std::min(lowest, s.f[static_cast<std::size_t>(j)]);
      CHECK(pinned.f[static_cast<std::size_t>(i)] == lowest);
      CHECK(p.ascending_score(data.values(i, 1)) == lowest);
    }
    if (policy == "cut_le" || policy == "r_rfm") CHECK(pinned.code == s.code);
  }
  CHECK(lines == 3 * 5 * 4);
}

TEST_CASE("scores reject bad settings and missing columns", "[rfm]") {
  Dataset d;
  d.columns = {"recency", "frequency"};
  d.values = Matrix::Ones(3, 2);
  CHECK_THROWS_AS(rfm::score(d), InputError);
  d.columns = {"recency", "frequency", "monetary"};
  d.values = Matrix::Ones(3, 3);
  CHECK_THROWS_AS(rfm::score(d, {1, rfm::TiePolicy::cut_le}), InputError);
  CHECK_THROWS_AS(rfm::score(d, {10, rfm::TiePolicy::cut_le}), InputError);
  CHECK_THROWS_AS(rfm::parse_tie_policy("quantile"), ConfigError);
  const auto s = rfm::score(d, {5, rfm::TiePolicy::cut_le});  // all tied: lowest bin, recency reversed
  CHECK(s.code == std::vector<int>{511, 511, 511});
}
