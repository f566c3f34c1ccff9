#include <catch2/catch.hpp>

#include <bit>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <random>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/csv_reader.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {
std::string write_text(const std::string& text, const std::string& stem) {
  const std::string path = test::temp_dir(stem) + "/data.csv";
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("benchmark sets load with their shape and labels", "[io]") {
  const auto s1 = test::load_benchmark("sipu-s1");
  REQUIRE(s1.rows() == 5000);
  REQUIRE(s1.cols() == 2);
  REQUIRE(s1.reference->size() == 5000);
  const auto hdb = test::load_benchmark("other-hdbscan");
  REQUIRE(std::count(hdb.reference->begin(), hdb.reference->end(), kNoise) == 510);
  const auto digits = test::load_benchmark("sklearn-digits");
  REQUIRE(digits.rows() == 1797);
  REQUIRE(digits.cols() == 64);
}

TEST_CASE("features CSV: id column, chosen columns, quoted fields", "[io]") {
  const auto path = write_text("id,name,a,b\n7,\"x, y\",1.5,2\n8,z,3,4e1\n", "csv");
  io::FeaturesCsvOptions options;
  options.id_column = "id";
  options.columns = {"b", "a"};
  const auto d = io::read_features_csv(path, options);
  REQUIRE(d.ids == std::vector<std::string>{"7", "8"});
  REQUIRE(d.columns == std::vector<std::string>{"b", "a"});
  REQUIRE(d.values(1, 0) == 40.0);
  REQUIRE(d.values(0, 1) == 1.5);
}

TEST_CASE("features CSV errors name file and line", "[io][bad-input]") {
  io::FeaturesCsvOptions options;
  options.id_column = "id";
  SECTION("wrong field count") {
    const auto path = write_text("id,a\n1,2\n2,3,4\n", "bad");
    REQUIRE_THROWS_WITH(io::read_features_csv(path, options), Catch::Contains(path + ":3: expected 2 fields, found 3"));
  }
  SECTION("not a number") {
    const auto path = write_text("id,a\n1,abc\n", "bad");
    REQUIRE_THROWS_WITH(io::read_features_csv(path, options),
                        Catch::Contains(path + ":2: column 'a': 'abc' is not a number"));
  }
  SECTION("NaN and Inf") {
    const auto path = write_text("id,a\n1,nan\n", "bad");
    REQUIRE_THROWS_WITH(io::read_features_csv(path, options), Catch::Contains("not finite"));
    const auto path2 = write_text("id,a\n1,1\n2,-inf\n", "bad");
    REQUIRE_THROWS_WITH(io::read_features_csv(path2, options), Catch::Contains(path2 + ":3"));
  }
  SECTION("empty data") {
    const auto path = write_text("id,a\n", "bad");
    REQUIRE_THROWS_WITH(io::read_features_csv(path, options), Catch::Contains("no data rows"));
  }
  SECTION("unknown column") {
    options.columns = {"nope"};
    const auto path = write_text("id,a\n1,2\n", "bad");
    REQUIRE_THROWS_WITH(io::read_features_csv(path, options), Catch::Contains("feature column 'nope' not found"));
  }
  SECTION("missing file") { REQUIRE_THROWS_AS(io::read_features_csv("/nonexistent/x.csv", options), InputError); }
}

TEST_CASE("parse_double equals std::from_chars bit for bit, fast path or not", "[io]") {
  auto reference = [](std::string_view text, double& v) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && end == text.data() + text.size();
  };
  auto same = [&](const std::string& text) {
    double ours = 0.0, theirs = 0.0;
    const bool ok = cb::io::parse_double(text, ours);
    const bool ok_ref = reference(text, theirs);
    INFO(text);
    REQUIRE(ok == ok_ref);
    if (ok) REQUIRE(std::bit_cast<std::uint64_t>(ours) == std::bit_cast<std::uint64_t>(theirs));
  };
  for (const char* text : {"0",
                           "-0",
                           "0.0",
                           "-0.000",
                           "1.",
                           ".5",
                           "-.5",
                           "007.50",
                           "2.55",
                           "0.1",
                           "-12.345",
                           "123456789012345",
                           "1234567890123456",
                           "12345678901234567890",
                           "0.000000000000000000001",
                           "0.00000000000000000000000123",
                           "9007199254740993",
                           "1e3",
                           "1E-2",
                           "inf",
                           "nan",
                           ".",
                           "-",
                           "--1",
                           "1.2.3",
                           "1,5",
                           "0x10",
                           "12a"})
    same(text);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> digits(1, 17), point(0, 18), sign(0, 1);
  for (int trial = 0; trial < 200000; ++trial) {
    std::string text = sign(rng) ? "-" : "";
    const int n = digits(rng), at = point(rng);
    for (int i = 0; i < n; ++i) {
      if (i == at) text += '.';
      text += static_cast<char>('0' + rng() % 10);
    }
    same(text);
  }
}
