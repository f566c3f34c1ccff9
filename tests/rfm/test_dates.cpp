// Civil dates of the transaction reader against a day-by-day calendar walk.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/transactions_dates.hpp"

using namespace cb;

TEST_CASE("day numbers match a day-by-day calendar walk from 1900 to 2100", "[rfm]") {
  const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = 1900, m = 1, d = 1;
  io::Day expected = io::day_from_civil(1900, 1, 1);
  CHECK(io::day_from_civil(1970, 1, 1) == 0);
  for (; y < 2100; ++expected) {
    REQUIRE(io::day_from_civil(y, m, d) == expected);
    REQUIRE(io::format_day(expected) == fmt::format("{:04d}-{:02d}-{:02d}", y, m, d));
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (++d > month_days[m - 1] + (m == 2 && leap)) {
      d = 1;
      if (++m > 12) m = 1, ++y;
    }
  }
}

TEST_CASE("date formats: ISO fast path, US, named months, compact, and invalid dates", "[rfm]") {
  io::Timestamp t = 0, u = 0;
  const io::DateFormat automatic;
  REQUIRE(automatic.parse("2010-12-01 08:26:00", t));
  CHECK(t == io::day_from_civil(2010, 12, 1) * io::Timestamp{86400} + 8 * 3600 + 26 * 60);
  REQUIRE(automatic.parse("12/1/2010 8:26", u));
  CHECK(u == t);
  REQUIRE(automatic.parse("2010-12-01 8:26", u));  // not fixed width: the general parser
  CHECK(u == t);
  CHECK(automatic.parse("2012-02-29 00:00:00", u));
  CHECK_FALSE(automatic.parse("2011-02-29 00:00:00", u));
  CHECK_FALSE(automatic.parse("2011-12-01 24:00:00", u));
  CHECK_FALSE(automatic.parse("2011-12-01 08:26:00x", u));
  CHECK_FALSE(automatic.parse("01-Dec-10", u));
  REQUIRE(io::DateFormat("%d-%b-%y").parse("01-DEC-10", u));
  CHECK(io::day_of(u) == io::day_from_civil(2010, 12, 1));
  REQUIRE(io::DateFormat("%Y%m%d").parse("19970101", u));
  CHECK(io::day_of(u) == io::day_from_civil(1997, 1, 1));
  CHECK(io::day_of(-1) == -1);
  CHECK_THROWS_AS(io::parse_day("2011-13-01"), InputError);
}
