#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

std::string iris_config(const std::string& dir, const std::string& extra = "") {
  return test::write_file(dir, "grid.yaml", R"(name: iris
seed: 11
output: )" + dir + R"(/out.h5
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
  labels: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.labels0.gz
algorithms:
  - name: kmeans
    k: [2, 6]
    params: {n_init: 4}
)" + extra);
}

}  // namespace

TEST_CASE("run writes a results file and prints the leaderboard and rank reads it in four formats", "[cli]") {
  const auto dir = test::temp_dir("run");
  const auto [code, out] = test::clusterbench("run " + iris_config(dir));
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("silhouette") != std::string::npos);
  REQUIRE(out.find("5 runs (5 computed, 0 reused, 0 failed)") != std::string::npos);

  const auto result = store::read_results(dir + "/out.h5");
  REQUIRE(result.runs.size() == 5);
  for (const auto& run : result.runs) {
    REQUIRE(run.labels.size() == 150);
    REQUIRE(run.k_found == run.k);
    REQUIRE(std::isfinite(run.scores.at("silhouette")));
    REQUIRE(run.scores.at("silhouette") == run.scores.at("silhouette_ref"));  // raw space is the reference
    REQUIRE(std::isfinite(run.scores.at("ari")));
    REQUIRE(run.values.count("inertia"));
    REQUIRE(run.arrays.at("centroids").rows() == run.k);
  }
  REQUIRE(result.provenance.config_text.find("name: iris") != std::string::npos);

  const auto [c1, table] = test::clusterbench("rank " + dir + "/out.h5 --top 2");
  REQUIRE(c1 == 0);
  REQUIRE(table.find("rank") == 0);
  const auto [c2, csv] = test::clusterbench("rank " + dir + "/out.h5 --format csv --k 3");
  REQUIRE(c2 == 0);
  REQUIRE(csv.find("rank,space,algorithm,k,k_found,params,silhouette") == 0);
  REQUIRE(std::count(csv.begin(), csv.end(), '\n') == 2);
  const auto [c3, json] = test::clusterbench("rank " + dir + "/out.h5 --format json --algorithm kmeans --space raw");
  REQUIRE(c3 == 0);
  REQUIRE(json.find("\"silhouette\":") != std::string::npos);
  const auto [c4, md] = test::clusterbench("rank " + dir + "/out.h5 --format markdown --by davies_bouldin");
  REQUIRE(c4 == 0);
  REQUIRE(md.find("| rank | space |") == 0);
  const auto [c5, bad] = test::clusterbench("rank " + dir + "/out.h5 --format yaml");
  REQUIRE(c5 != 0);
  REQUIRE(bad.find("--format") != std::string::npos);
}

TEST_CASE("one thread and two threads give bit-identical labels and scores", "[cli][determinism]") {
  const auto dir = test::temp_dir("threads");
  const auto config = test::write_file(dir, "grid.yaml", R"(name: s1
seed: 5
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/sipu-s1.data.gz
algorithms:
  - name: kmeans
    k: [2, 11]
    params: {n_init: 3}
)");
  REQUIRE(test::clusterbench("run -q -t 1 -o " + dir + "/one.h5 " + config).first == 0);
  REQUIRE(test::clusterbench("run -q -t 2 -o " + dir + "/two.h5 " + config).first == 0);
  const auto one = store::read_results(dir + "/one.h5");
  const auto two = store::read_results(dir + "/two.h5");
  REQUIRE(one.provenance.threads == 1);
  REQUIRE(two.provenance.threads == 2);
  REQUIRE(one.runs.size() == two.runs.size());
  for (std::size_t i = 0; i < one.runs.size(); ++i) {
    REQUIRE(one.runs[i].key == two.runs[i].key);
    REQUIRE(one.runs[i].labels == two.runs[i].labels);
    for (const auto& [name, value] : one.runs[i].scores) {
      const double other = two.runs[i].scores.at(name);
      INFO(name);
      REQUIRE(std::memcmp(&value, &other, sizeof(double)) == 0);
    }
    REQUIRE(one.runs[i].values.at("inertia") == two.runs[i].values.at("inertia"));
  }
}

TEST_CASE("rerunning a finished grid reuses every run and a grown grid computes only what is new", "[cli][resume]") {
  const auto dir = test::temp_dir("resume");
  const auto config = iris_config(dir);
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  const auto [code, out] = test::clusterbench("run -q " + config);
  REQUIRE(code == 0);
  REQUIRE(out.find("5 runs (0 computed, 5 reused, 0 failed)") != std::string::npos);

  // Widen k: only the new k values are computed, the stored ones are identical.
  std::string text;
  {
    std::ifstream in(config);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text.replace(text.find("[2, 6]"), 6, "[2, 8]");
  test::write_file(dir, "grid.yaml", text);
  const auto before = store::read_results(dir + "/out.h5");
  const auto [code2, out2] = test::clusterbench("run -q " + config);
  INFO(out2);
  REQUIRE(code2 == 0);
  REQUIRE(out2.find("7 runs (2 computed, 5 reused, 0 failed)") != std::string::npos);
  const auto after = store::read_results(dir + "/out.h5");
  for (const auto& old_run : before.runs) {
    const auto it =
        std::find_if(after.runs.begin(), after.runs.end(), [&](const auto& r) { return r.key == old_run.key; });
    REQUIRE(it != after.runs.end());
    REQUIRE(it->labels == old_run.labels);
  }
}

TEST_CASE("a grid killed with SIGKILL resumes without losing or duplicating runs", "[cli][resume]") {
  const auto dir = test::temp_dir("kill");
  // Enough work that the kill lands mid-grid: many k values, plain Lloyd to full convergence, one thread.
  const auto config = test::write_file(dir, "grid.yaml", R"(name: big
seed: 3
threads: 1
output: )" + dir + R"(/out.h5
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/sipu-s1.data.gz
algorithms:
  - name: kmeans
    k: [2, 60]
    params: {n_init: 10, method: lloyd, tol: 0}
)");
  const std::string journal = dir + "/out.h5.journal";
  const std::string command = std::string("cd '") + CB_SOURCE_DIR + "' && exec '" + CB_EXECUTABLE + "' run -q " +
                              config + " > " + dir + "/log.txt 2>&1 & echo $!";
  const auto [rc, pid_text] = test::run_command(command);
  REQUIRE(rc == 0);
  const int pid = std::stoi(pid_text);
  // Wait until at least two runs are journaled, then kill -9.
  bool journaled = false;
  for (int i = 0; i < 600 && !journaled; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (fs::is_directory(journal)) {
      int count = 0;
      for (const auto& e : fs::directory_iterator(journal)) count += e.path().extension() == ".cbor";
      journaled = count >= 2;
    }
  }
  test::run_command("kill -9 " + std::to_string(pid));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(journaled);
  REQUIRE_FALSE(fs::exists(dir + "/out.h5"));  // never a half-written results file
  int journaled_runs = 0;
  for (const auto& e : fs::directory_iterator(journal))  // run entries; spaces are journaled too ("space-<key>")
    journaled_runs += e.path().extension() == ".cbor" && e.path().filename().string().rfind("space-", 0) != 0;

  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find(std::to_string(journaled_runs) + " reused") != std::string::npos);
  REQUIRE_FALSE(fs::exists(journal));
  const auto result = store::read_results(dir + "/out.h5");
  REQUIRE(result.runs.size() == 59);
  std::set<std::string> keys;
  for (const auto& r : result.runs) keys.insert(r.key);
  REQUIRE(keys.size() == 59);
  // h5py can open it.
  const auto py = test::run_python("read_results.py", {dir + "/out.h5"});
  REQUIRE(py.find("runs 59") != std::string::npos);
}
