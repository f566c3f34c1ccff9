// The `external` space: an embedding CSV joined to the dataset's points by id.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/runner.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

/// Iris points are numbered 1..150; the embedding of point i is (i / 10, 150 - i, i mod 7).
double coordinate(int id, int c) { return c == 0 ? id / 10.0 : c == 1 ? 150.0 - id : id % 7; }

/// The order of ids in the written file: line L (the header is line 1) holds id shuffled_ids()[L - 2].
std::vector<int> shuffled_ids() {
  std::vector<int> ids(150);
  std::iota(ids.begin(), ids.end(), 1);
  std::shuffle(ids.begin(), ids.end(), std::mt19937(5));
  return ids;
}

std::string embedding_line(int id) {
  return fmt::format("p{},{},{},{},{}", id % 3, coordinate(id, 0), id, coordinate(id, 1), coordinate(id, 2));
}

/// Writes the embedding of every iris point in shuffled order, with a text column the reader must skip and an
/// id the dataset does not have; `replace` swaps one line (1-based) for other text.
std::string write_embedding(const std::string& dir, const std::string& name, std::size_t replace = 0,
                            const std::string& text = "") {
  std::vector<std::string> lines{"note,e1,point,e2,e3"};
  for (int id : shuffled_ids()) lines.push_back(embedding_line(id));
  lines.push_back("note,1,9999,2,3");
  if (replace > 0) lines[replace - 1] = text;
  const auto path = dir + "/" + name;
  std::ofstream out(path);
  for (const auto& line : lines) out << line << "\n";
  return path;
}

grid::GridConfig config_for(const std::string& embedding, const std::string& extra_params = "") {
  const std::string text =
      "name: ext\ndataset:\n  type: benchmark\n  path: " + test::data_path("benchmarks/other-iris.data.gz") +
      "\nspaces:\n  - raw\n  - name: external\n    label: mine\n    params:\n      path: " + embedding +
      "\n      id_column: point\n" + extra_params + "algorithms:\n  - name: kmeans\n    k: [2, 3]\n";
  return grid::parse_config(text, "ext.yaml");
}

records::GridResult run(const grid::GridConfig& config, int* runs_finished = nullptr) {
  grid::RunnerHooks hooks;
  hooks.threads_override = 2;
  hooks.on_run_finished = [runs_finished](const records::RunRecord&) {
    if (runs_finished) ++*runs_finished;
  };
  return grid::run_grid(config, hooks);
}

std::vector<std::string> keys_of_space(const records::GridResult& result, const std::string& space) {
  std::vector<std::string> keys;
  for (const auto& r : result.runs)
    if (r.space == space) keys.push_back(r.key);
  return keys;
}

}  // namespace

TEST_CASE("external space: rows in any order are joined to the points by id", "[external]") {
  const auto dir = test::temp_dir("external");
  const auto path = write_embedding(dir, "embedding.csv");
  const auto result = run(config_for(path));
  REQUIRE(result.spaces.size() == 2);
  const auto& space = result.spaces[1];
  REQUIRE(space.label == "mine");
  REQUIRE(space.name == "external");
  REQUIRE(space.points.rows() == 150);
  REQUIRE(space.points.cols() == 3);
  for (Index i = 0; i < 150; ++i)
    for (int c = 0; c < 3; ++c) REQUIRE(space.points(i, c) == coordinate(std::stoi(result.data.ids[i]), c));
  REQUIRE(space.values.at("rows_ignored") == 1);
  REQUIRE(space.values.count("trustworthiness") == 1);
  const auto params = grid::Json::parse(space.params);
  REQUIRE(params["path"] == path);
  REQUIRE(params["columns_used"] == grid::Json::array({"e1", "e2", "e3"}));
  REQUIRE(params["digest"].get<std::string>().size() == 16);
  REQUIRE(keys_of_space(result, "mine").size() == 2);
  for (const auto& r : result.runs) REQUIRE(r.status == "ok");

  SECTION("named columns, and a gzip file reads the same") {
    REQUIRE(test::run_command("gzip -k " + path).first == 0);
    const auto gz = run(config_for(path + ".gz", "      columns: e3, e1\n"));
    REQUIRE(gz.spaces[1].points.col(0) == space.points.col(2));
    REQUIRE(gz.spaces[1].points.col(1) == space.points.col(0));
  }
}

TEST_CASE("external space: a changed file changes the run keys, an unchanged one keeps them", "[external]") {
  const auto dir = test::temp_dir("external-keys");
  const auto path = write_embedding(dir, "embedding.csv");
  const auto config = config_for(path);
  const auto first = run(config);
  REQUIRE(keys_of_space(run(config), "mine") == keys_of_space(first, "mine"));
  std::ofstream(path, std::ios::app) << "note,1,9998,2,3\n";  // even an ignored row is a different file
  const auto changed = run(config);
  const auto before = keys_of_space(first, "mine"), after = keys_of_space(changed, "mine");
  for (std::size_t i = 0; i < before.size(); ++i) REQUIRE(before[i] != after[i]);
  REQUIRE(keys_of_space(changed, "raw") == keys_of_space(first, "raw"));
}

TEST_CASE("external space: bad input fails before any run, naming file, line and column", "[external][bad-input]") {
  const auto dir = test::temp_dir("external-bad");
  const auto ids = shuffled_ids();
  const auto id_on = [&](std::size_t line) { return std::to_string(ids[line - 2]); };
  const auto expect_error = [](const std::string& path, const std::string& message, const std::string& extra = "") {
    int finished = 0;
    REQUIRE_THROWS_AS(run(config_for(path, extra), &finished), InputError);
    REQUIRE_THROWS_WITH(run(config_for(path, extra), &finished), Catch::Contains(message));
    REQUIRE(finished == 0);
  };

  SECTION("missing id") {
    const auto path = write_embedding(dir, "missing.csv", 4, "p0,1,9997,2,3");
    expect_error(path,
                 path + ": column 'point': 1 of the dataset's 150 point ids have no row, e.g. '" + id_on(4) + "'");
  }
  SECTION("duplicate id") {
    const auto path = write_embedding(dir, "duplicate.csv", 5, "p0,1," + id_on(3) + ",2,3");
    expect_error(path, path + ":5: column 'point': id '" + id_on(3) + "' appears again (first on line 3)");
  }
  SECTION("NaN and Inf") {
    expect_error(write_embedding(dir, "nan.csv", 6, "p0,1," + id_on(6) + ",nan,3"),
                 "nan.csv:6: column 'e2': value 'nan' is not finite");
    expect_error(write_embedding(dir, "inf.csv", 6, "p0,1," + id_on(6) + ",2,-inf"),
                 "inf.csv:6: column 'e3': value '-inf' is not finite");
  }
  SECTION("non-numeric cell") {
    expect_error(write_embedding(dir, "text.csv", 7, "p0,1," + id_on(7) + ",two,3"),
                 "text.csv:7: column 'e2': 'two' is not a number");
  }
  SECTION("zero coordinate columns") {
    const auto path = dir + "/ids_only.csv";
    std::ofstream(path) << "point,note\n1,a\n";
    expect_error(path, path + ":2: no numeric coordinate column besides the id column 'point'");
  }
  SECTION("unknown coordinate column, missing path") {
    const auto good = write_embedding(dir, "good.csv");
    expect_error(good, good + ":1: coordinate column 'e9' not found", "      columns: e1, e9\n");
    const std::string text =
        "dataset:\n  type: benchmark\n  path: " + test::data_path("benchmarks/other-iris.data.gz") +
        "\nspaces:\n  - external\nalgorithms:\n  - name: kmeans\n    k: 2\n";
    REQUIRE_THROWS_WITH(run(grid::parse_config(text, "ext.yaml")),
                        Catch::Contains("ext.yaml:5: spaces[external].params: 'path' is missing"));
  }
}
