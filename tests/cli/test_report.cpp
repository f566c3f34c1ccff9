#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

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
  std::string count, own, ref;
  std::getline(lines, count);
  std::getline(lines, own);
  std::getline(lines, ref);
  REQUIRE(std::stoi(count) == 4);  // per space: silhouette over k and the best run's scatter

  // The leaderboards list the same runs, in the same order, as rank does.
  for (const auto& [by, keys] : {std::pair{std::string("silhouette"), own}, std::pair{std::string("silhouette_ref"), ref}}) {
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
  const auto config = test::december_log_grid(dir, "name: dec\noutput: " + dir + "/out.h5\nalgorithms:\n  - {name: kmeans, k: [2, 4]}\n");
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
