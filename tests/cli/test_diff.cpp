#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;

namespace {
std::string config(const std::string& dir, const std::string& name, int seed, const std::string& k) {
  return test::write_file(dir, name + ".yaml",
                          "name: " + name + "\nseed: " + std::to_string(seed) + "\noutput: " + dir + "/" + name +
                              ".h5\ndataset:\n  type: benchmark\n  path: " CB_SOURCE_DIR
                              "/data/benchmarks/fcps-hepta.data.gz\n"
                              "algorithms:\n  - name: kmeans\n    k: " +
                              k + "\n    params: {n_init: 1}\n");
}
}  // namespace

TEST_CASE("diff matches runs by identity and reports presence, ranks and deltas", "[cli][diff]") {
  const auto dir = test::temp_dir("diff");
  REQUIRE(test::clusterbench("run -q " + config(dir, "a", 1, "[2, 4]")).first == 0);
  REQUIRE(test::clusterbench("run -q " + config(dir, "b", 1, "[3, 5]")).first == 0);
  const auto [code, out] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/b.h5 --format csv");
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("raw,kmeans,2,") != std::string::npos);
  REQUIRE(out.find(",only_a") != std::string::npos);
  REQUIRE(out.find(",only_b") != std::string::npos);
  // Same seed, same data, same k: the shared runs have identical labels and zero delta.
  REQUIRE(out.find("+0.0000,1.0000,same,both,key") != std::string::npos);
  const auto [code2, same] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/a.h5 --changed");
  REQUIRE(code2 == 0);
  REQUIRE(same.find("(no differences)") != std::string::npos);
}

namespace {
/// A copy of `from` at `to` after `change` edited its runs.
template <class Change>
void write_changed_copy(const std::string& from, const std::string& to, Change change) {
  auto result = store::read_results(from);
  for (auto& run : result.runs) change(run);
  store::write_results(to, result);
}
}  // namespace

TEST_CASE("diff reports the same partition when the second store's cluster ids are permuted", "[cli][diff]") {
  const auto dir = test::temp_dir("diff_permuted");
  REQUIRE(test::clusterbench("run -q " + config(dir, "a", 3, "[3, 7]")).first == 0);
  write_changed_copy(dir + "/a.h5", dir + "/permuted.h5", [](records::RunRecord& run) {
    for (auto& l : run.labels)
      if (l >= 0) l = (l + 1) % run.k_found;  // every id moves: a byte comparison would say "differ"
  });
  const auto [code, out] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/permuted.h5 --format json");
  INFO(out);
  REQUIRE(code == 0);
  const auto rows = nlohmann::json::parse(out);
  REQUIRE(rows.size() == 5);
  for (const auto& row : rows) {
    REQUIRE(row["matched_by"] == "key");
    REQUIRE(row["same_partition"] == true);
    REQUIRE(row["ari"].get<double>() == 1.0);
  }
  // Keys differ across program versions: the runs then pair up by space, algorithm, params and k.
  write_changed_copy(dir + "/a.h5", dir + "/rekeyed.h5", [](records::RunRecord& run) { run.key = "new-" + run.key; });
  const auto [rekeyed_code, rekeyed] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/rekeyed.h5 --format json");
  REQUIRE(rekeyed_code == 0);
  for (const auto& row : nlohmann::json::parse(rekeyed)) {
    REQUIRE(row["matched_by"] == "identity");
    REQUIRE(row["presence"] == "both");
  }
  // A score only the second file has: compared, and ranked in that file only.
  write_changed_copy(dir + "/a.h5", dir + "/scored.h5", [](records::RunRecord& run) { run.scores["dbcv"] = 0.5; });
  const auto [scored_code, scored] =
      test::clusterbench("diff " + dir + "/a.h5 " + dir + "/scored.h5 --score dbcv --format json");
  INFO(scored);
  REQUIRE(scored_code == 0);
  for (const auto& row : nlohmann::json::parse(scored)) {
    REQUIRE(row["rank_a"].is_null());
    REQUIRE(row["score_b"] == 0.5);
  }
  // Permuted ids are no regression; a genuinely different partition is.
  REQUIRE(test::clusterbench("diff " + dir + "/a.h5 " + dir + "/permuted.h5 --fail-on 'agreement<1'").first == 0);
  write_changed_copy(dir + "/a.h5", dir + "/moved.h5", [](records::RunRecord& run) {
    if (run.k == 3) std::fill(run.labels.begin(), run.labels.begin() + 40, 0);
  });
  const auto [code2, moved] =
      test::clusterbench("diff " + dir + "/a.h5 " + dir + "/moved.h5 --fail-on 'agreement<1' --format csv");
  INFO(moved);
  REQUIRE(code2 == 6);
  REQUIRE(std::count(moved.begin(), moved.end(), '\n') == 2);  // header + the k = 3 run
  REQUIRE(moved.find("kmeans,3,") != std::string::npos);
}

TEST_CASE("diff --fail-on exits 6 on a seeded regression, 0 on the unchanged store, and prints only offenders",
          "[cli][diff]") {
  const auto dir = test::temp_dir("diff_fail_on");
  REQUIRE(test::clusterbench("run -q " + config(dir, "a", 4, "[2, 6]")).first == 0);
  const std::string rule = "--fail-on 'silhouette<-0.01, time>1.25'";
  const auto [same_code, same] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/a.h5 " + rule);
  INFO(same);
  REQUIRE(same_code == 0);
  REQUIRE(same.find("(no run violates --fail-on)") != std::string::npos);

  std::string slower_key, worse_key;
  write_changed_copy(dir + "/a.h5", dir + "/b.h5", [&](records::RunRecord& run) {
    if (run.k == 3) {
      run.scores["silhouette"] -= 0.05;
      worse_key = run.key;
    }
    if (run.k == 5) {
      run.fit_seconds = 2 * run.fit_seconds + 1;
      slower_key = run.key;
    }
    if (run.k == 4) run.scores["silhouette"] -= 0.005;  // within the allowed drop
  });
  const auto [code, out] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/b.h5 " + rule + " --format json");
  INFO(out);
  REQUIRE(code == 6);
  const auto rows = nlohmann::json::parse(out);
  REQUIRE(rows.size() == 2);
  std::set<std::string> keys;
  for (const auto& row : rows) {
    keys.insert(row["key_b"].get<std::string>());
    REQUIRE(row["violations"].size() == 1);
  }
  REQUIRE(keys == std::set<std::string>{worse_key, slower_key});
  const auto [table_code, table] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/b.h5 " + rule);
  REQUIRE(table_code == 6);
  REQUIRE(table.find("silhouette -0.05 < -0.01") != std::string::npos);
  REQUIRE(table.find("time x") != std::string::npos);

  const auto [bad_code, bad] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/b.h5 --fail-on 'silhoutte<0'");
  REQUIRE(bad_code == 1);
  REQUIRE(bad.find("unknown metric 'silhoutte'") != std::string::npos);
  REQUIRE(bad.find("silhouette_ref") != std::string::npos);  // the valid names are listed
  const auto [grammar_code, grammar] =
      test::clusterbench("diff " + dir + "/a.h5 " + dir + "/b.h5 --fail-on 'silhouette=0'");
  REQUIRE(grammar_code == 1);
  REQUIRE(grammar.find("NAME OP NUMBER") != std::string::npos);
}
