#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

std::string day_config(const std::string& dir) {
  return test::december_log_grid(dir, "name: day\noutput: " + dir + R"(/out.h5
algorithms:
  - {name: kmeans, k: [2, 4], params: {n_init: 2}}
  - {name: dbscan, k: 3, params: {min_samples: 5}}
)");
}

}  // namespace

TEST_CASE("profile prints a run's cluster profile and cluster x segment counts in four formats", "[cli][profiles]") {
  const auto dir = test::temp_dir("profilecli");
  REQUIRE(test::clusterbench("run -q " + day_config(dir)).first == 0);
  const std::string results = dir + "/out.h5";

  const auto [code, table] = test::clusterbench("profile " + results);
  INFO(table);
  REQUIRE(code == 0);
  for (const char* text : {"run ", "group", "rev_share", "avg_ticket", "mean_R", "cluster 0", "cluster 1",
                           "customers by segment", "Champions", "Lost"})
    REQUIRE(table.find(text) != std::string::npos);

  const auto [csv_code, csv] = test::clusterbench("profile " + results + " --format csv");
  REQUIRE(csv_code == 0);
  REQUIRE(csv.rfind("group,customers,share,revenue,revenue_share,average_ticket,mean_recency,mean_frequency,"
                    "mean_monetary,mean_r,mean_f,mean_m,Champions,",
                    0) == 0);

  const auto [json_code, json_text] = test::clusterbench("profile " + results + " --rank 2 --format json");
  REQUIRE(json_code == 0);
  const auto json = nlohmann::json::parse(json_text);
  std::size_t customers = 0;
  for (const auto& g : json["groups"]) {
    customers += g["customers"].get<std::size_t>();
    std::size_t in_segments = 0;
    for (const auto& [name, count] : g["segments"].items()) in_segments += count.get<std::size_t>();
    REQUIRE(in_segments == g["customers"].get<std::size_t>());
  }
  REQUIRE(customers == json["customers"].get<std::size_t>());

  const auto [md_code, markdown] = test::clusterbench("profile " + results + " --format markdown");
  REQUIRE(md_code == 0);
  REQUIRE(markdown.find("| group | customers |") != std::string::npos);

  // --run picks by key: the same run as --rank 2.
  const auto [rc2, second] = test::clusterbench("profile " + results + " --rank 2");
  const auto key = second.substr(4, 16);
  const auto [rc3, by_key] = test::clusterbench("profile " + results + " --run " + key);
  REQUIRE(rc3 == 0);
  REQUIRE(by_key == second);
  REQUIRE(test::clusterbench("profile " + results + " --rank 99").second.find("there is no rank 99") !=
          std::string::npos);
  REQUIRE(test::clusterbench("profile " + results + " --run nope").second.find("--run: no run with key 'nope'") !=
          std::string::npos);

  // export shows the stored profile with its segment counts.
  const auto [export_code, exported] = test::clusterbench("export " + results);
  REQUIRE(export_code == 0);
  REQUIRE(exported.find("customers by segment") != std::string::npos);

  // Another segment table: every run is reused, and every profile is cross-tabulated with the new table.
  std::string text;
  {
    std::ifstream in(dir + "/grid.yaml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text.replace(text.find("preprocess:"), 0, "  segments: rf_grid\n");
  test::write_file(dir, "grid.yaml", text);
  const auto [rerun_code, rerun] = test::clusterbench("run -q " + dir + "/grid.yaml");
  INFO(rerun);
  REQUIRE(rerun_code == 0);
  REQUIRE(rerun.find("(0 computed, 4 reused") != std::string::npos);
  const auto after = store::read_results(results);
  REQUIRE(after.customers->segment_table == "rf_grid");
  for (const auto& run : after.runs) {
    REQUIRE(run.profile);
    REQUIRE(run.profile->by_segment.column_names == after.customers->segment_names);
  }
}

TEST_CASE("profile on results of a non-transactions dataset says why there is none", "[cli][profiles][bad-input]") {
  const auto dir = test::temp_dir("profilenone");
  const auto config = test::write_file(dir, "grid.yaml", "output: " + dir + R"(/out.h5
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
algorithms:
  - {name: kmeans, k: [2, 3]}
)");
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  const auto [code, out] = test::clusterbench("profile " + dir + "/out.h5");
  REQUIRE(code == 1);
  REQUIRE(out.find("profiles are stored for grids on a transactions dataset") != std::string::npos);
  REQUIRE(test::clusterbench("rank " + dir + "/out.h5").first == 0);
}

TEST_CASE("rerunning a grid on a results file from before profiles adds them without recomputing",
          "[cli][profiles][resume]") {
  const auto dir = test::temp_dir("profilev1");
  const auto config = day_config(dir);
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  const std::string results = dir + "/out.h5";
  const auto [py, py_out] = test::run_command(std::string(CB_PYTHON) + " -c 'import h5py; f = h5py.File(\"" + results +
                                              "\", \"a\"); del f[\"profiles\"]; del f[\"customers\"]; "
                                              "f.attrs[\"schema_version\"] = 1'");
  INFO(py_out);
  REQUIRE(py == 0);
  REQUIRE(test::clusterbench("profile " + results).second.find("rerunning the grid adds them") != std::string::npos);
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("(0 computed, 4 reused") != std::string::npos);
  for (const auto& run : store::read_results(results).runs) REQUIRE(run.profile);
  test::run_python("profile_reference.py", {results});
}

TEST_CASE("a transactions grid killed with SIGKILL resumes with a profile for every run", "[cli][profiles][resume]") {
  const auto dir = test::temp_dir("profilekill");
  // Enough work that the kill lands mid-grid: 99 runs of about 20 ms (mostly silhouette) after the log is read, one
  // thread.
  const auto config = test::write_file(dir, "grid.yaml", "name: big\nthreads: 1\noutput: " + dir + R"(/out.h5
dataset:
  type: transactions
  path: )" CB_SOURCE_DIR R"(/data/transactions/online_retail.csv.gz
preprocess:
  log1p: [recency, frequency, monetary]
algorithms:
  - {name: kmeans, k: [2, 100], params: {n_init: 3, method: lloyd, tol: 0}}
)");
  const std::string journal = dir + "/out.h5.journal";
  const auto [rc, pid_text] = test::run_command(std::string("cd '") + CB_SOURCE_DIR + "' && exec '" + CB_EXECUTABLE +
                                                "' run -q " + config + " > " + dir + "/log.txt 2>&1 & echo $!");
  REQUIRE(rc == 0);
  const int pid = std::stoi(pid_text);
  int journaled = 0;
  for (int i = 0; i < 6000 && journaled < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    journaled = 0;
    if (fs::is_directory(journal))
      for (const auto& e : fs::directory_iterator(journal)) journaled += e.path().extension() == ".cbor";
  }
  test::run_command("kill -9 " + std::to_string(pid));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(journaled >= 2);
  REQUIRE_FALSE(fs::exists(dir + "/out.h5"));

  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find(" reused") != std::string::npos);
  REQUIRE(out.find("(99 computed") == std::string::npos);  // some runs came from the journal
  const auto resumed = store::read_results(dir + "/out.h5");
  REQUIRE(resumed.runs.size() == 99);

  // The same grid uninterrupted: every profile is identical.
  REQUIRE(test::clusterbench("run -q " + config + " -o " + dir + "/fresh.h5").first == 0);
  const auto fresh = store::read_results(dir + "/fresh.h5");
  for (std::size_t i = 0; i < resumed.runs.size(); ++i) {
    const auto& a = resumed.runs[i];
    const auto& b = fresh.runs[i];
    REQUIRE(a.key == b.key);
    REQUIRE(a.profile);
    REQUIRE(b.profile);
    REQUIRE(a.profile->by_segment.counts == b.profile->by_segment.counts);
    REQUIRE(a.profile->clusters.rows.size() == b.profile->clusters.rows.size());
    for (std::size_t g = 0; g < a.profile->clusters.rows.size(); ++g) {
      REQUIRE(a.profile->clusters.rows[g].customers == b.profile->clusters.rows[g].customers);
      REQUIRE(a.profile->clusters.rows[g].revenue == b.profile->clusters.rows[g].revenue);
      REQUIRE(a.profile->clusters.rows[g].mean_r == b.profile->clusters.rows[g].mean_r);
    }
  }
  test::run_python("profile_reference.py", {dir + "/out.h5"});
}

TEST_CASE("run on a transaction log prints and stores the cleaning report that rfm gives for the same log",
          "[cli][profiles][cleaning]") {
  const auto dir = test::temp_dir("cleaningrun");
  const auto config = test::december_log_grid(dir, "name: cleaning\noutput: " + dir + R"(/out.h5
algorithms:
  - {name: kmeans, k: 3, params: {n_init: 1}}
)");
  const auto duplicates_line = [](const std::string& text) {
    const auto at = text.find("Exact duplicate rows removed: ");
    REQUIRE(at != std::string::npos);
    return text.substr(at, text.find('\n', at) - at);
  };
  const auto [code, printed] = test::clusterbench("run " + config);
  INFO(printed);
  REQUIRE(code == 0);
  const auto [rfm_code, rfm_printed] =
      test::clusterbench("rfm " CB_SOURCE_DIR "/data/transactions/online_retail_2010-12.csv --out " + dir + "/rfm.h5");
  REQUIRE(rfm_code == 0);
  const auto line = duplicates_line(printed);
  CHECK(line == duplicates_line(rfm_printed));
  CHECK(line.find("removed: 0 ") == std::string::npos);  // the December log has exact duplicates

  // Stored as rfm --out stores it; read back, and printed again by a rerun that computes nothing.
  const auto stored = store::read_results(dir + "/out.h5");
  REQUIRE(stored.cleaning);
  const auto compare =
      test::run_command(std::string("h5diff ") + dir + "/out.h5 " + dir + "/rfm.h5 /cleaning /cleaning");
  CHECK(compare.first == 0);
  const auto duplicate = std::find_if(stored.cleaning->steps.begin(), stored.cleaning->steps.end(),
                                      [](const auto& step) { return step.rule == "duplicate"; });
  REQUIRE(duplicate != stored.cleaning->steps.end());
  CHECK(line.find(": " + std::to_string(duplicate->rows_removed) + " ") != std::string::npos);
  CHECK(stored.cleaning->rows_kept > 0);
  const auto [again_code, again] = test::clusterbench("run " + config);
  REQUIRE(again_code == 0);
  CHECK(again.find("(already up to date)") != std::string::npos);
  CHECK(duplicates_line(again) == line);
}
