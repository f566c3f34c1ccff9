#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

/// Two 196-point lattices 10 apart and a far group of 3 points: K-Means at k = 3
/// isolates the group (best silhouette, but a 0.76 % cluster); DBSCAN (min_samples 5)
/// calls it noise and finds the two lattices.
std::string lattices_and_far_group(const std::string& dir) {
  std::ostringstream csv;
  csv << "id,x,y\n";
  int id = 0;
  for (const int cx : {0, 10})
    for (int a = 0; a < 14; ++a)
      for (int b = 0; b < 14; ++b) csv << id++ << ',' << cx + a * 0.15 << ',' << b * 0.15 << '\n';
  for (const char* far_point : {"5,30", "5.1,30", "5,30.1"}) csv << id++ << ',' << far_point << '\n';
  return test::write_file(dir, "points.csv", csv.str());
}

std::string grid(const std::string& dir, const std::string& extra = "") {
  return test::write_file(dir, "grid.yaml",
                          "name: lb\nseed: 3\noutput: " + dir + "/out.h5\n" +
                              "dataset: {type: features, path: " + lattices_and_far_group(dir) +
                              ", id_column: id}\n"
                              "algorithms:\n"
                              "  - {name: kmeans, k: [2, 4], params: {n_init: 4}}\n"
                              "  - {name: dbscan, k: [2, 4], params: {min_samples: 5}}\n" +
                              extra);
}

std::string first_data_line(const std::string& table) {
  std::istringstream in(table);
  std::string line;
  std::getline(in, line);  // header
  std::getline(in, line);
  return line;
}

}  // namespace

TEST_CASE("a run with a tiny cluster never leads: eligible runs first, the others with their reason",
          "[cli][leaderboard]") {
  const auto dir = test::temp_dir("leaderboard-policy");
  const auto [code, out] = test::clusterbench("run " + grid(dir));
  INFO(out);
  REQUIRE(code == 0);

  const auto result = store::read_results(dir + "/out.h5");
  const records::RunRecord* kmeans3 = nullptr;
  for (const auto& run : result.runs)
    if (run.algorithm == "kmeans" && run.k == 3) kmeans3 = &run;
  REQUIRE(kmeans3 != nullptr);
  // The premise: the isolating run has the best silhouette of all, and a 3-point cluster.
  for (const auto& run : result.runs)
    if (run.scores.count("silhouette") && std::isfinite(run.scores.at("silhouette")))
      CHECK(run.scores.at("silhouette") <= kmeans3->scores.at("silhouette"));
  REQUIRE(kmeans3->cluster_sizes == std::vector<std::int64_t>{196, 196, 3});

  const auto [c1, table] = test::clusterbench("rank " + dir + "/out.h5");
  INFO(table);
  REQUIRE(c1 == 0);
  const auto first = first_data_line(table);
  CHECK(first.find("dbscan") != std::string::npos);
  CHECK(first.find("196/196 ") != std::string::npos);
  CHECK(first.find(" yes ") != std::string::npos);
  CHECK(table.find("no: tiny_cluster") != std::string::npos);
  CHECK(table.find("no: mostly_noise") != std::string::npos);      // DBSCAN at k = 4 leaves a third as noise
  CHECK(table.find("k_not_reachable, k 3") != std::string::npos);  // collapsed into one line
  // Every eligible row comes before every ineligible one.
  CHECK(table.find(" yes ", table.find("no: ")) == std::string::npos);

  SECTION("rank's flags relax the policy") {
    const auto [c2, relaxed] = test::clusterbench("rank " + dir + "/out.h5 --min-cluster-share 0.005 --top 1");
    REQUIRE(c2 == 0);
    CHECK(first_data_line(relaxed).find("196/196/3") != std::string::npos);
  }
  SECTION("the config's leaderboard section decides, and is stored with the results") {
    const auto relaxed_dir = test::temp_dir("leaderboard-policy-relaxed");
    const auto [c3, out3] =
        test::clusterbench("run -q " + grid(relaxed_dir, "leaderboard: {min_cluster_share: 0.005}\n"));
    REQUIRE(c3 == 0);
    CHECK(store::read_results(relaxed_dir + "/out.h5").leaderboard.min_cluster_share == 0.005);
    const auto [c4, relaxed] = test::clusterbench("rank " + relaxed_dir + "/out.h5 --top 1");
    CHECK(first_data_line(relaxed).find("196/196/3") != std::string::npos);
  }
  SECTION("export picks the best eligible run") {
    const auto [c5, exported] = test::clusterbench("export " + dir + "/out.h5 -o " + dir + "/best.csv");
    INFO(exported);
    REQUIRE(c5 == 0);
    CHECK(exported.find("dbscan") != std::string::npos);
  }
  SECTION("JSON carries sizes, eligibility and the reason") {
    const auto [c6, json] = test::clusterbench("rank " + dir + "/out.h5 --format json");
    CHECK(json.find("\"ineligible_reason\": \"tiny_cluster\"") != std::string::npos);
    CHECK(json.find("\"eligible\": true") != std::string::npos);
  }
}

TEST_CASE("a leaderboard section with a typo or a bad value is an error naming the key", "[cli][leaderboard]") {
  const auto dir = test::temp_dir("leaderboard-typo");
  for (const auto& [section, expected] :
       std::vector<std::pair<std::string, std::string>>{{"leaderboard: {min_cluster_shar: 0.01}\n", "min_cluster_shar"},
                                                        {"leaderboard: {max_noise_share: 2}\n", "max_noise_share"},
                                                        {"leaderboard: {rank_by: silhuette}\n", "silhuette"}}) {
    const auto [code, out] = test::clusterbench("run -q " + grid(dir, section));
    INFO(section << out);
    CHECK(code != 0);
    CHECK(out.find(expected) != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out.h5"));
  }
}
