#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/fail_on.hpp"
#include "clusterbench/report/metric_catalog.hpp"
#include "clusterbench/report/partition_agreement.hpp"

using namespace cb;

TEST_CASE("partition agreement ignores cluster ids but not noise", "[report][diff]") {
  const Labels a{0, 0, 1, 1, 2, -1};
  const auto permuted = report::partition_agreement(a, {2, 2, 0, 0, 1, -1});
  REQUIRE(permuted.same_partition);
  REQUIRE(permuted.ari == 1.0);
  REQUIRE_FALSE(report::partition_agreement(a, {2, 2, 0, 0, 1, 1}).same_partition);   // noise became a cluster
  REQUIRE_FALSE(report::partition_agreement(a, {0, 0, 0, 0, 2, -1}).same_partition);  // two clusters merged
  REQUIRE_FALSE(report::partition_agreement({0, 0, 0, 0, 2, -1}, a).same_partition);  // and split, the other way
  REQUIRE(std::isnan(report::partition_agreement({}, {}).ari));
}

TEST_CASE("fail-on grammar takes metrics and time and agreement and missing and lists valid names on a typo",
          "[report][diff]") {
  const auto conditions =
      report::parse_fail_on("silhouette<-0.01, time>1.25,agreement<=0.99,missing,davies_bouldin>=1e-2");
  REQUIRE(conditions.size() == 5);
  REQUIRE(conditions[0].metric == "silhouette");
  REQUIRE(conditions[0].op == "<");
  REQUIRE(conditions[0].threshold == -0.01);
  REQUIRE(conditions[1].kind == report::FailCondition::Kind::time_ratio);
  REQUIRE(conditions[2].kind == report::FailCondition::Kind::agreement);
  REQUIRE(conditions[3].kind == report::FailCondition::Kind::missing);
  REQUIRE(conditions[4].threshold == 0.01);
  REQUIRE_THROWS_WITH(report::parse_fail_on("silhouete<0"), Catch::Contains("valid: silhouette, silhouette_ref"));
  REQUIRE_THROWS_AS(report::parse_fail_on("silhouette<"), InputError);
  REQUIRE_THROWS_AS(report::parse_fail_on("silhouette<0,"), InputError);
}

TEST_CASE("the metric catalog gives directions instead of name tests", "[report]") {
  REQUIRE(report::lower_is_better("davies_bouldin"));
  REQUIRE(report::lower_is_better("bic"));
  REQUIRE_FALSE(report::lower_is_better("silhouette_ref"));
  REQUIRE(report::find_metric("silhouette")->computation == report::Computation::sampled_above_budget);
  REQUIRE(report::find_metric("calinski_harabasz")->computation == report::Computation::exact);
  REQUIRE(report::find_metric("no_such") == nullptr);
}
