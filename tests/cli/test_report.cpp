#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

std::string grid_config(const std::string& dir) {
  return test::iris_grid(dir, "grid.yaml", "name: report\nseed: 5\noutput: " + dir + R"(/out.h5
spaces: [raw, pca]
algorithms:
  - {name: kmeans, k: [2, 5]}
  - {name: dbscan, k: [2, 5]}
)");
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST_CASE("report writes a well-formed HTML page whose leaderboards match rank", "[cli][report]") {
  const auto dir = test::temp_dir("report");
  const auto [code, out] = test::clusterbench("run -q " + grid_config(dir));
  INFO(out);
  REQUIRE((code == 0 || code == 3));
  const auto [rc, printed] = test::clusterbench("report " + dir + "/out.h5 --top 5");
  INFO(printed);
  REQUIRE(rc == 0);
  const std::string html = dir + "/out.html";  // default: beside the results
  REQUIRE(fs::exists(html));
  REQUIRE_FALSE(fs::exists(html + ".tmp"));

  std::istringstream lines(test::run_python("report_contents.py", {html}));
  std::string charts, own, ref;
  std::getline(lines, charts);
  std::getline(lines, own);
  std::getline(lines, ref);
  // The highlighted run's sizes; per space: silhouette over k, the best run's scatter, K-Means' elbow.
  REQUIRE(words(charts) == std::vector<std::string>{"chart-sizes", "chart-silhouette-0", "chart-silhouette-1",
                                                    "chart-scatter-0", "chart-scatter-1", "chart-inertia-0",
                                                    "chart-inertia-1"});

  // The leaderboards list the same runs, in the same order, as rank does.
  for (const auto& [by, keys] :
       {std::pair{std::string("silhouette"), own}, std::pair{std::string("silhouette_ref"), ref}}) {
    const auto [c, csv] = test::clusterbench("rank " + dir + "/out.h5 --top 5 --format csv --by " + by);
    REQUIRE(c == 0);
    std::istringstream rows(csv);
    std::string row;
    std::getline(rows, row);  // header
    std::vector<std::string> expected;
    while (std::getline(rows, row)) expected.push_back(row.substr(row.rfind(',') + 1));
    REQUIRE(expected.size() == 5);
    REQUIRE(words(keys) == expected);
  }
}

TEST_CASE("report and export name a missing results file and an unwritable destination", "[cli][report][bad-input]") {
  const auto dir = test::temp_dir("report_bad");
  const auto [c1, o1] = test::clusterbench("report " + dir + "/missing.h5");
  REQUIRE(c1 == 1);
  REQUIRE(o1.find("missing.h5") != std::string::npos);

  REQUIRE(test::clusterbench("run -q " + grid_config(dir)).first != 1);
  const auto [c2, o2] = test::clusterbench("report " + dir + "/out.h5 -o /proc/report.html");
  REQUIRE(c2 == 4);
  REQUIRE(o2.find("/proc/report.html") != std::string::npos);
  REQUIRE_FALSE(fs::exists("/proc/report.html"));

  // The CSV exports share the atomic writer: an unwritable destination leaves nothing.
  const auto [c3, o3] = test::clusterbench("export " + dir + "/out.h5 -o /proc/clusters.csv");
  REQUIRE(c3 == 4);
  REQUIRE(o3.find("/proc/clusters.csv") != std::string::npos);
  REQUIRE_FALSE(fs::exists("/proc/clusters.csv"));
  const auto [c4, o4] = test::clusterbench("export " + dir + "/out.h5 -o " + dir + "/clusters.csv");
  INFO(o4);
  REQUIRE(c4 == 0);
  REQUIRE(fs::exists(dir + "/clusters.csv"));
  REQUIRE_FALSE(fs::exists(dir + "/clusters.csv.tmp"));
}

TEST_CASE("report of a transactions grid shows the best run's customer profile", "[cli][report][rfm]") {
  const auto dir = test::temp_dir("report_rfm");
  const auto config = test::december_log_grid(
      dir, "name: dec\noutput: " + dir + "/out.h5\nalgorithms:\n  - {name: kmeans, k: [2, 4]}\n");
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  REQUIRE(test::clusterbench("report " + dir + "/out.h5 -o " + dir + "/page.html").first == 0);
  std::istringstream lines(test::run_python("report_contents.py", {dir + "/page.html"}));
  std::string line, last;
  while (std::getline(lines, line)) last = line;
  const auto fields = words(last);
  REQUIRE(fields.size() == 3);
  REQUIRE(fields[0] == "profile");
  const auto customers = store::read_results(dir + "/out.h5").data.rows();
  REQUIRE(std::stol(fields[1]) == customers);  // every customer in exactly one cluster
  REQUIRE(std::stol(fields[2]) == customers);  // and in exactly one segment
}

namespace {

/// Lines of report_page_data.py whose first word is `what`, without that word.
std::vector<std::vector<std::string>> facts(const std::string& page, const std::string& what) {
  std::istringstream lines(test::run_python("report_page_data.py", {page}));
  std::vector<std::vector<std::string>> out;
  for (std::string line; std::getline(lines, line);) {
    auto w = words(line);
    if (!w.empty() && w.front() == what) out.emplace_back(w.begin() + 1, w.end());
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out(1);
  for (const char c : text) {
    if (c == sep) out.emplace_back();
    else out.back().push_back(c);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "report page data: ids stay text, raw axes named by feature, one silhouette axis, the best eligible run "
    "highlighted",
    "[cli][report]") {
  const auto dir = test::temp_dir("report_data");
  std::string csv = "customer,recency,frequency,monetary\n<script>alert(1)</script>,1,2,3\n";
  for (int i = 1; i < 240; ++i)
    csv += fmt::format("C{},{},{},{}\n", i, (i % 3) * 10 + (i % 7) * 0.3, (i % 3) * 5 + (i % 5) * 0.2,
                       (i % 3) * 100 + i % 11);
  test::write_file(dir, "customers.csv", csv);
  const auto config =
      test::write_file(dir, "grid.yaml",
                       "name: ids\nseed: 2\noutput: " + dir + "/out.h5\ndataset: {type: features, path: " + dir +
                           "/customers.csv, id_column: customer}\nspaces: [raw, pca]\n"
                           "algorithms:\n  - {name: kmeans, k: [2, 5]}\n  - {name: gmm, k: [2, 4]}\n");
  REQUIRE(test::clusterbench("run -q " + config).first == 0);
  const auto [rc, printed] =
      test::clusterbench("report " + dir + "/out.h5 -o " + dir + "/page.html --gap-references 3");
  INFO(printed);
  REQUIRE(rc == 0);
  const std::string page = dir + "/page.html";
  std::ifstream in(page);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(html.find("<script>alert(1)") == std::string::npos);              // never markup
  REQUIRE(html.find("\\u003cscript\\u003ealert(1)") != std::string::npos);  // but data, escaped inside the JSON

  REQUIRE(facts(page, "id0") == std::vector<std::vector<std::string>>{{"<script>alert(1)</script>"}});
  std::map<std::string, std::vector<std::string>> axes;  // chart id -> x, y, y_min, y_max
  for (const auto& f : facts(page, "chart")) axes[f.at(0)] = split(f.at(2), '|');
  std::set<std::string> scatter_axes;
  for (const char* id : {"chart-scatter-0", "chart-scatter-1"})
    scatter_axes.insert(axes.at(id)[0] + "," + axes.at(id)[1]);
  // raw space: the features; pca: the components
  REQUIRE(scatter_axes == std::set<std::string>{"recency,frequency", "PC1,PC2"});
  REQUIRE(axes.at("chart-silhouette-0")[2] == axes.at("chart-silhouette-1")[2]);  // one y-axis for every space
  REQUIRE(axes.at("chart-silhouette-0")[3] == axes.at("chart-silhouette-1")[3]);
  REQUIRE_FALSE(axes.at("chart-silhouette-0")[2].empty());
  for (const char* id : {"chart-sizes", "chart-inertia-0", "chart-bic-0", "chart-gap-0", "chart-gap-1"})
    REQUIRE(axes.count(id) == 1);

  // The highlighted run is the leaderboard's first (eligible) run.
  const auto [c, ranked] = test::clusterbench("rank " + dir + "/out.h5 --top 1 --format csv --columns eligible,key");
  REQUIRE(c == 0);
  REQUIRE(ranked.find("yes,") != std::string::npos);
  const std::string first_key = ranked.substr(ranked.rfind(',') + 1, ranked.find_last_not_of("\n") - ranked.rfind(','));
  REQUIRE(facts(page, "highlight") == std::vector<std::vector<std::string>>{{first_key}});

  // The k-selection table of `select` is in the page.
  REQUIRE(html.find(">Choosing k</h2>") != std::string::npos);
  const auto [cs, selected] = test::clusterbench("select " + dir + "/out.h5 --gap-references 3 --format json");
  REQUIRE(cs == 0);
  const auto rows = nlohmann::json::parse(selected);
  REQUIRE(rows.size() == 4);  // kmeans and gmm in raw and pca
  for (const auto& row : rows) {
    INFO(row.dump());
    REQUIRE(html.find(fmt::format("k={} by {}", row["consensus_k"].get<int>(),
                                  fmt::join(row["agreeing"].get<std::vector<std::string>>(), ", "))) !=
            std::string::npos);
  }
  REQUIRE(test::clusterbench("report " + dir + "/out.h5 --gap-references 1").first == 1);
}
