#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "clusterbench/metrics/dbcv.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;

TEST_CASE("a grid stores DBCV beside silhouette for DBSCAN runs only and rank and select use it", "[cli][dbcv]") {
  const auto dir = test::temp_dir("dbcv_grid");
  const auto config =
      test::write_file(dir, "grid.yaml",
                       "name: jain\nseed: 1\noutput: " + dir +
                           "/out.h5\ndataset:\n  type: benchmark\n  path: " CB_SOURCE_DIR
                           "/data/benchmarks/sipu-jain.data.gz\n"
                           "algorithms:\n  - name: dbscan\n    k: [2, 3, 4]\n  - name: kmeans\n    k: [2, 3]\n");
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
  const auto result = store::read_results(dir + "/out.h5");
  std::size_t checked = 0;
  for (const auto& run : result.runs) {
    if (run.algorithm != "dbscan") {
      REQUIRE((!run.scores.count("dbcv") || std::isnan(run.scores.at("dbcv"))));  // the store keeps one column: NaN
      continue;
    }
    if (run.status != "ok") continue;
    REQUIRE(run.scores.at("dbcv") == metrics::dbcv(result.spaces.front().points, run.labels));
    ++checked;
  }
  REQUIRE(checked >= 2);
  const auto [rank_code, ranked] =
      test::clusterbench("rank " + dir + "/out.h5 --by dbcv --format json --columns k,dbcv");
  REQUIRE(rank_code == 0);
  const auto rows = nlohmann::json::parse(ranked);
  REQUIRE(rows.size() == checked);
  for (std::size_t i = 1; i < rows.size(); ++i)
    REQUIRE(rows[i - 1]["dbcv"].get<double>() >= rows[i]["dbcv"].get<double>());
  const auto [select_code, selected] = test::clusterbench("select " + dir + "/out.h5 --format json --gap-references 0");
  REQUIRE(select_code == 0);
  for (const auto& row : nlohmann::json::parse(selected))
    REQUIRE(row["chosen"]["dbcv"].is_null() == (row["algorithm"] != "dbscan"));
}
