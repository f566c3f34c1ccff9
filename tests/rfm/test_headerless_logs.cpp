// Logs without a header line and with blank-separated fields (fixed-width
// exports such as CDNOW): columns by position, the same features as the
// same data in a CSV with a header, and errors naming the position.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/features.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

std::string write_text(const std::string& stem, const std::string& text) {
  const std::string path = test::temp_dir(stem) + "/log.txt";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

/// customer=1, date=3 (YYYYMMDD), quantity=4, amount=5; nothing else.
io::LogSchema by_position() {
  io::LogSchema schema;
  schema.header = false;
  schema.whitespace_delimited = true;
  // Moved in: GCC 12's -Wrestrict misreads copying a one-character literal over a longer string.
  schema.customer_column = std::string("1");
  schema.date_column = std::string("3");
  schema.date_format = "%Y%m%d";
  schema.quantity_column = std::string("4");
  schema.amount_column = std::string("5");
  schema.invoice_column = schema.price_column = schema.product_column = schema.country_column = "";
  return schema;
}

rfm::CustomerTable features_of(const std::string& path, const io::LogSchema& schema, const Executor& executor,
                               const io::LogReaderOptions& reader = {}) {
  return rfm::customer_features(rfm::read_and_aggregate(path, schema, {}, executor, reader));
}

}  // namespace

TEST_CASE("a blank-separated log without a header reads as the same data with a header", "[rfm]") {
  // CDNOW's layout: runs of spaces, CRLF, ids with leading zeros; plus a tab, a
  // quoted field with a space, blank lines and a line of blanks.
  const std::string blanks =
      "\r\n"
      " 00004 0001 19970101  2   29.33\r\n"
      " 00004 0001 19970118  2   29.73\r\n"
      "\t00021\t0002 19970101  3   63.34\r\n"
      "   \r\n"
      " \"00 7\" 0003 19970102  1   5\r\n"
      " 00021 0002 19970301  1   10.00";  // no line end at the end of the file
  const std::string csv =
      "cust,sample,day,cds,dollars\n"
      "00004,0001,19970101,2,29.33\n"
      "00004,0001,19970118,2,29.73\n"
      "00021,0002,19970101,3,63.34\n"
      "00 7,0003,19970102,1,5\n"
      "00021,0002,19970301,1,10.00\n";
  io::LogSchema named;
  named.customer_column = "cust";
  named.date_column = "day";
  named.date_format = "%Y%m%d";
  named.quantity_column = "cds";
  named.amount_column = "dollars";
  named.invoice_column = named.price_column = named.product_column = named.country_column = "";
  const auto a = features_of(write_text("blanks", blanks), by_position(), serial_executor());
  const auto b = features_of(write_text("csv", csv), named, serial_executor());
  REQUIRE(a.features.ids == std::vector<std::string>{"00004", "00021", "00 7"});
  CHECK(a.features.ids == b.features.ids);
  CHECK((a.features.values.array() == b.features.values.array()).all());
  CHECK(io::format_day(a.snapshot) == "1997-03-02");
  CHECK(a.features.values(0, rfm::feature_column("frequency")) == 2);  // no invoice column: a row is a transaction
  CHECK(a.features.values(0, rfm::feature_column("monetary")) == Approx(59.06));
  CHECK(a.features.values(1, rfm::feature_column("items")) == 4);
}

TEST_CASE("a headerless log reads alike for any block size and thread count", "[rfm]") {
  std::string text = "\xEF\xBB\xBF";  // a BOM before the first record
  for (int i = 0; i < 3000; ++i)
    text += fmt::format("{:>6} {:04} 1997{:02}{:02} {:>2} {:>7.2f}\r\n", i % 97, i % 97, 1 + i % 12, 1 + i % 28,
                        1 + i % 4, 0.5 + i % 13);
  const auto path = write_text("many", text);
  const auto serial = features_of(path, by_position(), serial_executor());
  io::LogReaderOptions small;
  small.block_bytes = 1024;
  small.batch_bytes = 4096;
  const auto two = make_parallel_executor(2);
  const auto parallel = features_of(path, by_position(), *two, small);
  REQUIRE(serial.features.rows() == 97);
  CHECK(serial.features.ids == parallel.features.ids);
  CHECK((serial.features.values.array() == parallel.features.values.array()).all());
  CHECK(serial.features.ids.front() == "0");  // the BOM is not part of the first id
}

TEST_CASE("headerless and blank-separated logs: errors name the position and the line", "[rfm][bad-input]") {
  const auto good = " 00004 0001 19970101  2   29.33\n";
  const auto path = write_text("short", std::string(good) + good + " 00004 0001 19970101  2\n");
  CHECK_THAT(error_of([&] { features_of(path, by_position(), serial_executor()); }),
             Catch::Contains(path + ":3: expected 5 fields, found 4"));
  auto schema = by_position();
  schema.amount_column = std::string("7");
  CHECK_THAT(error_of([&] { features_of(path, schema, serial_executor()); }),
             Catch::Contains(path + ":1: column 7 (amount_column) not found: the first record has 5 fields"));
  schema.amount_column = "dollars";
  CHECK_THAT(error_of([&] { features_of(path, schema, serial_executor()); }),
             Catch::Contains("without a header, columns are given by position (1 to 5); amount_column is 'dollars'"));
  const auto date = write_text("date", std::string("\n\n") + good + " 00004 0001 1997-01-02  2   29.33\n");
  CHECK_THAT(error_of([&] { features_of(date, by_position(), serial_executor()); }),
             Catch::Contains(date + ":4: cannot parse date '1997-01-02' in column 3"));
  const auto money = write_text("money", std::string(good) + " 00004 0001 19970102  2   $29\n");
  CHECK_THAT(error_of([&] { features_of(money, by_position(), serial_executor()); }),
             Catch::Contains(money + ":2: cannot parse '$29' as a number in column 5"));
  const auto quote = write_text("quote", std::string(good) + " \"00004\"x 0001 19970102  2   29\n");
  CHECK_THAT(error_of([&] { features_of(quote, by_position(), serial_executor()); }),
             Catch::Contains(quote + ":2: unexpected character after a closing quote"));
  const auto blank = write_text("blank", "\n  \n\t\r\n");
  CHECK_THAT(error_of([&] { features_of(blank, by_position(), serial_executor()); }),
             Catch::Contains("empty file (no records)"));
}
