// Every kind of bad input: a clear message naming the file, line or field, a
// non-zero exit, and no results file left behind.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_support.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string data;        // CSV text of the features file
  std::string algorithms;  // algorithms block
};

std::string features_config(const std::string& dir, const std::string& data_path, const std::string& k = "[2, 3]",
                            const std::string& extra = "") {
  return test::write_file(dir, "grid.yaml",
                          "name: bad\noutput: " + dir + "/out.h5\ndataset:\n  type: features\n  path: " + data_path +
                              "\n  id_column: id\n" + extra + "algorithms:\n  - name: kmeans\n    k: " + k + "\n");
}

/// Runs the grid, expects failure with `expected` in the message and no results file.
void expect_rejected(const std::string& dir, const std::string& config, const std::string& expected) {
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code != 0);
  REQUIRE(out.find("error: ") != std::string::npos);
  REQUIRE(out.find(expected) != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir + "/out.h5"));
  REQUIRE_FALSE(fs::exists(dir + "/out.h5.journal"));
}

const std::string kGood = "id,a,b\n1,0,1\n2,1,0\n3,5,5\n4,6,5\n5,5,6\n6,0.5,0.5\n";

}  // namespace

TEST_CASE("missing data file", "[cli][bad-input]") {
  const auto dir = test::temp_dir("missing");
  expect_rejected(dir, features_config(dir, dir + "/nope.csv"), dir + "/nope.csv: cannot open file");
}

TEST_CASE("missing config file", "[cli][bad-input]") {
  const auto [code, out] = test::clusterbench("run /nonexistent/grid.yaml");
  REQUIRE(code != 0);
  REQUIRE(out.find("/nonexistent/grid.yaml") != std::string::npos);
}

TEST_CASE("malformed row names file and line", "[cli][bad-input]") {
  const auto dir = test::temp_dir("malformed");
  const auto data = test::write_file(dir, "f.csv", "id,a,b\n1,0,1\n2,1\n");
  expect_rejected(dir, features_config(dir, data), data + ":3: expected 3 fields, found 2");
}

TEST_CASE("NaN and Inf values name file, line and column", "[cli][bad-input]") {
  const auto dir = test::temp_dir("nan");
  const auto data = test::write_file(dir, "f.csv", "id,a,b\n1,0,1\n2,NaN,0\n");
  expect_rejected(dir, features_config(dir, data), data + ":3: column 'a': value 'NaN' is not finite");
  const auto data2 = test::write_file(dir, "g.csv", "id,a,b\n1,0,inf\n");
  expect_rejected(dir, features_config(dir, data2), data2 + ":2: column 'b'");
}

TEST_CASE("empty data", "[cli][bad-input]") {
  const auto dir = test::temp_dir("empty");
  const auto data = test::write_file(dir, "f.csv", "id,a,b\n");
  expect_rejected(dir, features_config(dir, data), "no data rows");
}

TEST_CASE("k larger than the number of points names the config line", "[cli][bad-input]") {
  const auto dir = test::temp_dir("kbig");
  const auto data = test::write_file(dir, "f.csv", kGood);
  expect_rejected(dir, features_config(dir, data, "[2, 7]"),
                  "grid.yaml:9: algorithms: kmeans: k = 7 exceeds the number of points (6)");
}

TEST_CASE("constant column is named, and can be dropped on request", "[cli][bad-input]") {
  const auto dir = test::temp_dir("const");
  const auto data = test::write_file(dir, "f.csv", "id,a,c,b\n1,0,3,1\n2,1,3,0\n3,5,3,5\n4,6,3,5\n");
  expect_rejected(dir, features_config(dir, data), "column(s) c of " + data + " are constant");
  const auto config = features_config(dir, data, "[2, 3]", "preprocess:\n  drop_constant: true\n");
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
}

TEST_CASE("duplicate points: k beyond the distinct points is rejected, otherwise they cluster", "[cli][bad-input]") {
  const auto dir = test::temp_dir("dups");
  const auto data = test::write_file(dir, "f.csv", "id,a,b\n1,0,0\n2,0,0\n3,0,0\n4,1,1\n5,1,1\n6,0,0\n");
  expect_rejected(dir, features_config(dir, data, "[2, 3]"),
                  "k = 3 exceeds the number of distinct points (2 of 6 are distinct)");
  const auto [code, out] = test::clusterbench("run -q " + features_config(dir, data, "2"));
  INFO(out);
  REQUIRE(code == 0);
}

TEST_CASE("unknown config key names file, line and a suggestion", "[cli][bad-input]") {
  const auto dir = test::temp_dir("typo");
  const auto data = test::write_file(dir, "f.csv", kGood);
  const auto config = features_config(dir, data, "[2, 3]", "preprocess:\n  scalling: robust\n");
  expect_rejected(dir, config, "grid.yaml:8: preprocess.scalling: unknown key (did you mean 'scaling'?)");
}

TEST_CASE("unwritable output path", "[cli][bad-input]") {
  const auto dir = test::temp_dir("unwritable");
  const auto data = test::write_file(dir, "f.csv", kGood);
  const auto config = features_config(dir, data);
  // A regular file where the output folder should be makes the path unwritable even for root.
  test::write_file(dir, "blocker", "x");
  const auto [code, out] = test::clusterbench("run -q -o " + dir + "/blocker/out.h5 " + config);
  INFO(out);
  REQUIRE(code != 0);
  REQUIRE(out.find(dir + "/blocker/out.h5") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir + "/out.h5"));
}
