#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>

#include "clusterbench/core/error.hpp"
#include "clusterbench/exports/points_csv.hpp"

using namespace cb;

namespace {

/// Significant digits of a decimal text ("77183.6" -> 6, "1e-300" -> 1, "1000" -> 1).
int significant_digits(const std::string& text) {
  std::string digits;
  for (const char c : text.substr(0, text.find_first_of("eE")))
    if (c >= '0' && c <= '9') digits += c;
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  const auto last = digits.find_last_not_of('0');
  return static_cast<int>(last - first + 1);
}

/// The fewest significant digits with which printf's %g reads back to `value`.
int fewest_digits(double value) {
  for (int precision = 1; precision < 17; ++precision) {
    char text[40];
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value) return precision;
  }
  return 17;
}

}  // namespace

TEST_CASE("numbers are written as the shortest text that reads back to the same double", "[exports][csv]") {
  CHECK(exports::shortest_number(77183.6) == "77183.6");
  CHECK(exports::shortest_number(77183.600000000006) == "77183.6");  // the same double
  CHECK(exports::shortest_number(0.1) == "0.1");
  CHECK(exports::shortest_number(0.1 + 0.2) == "0.30000000000000004");
  CHECK(exports::shortest_number(3) == "3");
  CHECK(exports::shortest_number(1e-300) == "1e-300");

  std::vector<double> values{5e-324, 1.7976931348623157e308, -0.0, 123456789012345680.0, 2.5e-7, 1.0 / 3.0};
  std::mt19937_64 bits(12);
  std::mt19937_64 numbers(13);
  std::lognormal_distribution<double> money(5.0, 2.0);
  while (values.size() < 20000) {
    const double any = std::bit_cast<double>(bits());
    if (std::isfinite(any)) values.push_back(any);
    values.push_back(std::round(money(numbers) * 100) / 100);  // prices such as 77183.6
  }
  for (const double value : values) {
    const auto text = exports::shortest_number(value);
    INFO(text);
    REQUIRE(std::bit_cast<std::uint64_t>(std::strtod(text.c_str(), nullptr)) == std::bit_cast<std::uint64_t>(value));
    REQUIRE(significant_digits(text) <= fewest_digits(value));
  }
}

TEST_CASE("the points CSV quotes ids that need it and writes noise as -1", "[exports][csv]") {
  Dataset data;
  data.ids = {"plain", "comma,id", "quote\"id"};
  data.columns = {"x", "y z"};
  data.values = Matrix(3, 2);
  data.values << 77183.6, 0.1, 1e-300, -2, 3, 4.25;
  std::ostringstream out;
  exports::write_points_csv(out, data, {0, kNoise, 1});
  CHECK(out.str() ==
        "id,x,y z,cluster\n"
        "plain,77183.6,0.1,0\n"
        "\"comma,id\",1e-300,-2,-1\n"
        "\"quote\"\"id\",3,4.25,1\n");
  std::ostringstream ignored;
  CHECK_THROWS_AS(exports::write_points_csv(ignored, data, {0, 1}), InputError);
}
