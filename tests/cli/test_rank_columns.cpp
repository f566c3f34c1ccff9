#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace cb;

namespace {
std::string hepta_grid(const std::string& dir) {
  return test::write_file(dir, "grid.yaml",
                          "name: hepta\nseed: 2\noutput: " + dir +
                              "/out.h5\ndataset:\n  type: benchmark\n  path: " CB_SOURCE_DIR
                              "/data/benchmarks/fcps-hepta.data.gz\n"
                              "algorithms:\n  - name: kmeans\n    k: [2, 7]\n    params: {n_init: 2}\n"
                              "  - name: gmm\n    k: [3]\n");
}
}  // namespace

TEST_CASE("rank --columns picks columns in order and shows only non-default parameters", "[cli][rank]") {
  const auto dir = test::temp_dir("rank_columns");
  REQUIRE(test::clusterbench("run -q " + hepta_grid(dir)).first == 0);
  const auto [code, csv] = test::clusterbench("rank " + dir + "/out.h5 --format csv --columns k,algorithm,params,bic");
  INFO(csv);
  REQUIRE(code == 0);
  REQUIRE(csv.rfind("k,algorithm,params,bic\n", 0) == 0);
  REQUIRE(csv.find(",kmeans,n_init=2,\n") != std::string::npos);  // kmeans has no bic; n_init differs from its default
  REQUIRE(csv.find("3,gmm,,") != std::string::npos);              // gmm with every default: empty params
  const auto [bad_code, bad] = test::clusterbench("rank " + dir + "/out.h5 --columns k,sillhouette");
  REQUIRE(bad_code == 1);
  REQUIRE(bad.find("unknown column 'sillhouette'") != std::string::npos);
  REQUIRE(bad.find("silhouette_ref") != std::string::npos);
}

TEST_CASE("rank --where filters on numeric columns with six operators and is repeatable", "[cli][rank]") {
  const auto dir = test::temp_dir("rank_where");
  REQUIRE(test::clusterbench("run -q " + hepta_grid(dir)).first == 0);
  auto ks_of = [&](const std::string& where) {
    const auto [code, out] = test::clusterbench("rank " + dir + "/out.h5 --format json --columns k,algorithm " + where);
    INFO(out);
    REQUIRE(code == 0);
    std::multiset<int> ks;
    for (const auto& row : nlohmann::json::parse(out)) ks.insert(row["k"].get<int>());
    return ks;
  };
  REQUIRE(ks_of("--where 'k>=6'") == std::multiset<int>{6, 7});
  REQUIRE(ks_of("--where 'k<3'") == std::multiset<int>{2});
  REQUIRE(ks_of("--where 'k<=3'") == std::multiset<int>{2, 3, 3});
  REQUIRE(ks_of("--where 'k>6'") == std::multiset<int>{7});
  REQUIRE(ks_of("--where 'k==3'") == std::multiset<int>{3, 3});
  REQUIRE(ks_of("--where 'k!=3' --where 'k<5'") == std::multiset<int>{2, 4});
  REQUIRE(ks_of("--where 'bic>0'") == std::multiset<int>{3});  // runs without the column do not pass
  REQUIRE(ks_of("--where 'min_cluster_share>=0.02' --where 'k==7'").size() == 1);
  const auto [code, out] = test::clusterbench("rank " + dir + "/out.h5 --where 'min_share>=0.02'");
  REQUIRE(code == 1);
  REQUIRE(out.find("unknown column 'min_share'") != std::string::npos);
  REQUIRE(out.find("min_cluster_share") != std::string::npos);
  REQUIRE(out.find("algorithm") == std::string::npos);  // only numeric columns are listed
  REQUIRE(test::clusterbench("rank " + dir + "/out.h5 --where 'k~3'").first == 1);
}
