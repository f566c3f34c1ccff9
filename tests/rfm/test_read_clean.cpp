// Reading and cleaning transaction logs: the published Online Retail counts,
// pandas' per-customer R/F/M, serial == parallel, and bad input messages.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "clusterbench/core/error.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/features.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

const std::string kFullLog = "transactions/online_retail.csv.gz";
const std::string kDecember = "transactions/online_retail_2010-12.csv";

std::string write_text(const std::string& stem, const std::string& text) {
  const std::string path = test::temp_dir(stem) + "/log.csv";
  std::ofstream(path) << text;
  return path;
}

const rfm::CleaningStep& step(const rfm::CleaningReport& report, rfm::Rule rule) {
  return report.steps.at(static_cast<std::size_t>(rule));
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("cleaning report reproduces the published Online Retail counts", "[rfm]") {
  const auto executor = make_parallel_executor(2);
  const auto agg =
      rfm::read_and_aggregate(test::data_path(kFullLog), io::LogSchema{}, rfm::CleaningOptions{}, *executor);
  const auto& r = agg.report;
  CHECK(r.rows_read == 541909);
  CHECK(r.customers_in_log == 4372);
  CHECK(step(r, rfm::Rule::outside_window).rows_removed == 0);
  CHECK(step(r, rfm::Rule::missing_customer).rows_after == 406829);
  CHECK(step(r, rfm::Rule::missing_customer).customers_after == 4372);
  CHECK(step(r, rfm::Rule::cancellation).customers_after == 4339);
  CHECK(step(r, rfm::Rule::non_positive_price).customers_after == 4338);
  CHECK(step(r, rfm::Rule::non_positive_price).rows_after == 397884);
  CHECK(step(r, rfm::Rule::duplicate).rows_after == 392692);
  CHECK(r.rows_kept == 392692);
  CHECK(r.customers_kept == 4338);
  CHECK(agg.customers.size() == 4338);
  // UCI's published figures: 135,080 rows without an id; 9,288 cancellation rows (8,905 of them with an id).
  CHECK(step(r, rfm::Rule::missing_customer).rows_removed == 135080);
  CHECK(step(r, rfm::Rule::cancellation).rows_removed == 8905);
}

TEST_CASE("recency, frequency and monetary equal the pandas reference for every customer", "[rfm]") {
  const auto executor = make_parallel_executor(2);
  const auto agg =
      rfm::read_and_aggregate(test::data_path(kFullLog), io::LogSchema{}, rfm::CleaningOptions{}, *executor);
  const auto table = rfm::customer_features(agg);
  CHECK(io::format_day(table.snapshot) == "2011-12-10");
  std::istringstream expected(test::run_python("rfm_reference.py", {test::data_path(kFullLog)}));
  std::map<std::string, std::array<double, 3>> reference;
  std::string id;
  double r, f, m;
  while (expected >> id >> r >> f >> m) reference[id] = {r, f, m};
  REQUIRE(reference.size() == static_cast<std::size_t>(table.features.rows()));
  std::size_t mismatches = 0;
  for (Index i = 0; i < table.features.rows(); ++i) {
    const auto it = reference.find(table.features.ids[static_cast<std::size_t>(i)]);
    REQUIRE(it != reference.end());
    const auto& v = table.features.values;
    if (v(i, 0) != it->second[0] || v(i, 1) != it->second[1] ||
        std::abs(v(i, 2) - it->second[2]) > 1e-9 * std::max(1.0, std::abs(it->second[2])))
      ++mismatches;
  }
  CHECK(mismatches == 0);
}

TEST_CASE("aggregation is identical for 1 and 2 threads and any block size", "[rfm]") {
  const auto one = make_parallel_executor(1);
  const auto two = make_parallel_executor(2);
  io::LogReaderOptions small;
  small.block_bytes = 4096;
  small.batch_bytes = 64 * 1024;
  const auto path = test::data_path(kDecember);
  const auto agg = rfm::read_and_aggregate(path, {}, {}, *one);
  CHECK(agg.report.customers_in_log == 948);  // the README's figure for this slice
  const auto a = rfm::customer_features(agg);
  const auto b = rfm::customer_features(rfm::read_and_aggregate(path, {}, {}, *two, small));
  const auto c = rfm::customer_features(rfm::read_and_aggregate(path, {}, {}, serial_executor(), small));
  CHECK(a.features.ids == b.features.ids);
  CHECK(a.features.ids == c.features.ids);
  CHECK((a.features.values.array() == b.features.values.array()).all());
  CHECK((a.features.values.array() == c.features.values.array()).all());
  CHECK(a.country == b.country);
}

TEST_CASE("US dates, integer ids, quoted fields and a custom schema read alike", "[rfm]") {
  const std::string iso =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "536365,85123A,\"WHITE, HANGING\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
      "536366,22633,\"HAND \"\"WARMER\"\"\nUNION JACK\",6,2010-12-02 08:28:00,1.85,17850.0,United Kingdom\n"
      "C536379,D,Discount,-1,2010-12-03 09:41:00,27.5,14527.0,United Kingdom\n"
      "536380,22961,JAM,24,2010-12-03 09:41:00,0.85,14527.0,United Kingdom\r\n";
  const std::string us =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "536365,85123A,\"WHITE, HANGING\",6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
      "536366,22633,\"HAND \"\"WARMER\"\"\nUNION JACK\",6,12/2/2010 8:28,1.85,17850,United Kingdom\n"
      "C536379,D,Discount,-1,12/3/2010 9:41,27.5,14527,United Kingdom\n"
      "536380,22961,JAM,24,12/3/2010 9:41,0.85,14527,United Kingdom\n";
  const auto a = rfm::customer_features(rfm::read_and_aggregate(write_text("iso", iso), {}, {}, serial_executor()));
  const auto b = rfm::customer_features(rfm::read_and_aggregate(write_text("us", us), {}, {}, serial_executor()));
  REQUIRE(a.features.ids == std::vector<std::string>{"14527", "17850"});
  CHECK(a.features.ids == b.features.ids);
  CHECK((a.features.values.array() == b.features.values.array()).all());
  const auto& v = a.features.values;
  CHECK(v(1, 0) == 2);  // 17850: last purchase 2010-12-02, snapshot 2010-12-04
  CHECK(v(1, 1) == 2);  // two invoices
  CHECK(v(1, 2) == Approx(6 * 2.55 + 6 * 1.85));
  CHECK(v(0, rfm::feature_column("returns_count")) == 1);
  CHECK(v(0, rfm::feature_column("returns_value")) == Approx(27.5));

  // Another schema: customer;day;amount with a named-month date and no invoice column.
  const std::string other = "cust;day;amount\n7;01-Dec-10;10.5\n7;05-dec-10;4.5\n9;03-Dec-10;1\n";
  io::LogSchema schema;
  schema.customer_column = "cust";
  schema.date_column = "day";
  schema.date_format = "%d-%b-%y";
  schema.amount_column = "amount";
  schema.invoice_column = schema.quantity_column = schema.product_column = schema.country_column = "";
  schema.delimiter = ';';
  const auto c =
      rfm::customer_features(rfm::read_and_aggregate(write_text("other", other), schema, {}, serial_executor()));
  REQUIRE(c.features.ids == std::vector<std::string>{"7", "9"});
  CHECK(io::format_day(c.snapshot) == "2010-12-06");
  CHECK(c.features.values(0, 0) == 1);
  CHECK(c.features.values(0, 1) == 2);
  CHECK(c.features.values(0, 2) == 15.0);
  CHECK(c.features.values(0, rfm::feature_column("tenure")) == 5);

  io::LogSchema compact = schema;
  compact.date_format = "%Y%m%d";
  const std::string cdnow = "cust;day;amount\n00004;19970101;29.33\n00004;19970118;29.73\n";
  const auto d =
      rfm::customer_features(rfm::read_and_aggregate(write_text("cdnow", cdnow), compact, {}, serial_executor()));
  CHECK(d.features.ids == std::vector<std::string>{"00004"});
  CHECK(io::format_day(d.snapshot) == "1997-01-19");
}

TEST_CASE("bad input names file:line, the value and the expected format", "[rfm]") {
  const std::string header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  const std::string good = "536365,85123A,\"A, B\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n";
  const auto fields = write_text("fields", header + good + good + "536365,85123A,X,6,2010-12-01 08:26:00,2.55\n");
  CHECK_THAT(error_of([&] { rfm::read_and_aggregate(fields, {}, {}, serial_executor()); }),
             Catch::Contains(fields + ":4:") && Catch::Contains("expected 8 fields, found 6"));
  const auto date = write_text("date", header + good + "536365,85123A,X,6,2010-13-45 08:26,2.55,17850.0,UK\n");
  CHECK_THAT(
      error_of([&] { rfm::read_and_aggregate(date, {}, {}, serial_executor()); }),
      Catch::Contains(date + ":3:") && Catch::Contains("'2010-13-45 08:26'") && Catch::Contains("%Y-%m-%d %H:%M:%S"));
  io::LogSchema schema;
  schema.date_format = "%d-%b-%y";
  CHECK_THAT(error_of([&] { rfm::read_and_aggregate(date, schema, {}, serial_executor()); }),
             Catch::Contains(date + ":2:") && Catch::Contains("expected format %d-%b-%y"));
  const auto quote = write_text("quote", header + good + "536365,85123A,\"open,6,2010-12-01 08:26:00,2.55,1,UK\n");
  CHECK_THAT(error_of([&] { rfm::read_and_aggregate(quote, {}, {}, serial_executor()); }),
             Catch::Contains(quote + ":3:") && Catch::Contains("unterminated"));
  const auto column = write_text("column", "a,b\n1,2\n");
  CHECK_THAT(error_of([&] { rfm::read_and_aggregate(column, {}, {}, serial_executor()); }),
             Catch::Contains("column 'CustomerID'"));
  const auto none = write_text("none", header +
                                           "C536365,85123A,X,-6,2010-12-01 08:26:00,2.55,17850.0,UK\n"
                                           "536366,85123A,X,6,2010-12-01 08:26:00,2.55,,UK\n");
  CHECK_THAT(error_of([&] { rfm::read_and_aggregate(none, {}, {}, serial_executor()); }),
             Catch::Contains("no customer left after cleaning"));
  // Large line numbers survive block and batch cuts.
  std::string many = header;
  for (int i = 0; i < 5000; ++i) many += good;
  many += "536365,85123A,X,six,2010-12-01 08:26:00,2.55,17850.0,UK\n";
  io::LogReaderOptions small;
  small.block_bytes = 1024;
  small.batch_bytes = 8192;
  const auto late = write_text("late", many);
  const auto two = make_parallel_executor(2);
  CHECK_THAT(error_of([&] { rfm::read_and_aggregate(late, {}, {}, *two, small); }),
             Catch::Contains(late + ":5002:") && Catch::Contains("'six'"));
}

TEST_CASE("optional rules: non-product codes, excluded countries, a window, ids kept when missing", "[rfm]") {
  const std::string log =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "1,POST,postage,1,2011-01-01 10:00:00,18,100.0,France\n"  // non-product code
      "1,22633,cup,2,2011-01-01 10:00:00,1.5,100.0,France\n"
      "2,gift_0001_20,voucher,1,2011-01-05 10:00:00,20,100.0,France\n"  // prefix pattern
      "3,22633,cup,2,2011-01-03 10:00:00,1.5,200.0,Unspecified\n"       // excluded country
      "4,22633,cup,1,2011-02-01 10:00:00,1.5,300.0,EIRE\n"              // after the window
      "5,22633,cup,4,2011-01-02 10:00:00,1.5,,EIRE\n"                   // no id
      "1,22633,cup,2,2011-01-01 10:00:00,1.5,100.0,France\n";           // duplicate of line 3
  const auto path = write_text("optional", log);
  rfm::CleaningOptions o;
  o.drop_non_product_codes = true;
  o.drop_excluded_countries = true;
  o.before = io::parse_day("2011-01-31");
  const auto agg = rfm::read_and_aggregate(path, {}, o, serial_executor());
  const auto& r = agg.report;
  CHECK(step(r, rfm::Rule::outside_window).rows_removed == 1);
  CHECK(step(r, rfm::Rule::outside_window).customers_after == 2);  // 300 had only that row
  CHECK(step(r, rfm::Rule::missing_customer).rows_removed == 1);
  CHECK(step(r, rfm::Rule::duplicate).rows_removed == 1);
  CHECK(step(r, rfm::Rule::non_product_code).rows_removed == 2);
  CHECK(step(r, rfm::Rule::excluded_country).rows_removed == 1);
  CHECK(step(r, rfm::Rule::excluded_country).customers_removed == 1);
  CHECK(r.rows_kept == 1);
  REQUIRE(agg.customers.size() == 1);
  CHECK(agg.customers[0].id == "100");
  CHECK(agg.customers[0].revenue == 3.0);
  CHECK(agg.customers[0].country == "France");

  // With missing ids kept (other rules default), rows without an id form the customer "(missing)".
  rfm::CleaningOptions keep;
  keep.drop_missing_customer = false;
  const auto all = rfm::read_and_aggregate(path, {}, keep, serial_executor());
  std::vector<std::string> ids;
  for (const auto& c : all.customers) ids.push_back(c.id);
  CHECK(ids == std::vector<std::string>{"100", "200", "300", "(missing)"});
  CHECK(all.customers[0].products == 3);  // POST, 22633, gift_0001_20
  CHECK(all.customers[0].invoices == 2);
}
