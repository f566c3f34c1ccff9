// Regression tests for the inputs that went wrong in issue 13: each is a clear
// one-line error with the documented exit code, or now simply works.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_support.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

/// Runs clusterbench from `cwd` (not the project root).
std::pair<int, std::string> clusterbench_in(const std::string& cwd, const std::string& args) {
  return test::run_command("cd '" + cwd + "' && '" + CB_EXECUTABLE + "' " + args);
}

std::string four_points(const std::string& dir) {
  return test::write_file(dir, "f.csv", "id,a,b\n1,0,1\n2,1,0\n3,5,5\n4,6,5\n");
}

std::string grid(const std::string& dir, const std::string& data, const std::string& spaces) {
  return test::write_file(dir, "grid.yaml",
                          "name: t\noutput: " + dir + "/out.h5\ndataset:\n  type: features\n  path: " + data +
                              "\n  id_column: id\nspaces: " + spaces +
                              "\nalgorithms:\n  - name: kmeans\n    k: [2, 3]\n");
}

std::size_t lines_of(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("an unknown command names the word and lists the commands", "[cli][bad-input]") {
  const auto [code, out] = test::clusterbench("frobnicate");
  INFO(out);
  CHECK(code == 2);
  CHECK_THAT(out, Catch::Contains("error: unknown command 'frobnicate'"));
  CHECK_THAT(out, Catch::Contains("run, plan, merge, rank"));
  CHECK_THAT(test::clusterbench("rnu x").second, Catch::Contains("did you mean 'run'"));
}

TEST_CASE("a negative thread count gets a short range message", "[cli][bad-input]") {
  const auto [code, out] = test::clusterbench("run -t -1 configs/default.yaml");
  INFO(out);
  CHECK(code == 2);
  CHECK_THAT(out, Catch::Contains("--threads: must be an integer >= 0, got '-1'"));
  CHECK(out.size() < 200);
}

TEST_CASE("a space without params uses its defaults", "[cli][config]") {
  const auto dir = test::temp_dir("pca_noparams");
  const auto [code, out] = test::clusterbench("run -q " + grid(dir, four_points(dir), "[{name: pca}]"));
  INFO(out);
  CHECK(code == 0);
  CHECK(fs::exists(dir + "/out.h5"));
}

TEST_CASE("a space label with a slash is refused when the config loads", "[cli][bad-input]") {
  const auto dir = test::temp_dir("label_slash");
  const auto config = grid(dir, four_points(dir), "[{name: pca, label: a/b}]");
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  CHECK(code == 1);
  CHECK_THAT(out, Catch::Contains(config + ":7: spaces[0].label: 'a/b' is not a valid label"));
  CHECK_FALSE(fs::exists(dir + "/out.h5.journal"));
}

TEST_CASE("a duplicate key in a config names file, line and key", "[cli][bad-input]") {
  const auto dir = test::temp_dir("dup_key");
  const auto config = test::write_file(dir, "grid.yaml", "name: a\nseed: 1\nname: b\n");
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  CHECK(code == 1);
  CHECK_THAT(out, Catch::Contains(config + ":3: name: duplicate key (first at line 1)"));
}

TEST_CASE("one data row needs at least two rows, not a constant column", "[cli][bad-input]") {
  const auto dir = test::temp_dir("one_row");
  const auto data = test::write_file(dir, "f.csv", "id,a,b\n1,0,1\n");
  const auto [code, out] = test::clusterbench("run -q " + grid(dir, data, "[raw]"));
  INFO(out);
  CHECK(code == 1);
  CHECK_THAT(out, Catch::Contains(data + ": 1 data row: clustering needs at least 2 rows"));
  CHECK_THAT(out, !Catch::Contains("constant"));
}

TEST_CASE("rfm finds its segment presets from any working directory", "[cli][rfm]") {
  const auto dir = test::temp_dir("rfm_cwd");
  const auto [code, out] = clusterbench_in(
      dir, std::string("rfm ") + CB_SOURCE_DIR + "/data/transactions/online_retail_2010-12-01.csv --segments rfm_r");
  INFO(out);
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("segments: rfm_r"));
}

TEST_CASE("config paths resolve from the config file's folder, from any working directory", "[cli][config]") {
  const auto dir = test::temp_dir("relative_paths");
  fs::create_directories(dir + "/project/configs");
  fs::create_directories(dir + "/elsewhere");
  four_points(dir + "/project");
  test::write_file(dir + "/project/configs", "grid.yaml",
                   "name: t\noutput: ../results/t.h5\ndataset:\n  type: features\n  path: ../f.csv\n  id_column: id\n"
                   "algorithms:\n  - name: kmeans\n    k: [2, 3]\n");
  const auto [code, out] = clusterbench_in(dir + "/elsewhere", "run -q ../project/configs/grid.yaml");
  INFO(out);
  CHECK(code == 0);
  CHECK(fs::exists(dir + "/project/results/t.h5"));
  // The shipped configs name their data relative to themselves too.
  const auto [plan_code, plan_out] =
      clusterbench_in(dir + "/elsewhere", std::string("plan ") + CB_SOURCE_DIR + "/configs/online_retail.yaml");
  INFO(plan_out);
  CHECK(plan_code == 0);
}

TEST_CASE("a full disk while exporting names the system's reason and leaves no temporary file", "[cli][bad-input]") {
  const auto dir = test::temp_dir("rfm_efbig");
  // ulimit -f 8: writes past 8 KiB fail with EFBIG, as a full disk fails with ENOSPC.
  const auto [code, out] =
      test::run_command("cd '" + dir + "' && (ulimit -f 8; exec '" + CB_EXECUTABLE + "' rfm " + CB_SOURCE_DIR +
                        "/data/transactions/online_retail_2010-12-01.csv --export " + dir + "/customers.csv) 2>&1");
  INFO(out);
  CHECK(code == 4);
  CHECK_THAT(out, Catch::Contains(dir + "/customers.csv"));
  CHECK_THAT(out, Catch::Contains("File too large"));
  std::size_t left = 0;
  for (const auto& entry : fs::directory_iterator(dir)) left += entry.path().filename().string().find("customers") == 0;
  CHECK(left == 0);
}

TEST_CASE("rfm's cleaning report says how many exact duplicate rows it removed", "[cli][rfm]") {
  const auto dir = test::temp_dir("rfm_dups");
  const std::string header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  const std::string row = "536365,85123A,HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n";
  const auto log = test::write_file(
      dir, "log.csv",
      header + row + row + row + "536366,71053,LANTERN,6,2010-12-02 08:26:00,3.39,13047.0,United Kingdom\n");
  const auto [code, out] = test::clusterbench("rfm " + log + " --bins 2");
  INFO(out);
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("Exact duplicate rows removed: 2"));
}

TEST_CASE("errors stay on one line whatever the bad text holds", "[cli][bad-input]") {
  const auto dir = test::temp_dir("one_line");
  const auto data = test::write_file(dir, "f.csv", "id,a,b\n1,0,1\n2,\"x\ny\",0\n");
  const auto [code, out] = test::clusterbench("run -q " + grid(dir, data, "[raw]") + " 2>&1");
  INFO(out);
  CHECK(code == 1);
  CHECK(lines_of(out) == 1);
  CHECK_THAT(out, Catch::Contains("'x\\ny' is not a number"));
}

TEST_CASE("rfm reads another shop's export from the command line alone (CDNOW layout)", "[cli][rfm]") {
  const auto dir = test::temp_dir("rfm_cdnow");
  // CDNOW's layout: customer, day as YYYYMMDD, units, amount; no invoice, product or country; ';' separated here.
  const auto log =
      test::write_file(dir, "cdnow.csv",
                       "cust;day;n;total\n00001;19970101;1;11.77\n00002;19970112;1;12.00\n00002;19970112;5;77.00\n"
                       "00003;19970102;2;20.76\n00003;19970330;2;20.76\n00003;19970402;2;19.54\n"
                       "00004;19970101;2;29.33\n00004;19970118;2;29.73\n00005;19970101;2;29.33\n");
  const std::string mapping =
      " --columns customer=cust,date=day,quantity=n,amount=total --date-format %Y%m%d --delimiter ';' --bins 2";
  const auto [code, out] = test::clusterbench("rfm " + log + mapping + " --until 1997-03-31");
  INFO(out);
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("Cleaning: 9 rows read, 5 customers with an id"));
  CHECK_THAT(out, Catch::Contains("Kept 8 rows, 5 customers"));  // 1997-04-02 is after --until
  CHECK_THAT(out, Catch::Contains("Snapshot 1997-03-31"));
  const auto [since_code, since_out] =
      test::clusterbench("rfm " + log + mapping + " --since 1997-01-10 --cleaning duplicates=false");
  INFO(since_out);
  CHECK(since_code == 0);
  CHECK_THAT(since_out, Catch::Contains("Kept 5 rows, 3 customers"));
  const auto [bad_code, bad_out] = test::clusterbench("rfm " + log + " --columns custmer=cust");
  CHECK(bad_code == 1);
  CHECK_THAT(bad_out, Catch::Contains("dataset.schema.custmer: unknown key (did you mean 'customer'?)"));
}

TEST_CASE("a grid beyond ulimit -v says it ran out of memory and exits 4", "[cli][resources]") {
  const auto dir = test::temp_dir("ulimit_v");
  // 20,000 points under average linkage: a 1.5 GiB distance matrix, allowed by
  // the algorithm's own budget but not by a 1.1 GiB address space.
  std::string text = "id,a,b\n";
  std::uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < 20000; ++i)
    text += std::to_string(i) + "," + std::to_string(next()) + "," + std::to_string(next()) + "\n";
  test::write_file(dir, "f.csv", text);
  const auto config =
      test::write_file(dir, "grid.yaml",
                       "name: big\noutput: out.h5\ndataset: {type: features, path: f.csv, id_column: id}\n"
                       "algorithms:\n  - {name: hierarchical, k: [2, 3], params: {linkage: average, "
                       "memory_budget_mib: 4096}}\n");
  const auto [code, out] = test::run_command("cd '" + dir + "' && (ulimit -v 1200000; exec '" + CB_EXECUTABLE +
                                             "' run -q " + config + ") 2>&1");
  INFO(out);
  CHECK(code == 4);
  CHECK_THAT(out,
             Catch::StartsWith(
                 "error: out of memory: an allocation failed under the address-space limit of 1171 MiB (ulimit -v)"));
  CHECK(lines_of(out) == 1);
  CHECK_FALSE(fs::exists(dir + "/out.h5"));
}

TEST_CASE("rfm --compare prints its matrix with full names in four formats", "[cli][rfm]") {
  const std::string base = std::string("rfm ") + CB_SOURCE_DIR +
                           "/data/transactions/online_retail_2010-12.csv --compare 2010-12-10 2010-12-20";
  const auto [code, table] = test::clusterbench(base);
  INFO(table);
  CHECK(code == 0);
  CHECK_THAT(table, Catch::Contains("Potential Loyalist"));  // not cut to 12 characters any more
  CHECK_THAT(table, Catch::Contains("(churned)"));
  const auto [csv_code, csv] = test::clusterbench(base + " --format csv");
  CHECK(csv_code == 0);
  CHECK_THAT(csv, Catch::StartsWith("from,to,customers,row_share\nChampions,Champions,"));
  const auto [json_code, json] = test::clusterbench(base + " --format json");
  CHECK(json_code == 0);
  CHECK_THAT(json, Catch::Contains("\"retained\": 573") && Catch::Contains("\"row_shares\""));
  const auto [md_code, md] = test::clusterbench(base + " --format markdown");
  CHECK(md_code == 0);
  CHECK_THAT(md, Catch::Contains("| from \\ to"));
  const auto [bad_code, bad] = test::clusterbench(base + " --format xml");
  CHECK(bad_code == 1);
  CHECK_THAT(bad, Catch::Contains("--format: 'xml' is not one of table, csv, json, markdown"));
}
