// Stability (config `stability:`) from the command line: stored with the runs,
// the same for any thread count and across shards, and usable by rank --by,
// --where, the leaderboard policy, select and the report; and the config's
// selection.gap_references stored for select and the report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace cb;

namespace {

/// FCPS hepta with K-Means at k = 4..9 and Ward at 5..8, 10 subsamples of 80 %.
std::string hepta_grid(const std::string& dir, const std::string& extra = "") {
  return test::write_file(dir, "grid.yaml",
                          "seed: 2\noutput: " + dir +
                              "/out.h5\ndataset:\n  type: benchmark\n  path: " CB_SOURCE_DIR
                              "/data/benchmarks/fcps-hepta.data.gz\nalgorithms:\n"
                              "  - {name: kmeans, k: [4, 9], params: {n_init: 2}}\n"
                              "  - {name: hierarchical, k: [5, 8]}\n"
                              "stability: {resamples: 10, fraction: 0.8}\n" +
                              extra);
}

std::string run_ok(const std::string& args) {
  const auto [code, out] = test::clusterbench(args);
  INFO(args << "\n" << out);
  REQUIRE(code == 0);
  return out;
}

void require_equal_stores(const std::string& a, const std::string& b) {
  const auto [rc, out] = test::run_command(std::string(CB_PYTHON) + " '" + CB_SOURCE_DIR +
                                           "/tests/python/compare_stores.py' " + a + " " + b);
  INFO(out);
  REQUIRE(rc == 0);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("stability is stored per run, read by h5py, and the same for 1 and 2 threads and across shards",
          "[cli][stability]") {
  const auto dir = test::temp_dir("stability_store");
  const auto config = hepta_grid(dir);
  run_ok("run -q -t 1 " + config + " -o " + dir + "/one.h5");
  run_ok("run -q -t 2 " + config + " -o " + dir + "/two.h5");
  require_equal_stores(dir + "/one.h5", dir + "/two.h5");
  run_ok("run -q " + config + " --shard 1/2 -o " + dir + "/part1.h5");
  run_ok("run -q " + config + " --shard 2/2 -o " + dir + "/part2.h5");
  run_ok("merge -q " + dir + "/merged.h5 " + dir + "/part1.h5 " + dir + "/part2.h5");
  require_equal_stores(dir + "/one.h5", dir + "/merged.h5");

  // Columns as README documents them; k = 7 K-Means has seven Jaccard means, all near 1.
  const auto [rc, out] = test::run_command(
      std::string(CB_PYTHON) +
      " -c \"import h5py, json, sys; r = h5py.File(sys.argv[1])['runs']; "
      "i = [j for j in range(len(r['k'])) if r['k'][j] == 7 and r['algorithm'].asstr()[j] == 'kmeans'][0]; "
      "print(r['stability_resamples'][i], r['stability_fraction'][i], r['stability'][i] > 0.95, r['stability_sd'][i] "
      ">= 0, "
      "len(json.loads(r['stability_jaccard'].asstr()[i])), min(json.loads(r['stability_jaccard'].asstr()[i])) > "
      "0.9)\" " +
      dir + "/one.h5");
  INFO(out);
  REQUIRE(rc == 0);
  REQUIRE(out == "10 0.8 True True 7 True\n");
}

TEST_CASE("rank --by stability, --where on it, rank_by: stability, select and the report use stability",
          "[cli][stability]") {
  const auto dir = test::temp_dir("stability_use");
  run_ok("run -q " + hepta_grid(dir, "leaderboard: {rank_by: stability}\n"));
  const auto out_h5 = dir + "/out.h5";

  const auto ranked =
      nlohmann::json::parse(run_ok("rank " + out_h5 + " --by stability --format json --columns k,algorithm,stability"));
  REQUIRE(ranked.front()["k"] == 7);
  for (std::size_t i = 1; i < ranked.size(); ++i)
    REQUIRE(ranked[i - 1]["stability"].get<double>() >= ranked[i]["stability"].get<double>());  // higher is better
  const auto by_policy = nlohmann::json::parse(run_ok("rank " + out_h5 + " --format json --columns k,stability"));
  REQUIRE(by_policy.front()["k"] == 7);  // the config's leaderboard.rank_by

  const auto stable =
      nlohmann::json::parse(run_ok("rank " + out_h5 + " --format json --columns k --where 'stability>=0.95'"));
  REQUIRE(stable.size() == 2);  // k = 7 of K-Means and of Ward
  for (const auto& row : stable) REQUIRE(row["k"] == 7);
  REQUIRE(run_ok("rank " + out_h5).find("stability") != std::string::npos);  // a default column once measured

  const auto rows = nlohmann::json::parse(run_ok("select " + out_h5 + " --format json --gap-references 0"));
  for (const auto& row : rows) REQUIRE(row["chosen"]["stability"] == 7);
  REQUIRE(run_ok("select " + out_h5).find("stability (grids with a stability section)") != std::string::npos);

  run_ok("report " + out_h5 + " -o " + dir + "/report.html");
  const auto html = read_text(dir + "/report.html");
  REQUIRE(html.find("chart-stability-0") != std::string::npos);
  REQUIRE(html.find("stability (mean ARI of subsample refits)") != std::string::npos);
}

TEST_CASE("selection.gap_references is stored and is select's and the report's B unless a flag says otherwise",
          "[cli][stability]") {
  const auto dir = test::temp_dir("gap_references");
  const auto config = test::iris_grid(dir, "grid.yaml",
                                      "output: " + dir +
                                          "/out.h5\nalgorithms:\n  - name: kmeans\n    k: [2, 4]\n"
                                          "selection: {gap_references: 4}\n");
  run_ok("run -q " + config);
  auto references = [&](const std::string& flags) {
    const auto rows = nlohmann::json::parse(run_ok("select " + dir + "/out.h5 --format json " + flags));
    return rows.front()["gap"].is_null() ? 0 : rows.front()["gap"]["references"].get<int>();
  };
  REQUIRE(references("") == 4);
  REQUIRE(references("--gap-references 3") == 3);
  REQUIRE(references("--gap-references 0") == 0);
  run_ok("report " + dir + "/out.h5 -o " + dir + "/report.html");
  REQUIRE(read_text(dir + "/report.html").find("gap statistic (B = 4)") != std::string::npos);

  const auto [rc, attr] = test::run_command(
      std::string(CB_PYTHON) + " -c \"import h5py, sys; print(h5py.File(sys.argv[1]).attrs['selection'])\" " + dir +
      "/out.h5");
  REQUIRE(rc == 0);
  REQUIRE(attr == "{\"gap_references\":4}\n");

  // Without the key: select's B stays 20, the report leaves the gap out, no attribute.
  const auto plain = test::iris_grid(dir, "plain.yaml",
                                     "output: " + dir + "/plain.h5\nalgorithms:\n  - name: kmeans\n    k: [2, 4]\n");
  run_ok("run -q " + plain);
  const auto rows = nlohmann::json::parse(run_ok("select " + dir + "/plain.h5 --format json"));
  REQUIRE(rows.front()["gap"]["references"] == 20);
  run_ok("report " + dir + "/plain.h5 -o " + dir + "/plain.html");
  REQUIRE(read_text(dir + "/plain.html").find("gap statistic (B =") == std::string::npos);
}

TEST_CASE("stability config errors stop run before any work, naming the key", "[cli][stability][bad-input]") {
  const auto dir = test::temp_dir("stability_errors");
  const auto bad = test::iris_grid(dir, "bad.yaml",
                                   "output: " + dir +
                                       "/out.h5\nalgorithms:\n  - {name: kmeans, k: [2, 3]}\n"
                                       "stability: {resamples: 20, fraction: 1.5}\n");
  const auto [code, out] = test::clusterbench("run -q " + bad);
  REQUIRE(code == 1);
  REQUIRE(out.find("stability.fraction: must be above 0 and below 1, got 1.5") != std::string::npos);
  // A subsample too small for the largest k: refused before any run.
  const auto small = test::iris_grid(dir, "small.yaml",
                                     "output: " + dir +
                                         "/small.h5\nalgorithms:\n  - {name: kmeans, k: [2, 20]}\n"
                                         "stability: {resamples: 2, fraction: 0.1}\n");
  const auto [small_code, small_out] = test::clusterbench("run -q " + small);
  REQUIRE(small_code == 1);
  REQUIRE(small_out.find("k = 20 exceeds the 15 points of a stability subsample") != std::string::npos);
  REQUIRE_FALSE(std::filesystem::exists(dir + "/small.h5"));
}

TEST_CASE("plan lists each space's stability refits: resamples times the families' cost at the subsample's size",
          "[cli][stability][plan]") {
  const auto dir = test::temp_dir("stability_plan");
  const auto plan = nlohmann::json::parse(run_ok("plan " + hepta_grid(dir) + " --format json"));
  double fits = 0, refits = 0;
  for (const auto& step : plan["steps"]) {
    if (step["kind"] == "fit") fits += step["cpu_seconds"].get<double>();
    if (step["kind"] == "stability") {
      refits += step["cpu_seconds"].get<double>();
      REQUIRE(step["detail"] == "10 subsamples of 170 points per family");  // round(0.8 · 212)
    }
  }
  REQUIRE(refits > 5 * fits);  // 10 refits on 80 % of the points: about 8 × the fits (n log n or more)
  REQUIRE(refits < 10 * fits);
}
