#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "clusterbench/core/error.hpp"
#include "clusterbench/exports/sqlite_export.hpp"
#include "support/test_support.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Three points whose first feature is called "id", and three runs: a sampled
/// K-Means, a DBSCAN with noise and a failed run without labels.
records::GridResult small_grid() {
  records::GridResult result;
  result.provenance.grid_name = "small";
  result.data.ids = {"a", "b,c", "d"};
  result.data.columns = {"id", "x"};
  result.data.values = Matrix(3, 2);
  result.data.values << 1, 0.5, 2, 77183.6, 3, -1;
  result.data.reference = Labels{0, 1, 1};

  records::RunRecord kmeans;
  kmeans.key = "k1";
  kmeans.space = "raw";
  kmeans.algorithm = "kmeans";
  kmeans.params = R"({"n_init":4})";
  kmeans.k = 2;
  kmeans.k_found = 2;
  kmeans.seed = 18446744073709551557ULL;  // above INT64_MAX
  kmeans.labels = {0, 1, 1};
  kmeans.scores = {{"silhouette", 0.25},
                   {"silhouette_ref", 0.5},
                   {"silhouette_sample", 2},
                   {"silhouette_ci_low", 0.125},
                   {"silhouette_ci_high", 0.375},
                   {"silhouette_ref_ci_low", 0.4},
                   {"silhouette_ref_ci_high", 0.6},
                   {"calinski_harabasz", kNaN}};
  kmeans.values = {{"inertia", 12.5}};
  records::set_cluster_sizes(kmeans);

  records::RunRecord dbscan;
  dbscan.key = "d1";
  dbscan.space = "raw";
  dbscan.algorithm = "dbscan";
  dbscan.k = 2;
  dbscan.k_found = 1;
  dbscan.status = "k_not_reached";
  dbscan.labels = {0, kNoise, 0};
  dbscan.scores = {{"noise_fraction", 1.0 / 3}};
  records::set_cluster_sizes(dbscan);

  records::RunRecord failed;
  failed.key = "f1";
  failed.space = "raw";
  failed.algorithm = "gmm";
  failed.k = 3;
  failed.status = "failed";
  failed.message = "singular covariance";
  result.runs = {kmeans, dbscan, failed};
  return result;
}

std::string sql(const std::string& database, const std::string& query) {
  const auto [code, out] = test::run_command("sqlite3 -batch '" + database + "' \"" + query + "\"");
  INFO(query << "\n" << out);
  REQUIRE(code == 0);
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("the SQLite export writes runs, scores in long format, points and assignments", "[exports][sqlite]") {
  const auto dir = test::temp_dir("sqlite_export");
  const std::string database = dir + "/grid.sqlite";
  const auto summary = exports::write_sqlite(database, small_grid(), {});
  CHECK(summary.runs == 3);
  CHECK(summary.assignments == 6);
  CHECK(summary.points == 3);
  CHECK(summary.profiles == 0);

  CHECK(sql(database,
            "SELECT key, plan_order, k, k_found, seed, status, ifnull(message, 'NULL'), labelled_points, "
            "noise_points, cluster_sizes FROM runs ORDER BY plan_order") ==
        "k1|0|2|2|18446744073709551557|ok|NULL|3|0|1/2\n"
        "d1|1|2|1|0|k_not_reached|NULL|3|1|2\n"
        "f1|2|3|0|0|failed|singular covariance|||\n");
  CHECK(sql(database,
            "SELECT key, eligible, ifnull(ineligible_reason, ''), ifnull(leaderboard_rank, 'NULL') FROM runs "
            "ORDER BY plan_order") == "k1|1||1\nd1|0|k_not_reached|NULL\nf1|0|k_not_reached|NULL\n");
  CHECK(sql(database, "SELECT typeof(k), typeof(seed), typeof(fit_seconds), typeof(params) FROM runs LIMIT 1") ==
        "integer|text|real|text\n");

  // The interval and sample size are columns of the sampled scores, not rows; NaN is NULL.
  CHECK(sql(database,
            "SELECT metric, ifnull(value, 'NULL'), kind, computation, ifnull(sample_size, ''), "
            "ifnull(ci_low, ''), ifnull(ci_high, '') FROM scores WHERE run_key = 'k1' ORDER BY metric") ==
        "calinski_harabasz|NULL|score|exact|||\n"
        "inertia|12.5|value|exact|||\n"
        "min_cluster_share|0.333333333333333|score|exact|||\n"
        "silhouette|0.25|score|sampled|2|0.125|0.375\n"
        "silhouette_ref|0.5|score|sampled|2|0.4|0.6\n");

  CHECK(sql(database, "SELECT cluster, size FROM clusters WHERE run_key = 'd1' ORDER BY cluster") == "-1|1\n0|2\n");
  CHECK(sql(database, "SELECT run_key, point, id, cluster FROM assignments ORDER BY run_key, point") ==
        "d1|0|a|0\nd1|1|b,c|-1\nd1|2|d|0\nk1|0|a|0\nk1|1|b,c|1\nk1|2|d|1\n");
  // A feature called "id" does not collide with the point's id.
  CHECK(sql(database, "SELECT point, id, feature_id, x, reference_label FROM points ORDER BY point") ==
        "0|a|1.0|0.5|0\n1|b,c|2.0|77183.6|1\n2|d|3.0|-1.0|1\n");
  CHECK(sql(database, "SELECT value FROM metadata WHERE name = 'grid_name'") == "small\n");
  CHECK(sql(database, "SELECT count(*) FROM profiles") == "0\n");
}

TEST_CASE("a failed SQLite export leaves the existing database and no temporary file", "[exports][sqlite]") {
  const auto dir = test::temp_dir("sqlite_export_fail");
  const std::string database = dir + "/grid.sqlite";
  std::ofstream(database) << "the previous export";
  auto broken = small_grid();
  broken.runs[1].labels.pop_back();  // fails while the assignments are written, after the other tables
  CHECK_THROWS_AS(exports::write_sqlite(database, broken, {}), InputError);
  CHECK(read_text(database) == "the previous export");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);

  exports::write_sqlite(database, small_grid(), {});
  CHECK(sql(database, "SELECT count(*) FROM runs") == "3\n");
}
