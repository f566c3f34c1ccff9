#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;

TEST_CASE("rfm on the full Online Retail log reproduces the published cleaning counts", "[cli][rfm]") {
  const auto dir = test::temp_dir("rfmcli");
  const auto [code, out] =
      test::clusterbench("rfm data/transactions/online_retail.csv.gz --snapshot 2011-12-10 --out " + dir +
                         "/rfm.h5 --export " + dir + "/customers.csv");
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("541909 rows read, 4372 customers") != std::string::npos);
  REQUIRE(out.find("Kept 392692 rows, 4338 customers") != std::string::npos);
  REQUIRE(out.find("Champions") != std::string::npos);
  REQUIRE(std::filesystem::exists(dir + "/rfm.h5"));
  const auto [rows, wc] = test::run_command("wc -l < " + dir + "/customers.csv");
  REQUIRE(std::stoi(wc) == 4339);  // header + one row per customer
}

TEST_CASE("rfm --compare prints a migration matrix with new and churned customers", "[cli][rfm]") {
  const auto [code, out] =
      test::clusterbench("rfm data/transactions/online_retail.csv.gz --compare 2011-11-09 2011-12-10");
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("(new)") != std::string::npos);
  REQUIRE(out.find("(churned)") != std::string::npos);
}

TEST_CASE("rfm --compare --report draws the migration as a Sankey page with new and churned customers as nodes",
          "[cli][rfm][report]") {
  const auto dir = test::temp_dir("rfm_sankey");
  const auto [code, out] = test::clusterbench(
      "rfm data/transactions/online_retail_2010-12.csv --compare 2010-12-10 2010-12-24 "
      "--format json --report " +
      dir + "/migration.html");
  INFO(out);
  REQUIRE(code == 0);
  const auto matrix = nlohmann::json::parse(out);
  std::istringstream lines(test::run_python("report_page_data.py", {dir + "/migration.html"}));
  std::string line;
  std::vector<std::string> sankey;
  while (std::getline(lines, line))
    if (line.rfind("sankey ", 0) == 0) {
      std::istringstream words(line);
      for (std::string w; words >> w;) sankey.push_back(w);
    }
  REQUIRE(sankey.size() >= 5);
  // Every customer of either snapshot flows along exactly one band.
  const auto customers =
      matrix["retained"].get<long long>() + matrix["new"].get<long long>() + matrix["churned"].get<long long>();
  REQUIRE(std::stoll(sankey[3]) == customers);
  REQUIRE(matrix["new"].get<long long>() > 0);
  REQUIRE(matrix["churned"].get<long long>() == 0);  // a log that only grows loses nobody (docs/rfm.md)
  std::string joined;
  for (std::size_t i = 4; i < sankey.size(); ++i) joined += sankey[i] + " ";
  REQUIRE(joined.find("new customers") != std::string::npos);
  REQUIRE(joined.find("|churned") ==
          std::string::npos);  // a node without customers is left out (a churned node: tests/report)

  const auto [c2, o2] =
      test::clusterbench("rfm data/transactions/online_retail_2010-12.csv --report " + dir + "/x.html");
  REQUIRE(c2 == 1);
  REQUIRE(o2.find("--report applies to --compare only") != std::string::npos);
  REQUIRE_FALSE(std::filesystem::exists(dir + "/x.html"));
}

TEST_CASE("a grid runs from a raw transaction log with all four algorithms in two spaces", "[cli][rfm][grid]") {
  const auto dir = test::temp_dir("rfmgrid");
  const auto config = test::write_file(dir, "grid.yaml", "name: dec\noutput: " + dir + R"(/out.h5
dataset:
  type: transactions
  path: )" CB_SOURCE_DIR R"(/data/transactions/online_retail_2010-12.csv
  features: [recency, frequency, monetary]
preprocess:
  log1p: [recency, frequency, monetary]
spaces: [raw, {name: pca, params: {n_components: 2}}]
algorithms:
  - {name: kmeans, k: [2, 5], params: {n_init: 3}}
  - {name: gmm, k: [2, 5]}
  - {name: hierarchical, k: [2, 5], params: {linkage: average}}
  - {name: dbscan, k: [2, 5], params: {min_samples: 5}}
)");
  const auto one = test::clusterbench("run -q -t 1 " + config + " -o " + dir + "/one.h5");
  INFO(one.second);
  REQUIRE(one.first == 0);
  REQUIRE(test::clusterbench("run -q -t 2 " + config + " -o " + dir + "/two.h5").first == 0);
  const auto a = store::read_results(dir + "/one.h5");
  const auto b = store::read_results(dir + "/two.h5");
  REQUIRE(a.runs.size() == 32);
  REQUIRE(a.data.columns == std::vector<std::string>{"recency", "frequency", "monetary"});
  std::set<std::string> algorithms;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    algorithms.insert(a.runs[i].algorithm);
    REQUIRE(a.runs[i].key == b.runs[i].key);
    REQUIRE(a.runs[i].labels == b.runs[i].labels);
    const double sa = a.runs[i].scores.at("silhouette"), sb = b.runs[i].scores.at("silhouette");
    REQUIRE(((std::isnan(sa) && std::isnan(sb)) || sa == sb));
    REQUIRE(a.runs[i].profile.has_value() == !a.runs[i].labels.empty());
    if (a.runs[i].profile) {
      REQUIRE(a.runs[i].profile->by_segment.counts == b.runs[i].profile->by_segment.counts);
      for (std::size_t g = 0; g < a.runs[i].profile->clusters.rows.size(); ++g)
        REQUIRE(a.runs[i].profile->clusters.rows[g].revenue == b.runs[i].profile->clusters.rows[g].revenue);
    }
  }
  REQUIRE(algorithms.size() == 4);
  REQUIRE(a.spaces.size() == 2);
}

TEST_CASE("a transactions config with an unknown feature names the key", "[cli][rfm][bad-input]") {
  const auto dir = test::temp_dir("rfmbad");
  const auto config = test::write_file(dir, "grid.yaml", "output: " + dir + R"(/out.h5
dataset:
  type: transactions
  path: )" CB_SOURCE_DIR R"(/data/transactions/online_retail_2010-12-01.csv
  features: [recency, frequncy]
algorithms:
  - {name: kmeans, k: 2}
)");
  const auto [code, out] = test::clusterbench("run -q " + config);
  REQUIRE(code != 0);
  REQUIRE(out.find("dataset.features: unknown feature 'frequncy' (did you mean 'frequency'?)") != std::string::npos);
  REQUIRE_FALSE(std::filesystem::exists(dir + "/out.h5"));
}

TEST_CASE("export writes the best run's clusters and prints their customer profile", "[cli][rfm][export]") {
  const auto dir = test::temp_dir("export");
  const auto config = test::december_log_grid(
      dir, "name: ex\noutput: " + dir + "/out.h5\nalgorithms:\n  - {name: kmeans, k: [2, 4], params: {n_init: 2}}\n");
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  const auto [code, out] = test::clusterbench("export " + dir + "/out.h5 -o " + dir + "/clusters.csv");
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("cluster 0") != std::string::npos);
  REQUIRE(out.find("rev_share") != std::string::npos);
  const auto [rc, head] = test::run_command("head -1 " + dir + "/clusters.csv");
  REQUIRE(head == "id,recency,frequency,monetary,cluster\n");
  const auto [rc2, bad] = test::clusterbench("export " + dir + "/out.h5 --run nope");
  REQUIRE(rc2 != 0);
  REQUIRE(bad.find("--run: no run with key 'nope'") != std::string::npos);
}

TEST_CASE("rfm reads the CDNOW sample from the command line alone", "[cli][rfm]") {
  // The bundled third-party log (data/transactions/README.md): no header,
  // runs of spaces, CRLF; customer, sample id, YYYYMMDD, CDs, dollars.
  const std::string cdnow =
      "rfm data/transactions/CDNOW_sample.txt --no-header --delimiter whitespace "
      "--columns customer=1,date=3,quantity=4,amount=5 --date-format %Y%m%d";
  const auto dir = test::temp_dir("rfm_cdnow_sample");
  const auto [code, out] = test::clusterbench(cdnow + " --export " + dir + "/customers.csv");
  INFO(out);
  REQUIRE(code == 0);
  // Counted from the file with awk (CRs removed): 6,919 lines, 2,357 distinct
  // ids in column 1; 8 lines of $0.00 (8 customers' only purchase), and 21
  // further lines equal to an earlier line.
  CHECK_THAT(out, Catch::Contains("Cleaning: 6919 rows read, 2357 customers with an id"));
  CHECK_THAT(out, Catch::Contains(
                      "non_positive_price           yes             8        6911                 8            2349"));
  CHECK_THAT(out, Catch::Contains("Exact duplicate rows removed: 21"));
  CHECK_THAT(out, Catch::Contains("Kept 6890 rows, 2349 customers (0 return rows set aside)"));
  CHECK_THAT(out, Catch::Contains("Snapshot 1998-07-01 | 2349 customers | segments: standard11"));
  CHECK_THAT(out, Catch::Contains("0 customers reached the default segment only by falling through"));
  const auto [rows, wc] = test::run_command("wc -l < " + dir + "/customers.csv");
  CHECK(std::stoi(wc) == 2350);  // header + one row per customer
  // Keeping every row gives the published 6,919 transactions, 2,357 customers and $244,091.94.
  const auto [all_code, all_out] =
      test::clusterbench(cdnow + " --cleaning duplicates=false,non_positive_price=false --export " + dir + "/all.csv");
  INFO(all_out);
  REQUIRE(all_code == 0);
  CHECK_THAT(all_out, Catch::Contains("Kept 6919 rows, 2357 customers"));
  const auto [sum_code, total] = test::run_command(
      "awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == \"monetary\") m = i; next } "
      "{ s += $m; n += $(m - 1) } END { printf \"%.2f %d\", s, n }' " +
      dir + "/all.csv");
  CHECK(total == "244091.94 6919");
  // Without --no-header the first record is read as a header and names no such column.
  const auto [bad_code, bad] = test::clusterbench(
      "rfm data/transactions/CDNOW_sample.txt --delimiter whitespace "
      "--columns customer=1,date=3,quantity=4,amount=5 --date-format %Y%m%d");
  CHECK(bad_code == 1);
  CHECK_THAT(bad, Catch::Contains("CDNOW_sample.txt:1: column '1' (customer_column) not found in header"));
  const auto [pos_code, pos] =
      test::clusterbench(cdnow.substr(0, cdnow.find("--columns")) + "--columns customer=cust,date=3,amount=5");
  CHECK(pos_code == 1);
  CHECK_THAT(pos, Catch::Contains("dataset.schema.customer: with header: false, columns are positions 1, 2, ..."));
}
