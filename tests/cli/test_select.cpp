#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace cb;

namespace {

/// Runs K-Means and GMM over `ks` on a standardized benchmark set; returns `select --format json`.
nlohmann::json select_on(const std::string& set, const std::string& ks) {
  const auto dir = test::temp_dir("select_" + set);
  const auto config =
      test::write_file(dir, "grid.yaml",
                       "name: " + set + "\nseed: 1\noutput: " + dir +
                           "/out.h5\ndataset:\n  type: benchmark\n  path: " CB_SOURCE_DIR "/data/benchmarks/" + set +
                           ".data.gz\npreprocess:\n  scaling: standard\nalgorithms:\n  - name: kmeans\n    k: " + ks +
                           "\n    params: {n_init: 3}\n  - name: gmm\n    k: " + ks + "\n");
  const auto [run_code, run_out] = test::clusterbench("run -q " + config);
  INFO(run_out);
  REQUIRE(run_code == 0);
  const auto [code, out] = test::clusterbench("select " + dir + "/out.h5 --format json --gap-references 10 -t 1");
  INFO(out);
  REQUIRE(code == 0);
  const auto [again_code, again] =
      test::clusterbench("select " + dir + "/out.h5 --format json --gap-references 10 -t 2");
  REQUIRE(again == out);  // seeded: the gap does not depend on the thread count or the run
  const auto [table_code, table] = test::clusterbench("select " + dir + "/out.h5 --gap-references 10");
  REQUIRE(table_code == 0);
  REQUIRE(table.find("agreement") != std::string::npos);
  REQUIRE(table.find("Methods: ") != std::string::npos);
  return nlohmann::json::parse(out);
}

const nlohmann::json& row_of(const nlohmann::json& rows, const std::string& algorithm) {
  for (const auto& row : rows)
    if (row["algorithm"] == algorithm) return row;
  FAIL("no row for " << algorithm);
  return rows;
}

/// Every criterion that applies to the algorithm chose a k.
void require_all_criteria(const nlohmann::json& rows) {
  for (const auto* c :
       {"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin", "elbow", "gap", "gap_global"})
    REQUIRE(row_of(rows, "kmeans")["chosen"][c].is_number());
  REQUIRE(row_of(rows, "kmeans")["chosen"]["bic"].is_null());
  REQUIRE(row_of(rows, "gmm")["chosen"]["bic"].is_number());
  REQUIRE(row_of(rows, "gmm")["gap"].is_null());
  REQUIRE(row_of(rows, "kmeans")["gap"]["references"] == 10);
}

}  // namespace

TEST_CASE("select finds hepta's 7 clusters by silhouette, CH, DB, BIC and the global gap rule", "[cli][select]") {
  const auto rows = select_on("fcps-hepta", "[2, 3, 4, 5, 6, 7, 8, 9, 10]");
  require_all_criteria(rows);
  const auto& kmeans = row_of(rows, "kmeans")["chosen"];
  for (const auto* c : {"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin", "gap_global"})
    REQUIRE(kmeans[c] == 7);
  REQUIRE(kmeans["gap"] == 1);  // Gap(1) ≈ Gap(2) on hepta: the paper's first-plateau rule stops at 1
  REQUIRE(row_of(rows, "gmm")["chosen"]["bic"] == 7);
  REQUIRE(row_of(rows, "kmeans")["consensus_k"] == 7);
}

TEST_CASE("select finds wine's 3 classes by every criterion for K-Means", "[cli][select]") {
  const auto rows = select_on("uci-wine", "[2, 3, 4, 5, 6, 7, 8]");
  require_all_criteria(rows);
  for (const auto& [criterion, k] : row_of(rows, "kmeans")["chosen"].items())
    if (!k.is_null()) REQUIRE(k == 3);
  REQUIRE(row_of(rows, "kmeans")["agreeing"].size() == 7);
}

TEST_CASE("select finds s1's 15 clusters by every criterion for K-Means", "[cli][select]") {
  const auto rows = select_on("sipu-s1", "[10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]");
  require_all_criteria(rows);
  for (const auto& [criterion, k] : row_of(rows, "kmeans")["chosen"].items())
    if (!k.is_null()) REQUIRE(k == 15);
}

TEST_CASE("select prints every criterion on aggregation whose 7 non-convex clusters none of them finds",
          "[cli][select]") {
  const auto rows = select_on("sipu-aggregation", "[2, 3, 4, 5, 6, 7, 8, 9, 10]");
  require_all_criteria(rows);
  REQUIRE(row_of(rows, "kmeans")["consensus_k"] == 4);
}

TEST_CASE("select rejects a bad format and a single gap reference naming the option", "[cli][select]") {
  const auto dir = test::temp_dir("select_errors");
  const auto config =
      test::iris_grid(dir, "grid.yaml", "output: " + dir + "/out.h5\nalgorithms:\n  - name: kmeans\n    k: [2, 3]\n");
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  const auto [c1, bad_format] = test::clusterbench("select " + dir + "/out.h5 --format yaml");
  REQUIRE(c1 == 1);
  REQUIRE(bad_format.find("--format") != std::string::npos);
  const auto [c2, one] = test::clusterbench("select " + dir + "/out.h5 --gap-references 1");
  REQUIRE(c2 == 1);
  REQUIRE(one.find("--gap-references") != std::string::npos);
}
