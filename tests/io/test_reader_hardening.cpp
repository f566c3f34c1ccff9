// Readers facing damaged input: gzip files cut short, byte-order marks,
// non-finite numbers, embedded NULs and huge cells. Each is an error naming
// the file (and line and column where there is one), never a silently
// shortened value.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/io/transactions.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

std::string write_raw(const std::string& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

/// Gzip-compresses `text` to `path`, then keeps only its first `keep` bytes
/// (keep <= 0: all but the last -keep bytes).
std::string write_gzip_cut(const std::string& path, const std::string& text, long keep) {
  gzFile f = gzopen(path.c_str(), "wb9");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  const auto size = static_cast<long>(std::filesystem::file_size(path));
  std::filesystem::resize_file(path, static_cast<std::uintmax_t>(keep <= 0 ? size + keep : keep));
  return path;
}

std::string features_text(int rows) {
  std::string text = "id,a,b\n";
  for (int i = 1; i <= rows; ++i)
    text += std::to_string(i) + "," + std::to_string(1000 + i * 7.77) + ",0." + std::to_string(i) + "\n";
  return text;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string read_log_error(const std::string& path) {
  const auto executor = make_parallel_executor(2);
  return error_of([&] {
    io::read_transaction_log(path, io::LogSchema{}, *executor, [](std::span<const io::TransactionBlock>) {});
  });
}

const std::string kLogHeader = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

std::string log_text(int rows) {
  std::string text = kLogHeader;
  for (int i = 0; i < rows; ++i)
    text += "5363" + std::to_string(i) + ",85123A,HOLDER,6,2010-12-01 08:26:00,2.55,1785" + std::to_string(i % 10) +
            ".0,United Kingdom\n";
  return text;
}

}  // namespace

TEST_CASE("a gzip features file cut before its trailer or mid-stream is reported truncated", "[io][bad-input]") {
  const auto dir = test::temp_dir("gz_cut");
  const auto text = features_text(4000);
  io::FeaturesCsvOptions options;
  options.id_column = "id";
  for (long keep : {-4L, -1L, 2000L, 100L}) {
    INFO("keep " << keep);
    const auto path = write_gzip_cut(dir + "/f" + std::to_string(keep) + ".csv.gz", text, keep);
    CHECK_THAT(error_of([&] { io::read_features_csv(path, options); }), Catch::StartsWith(path + ": truncated"));
  }
  // Whole, the same file reads.
  const auto whole = write_gzip_cut(dir + "/whole.csv.gz", text, 0);
  CHECK(io::read_features_csv(whole, options).rows() == 4000);
}

TEST_CASE("a gzip transaction log cut short is reported truncated", "[io][bad-input]") {
  const auto dir = test::temp_dir("gz_log_cut");
  const auto text = log_text(5000);
  for (long keep : {-4L, 3000L}) {
    INFO("keep " << keep);
    const auto path = write_gzip_cut(dir + "/log" + std::to_string(keep) + ".csv.gz", text, keep);
    CHECK_THAT(read_log_error(path), Catch::StartsWith(path + ": truncated"));
  }
}

TEST_CASE("a gzip benchmark file cut short is reported truncated", "[io][bad-input]") {
  const auto dir = test::temp_dir("gz_bench_cut");
  std::string text;
  for (int i = 0; i < 3000; ++i) text += std::to_string(i) + " " + std::to_string(i * 3) + "\n";
  const auto path = write_gzip_cut(dir + "/b.data.gz", text, -4);
  CHECK_THAT(error_of([&] { io::read_benchmark(path, ""); }), Catch::StartsWith(path + ": truncated"));
}

TEST_CASE("inf and nan prices in a transaction log name file, line and column", "[io][bad-input]") {
  const auto dir = test::temp_dir("log_inf");
  for (const char* bad : {"inf", "nan", "-Infinity", "NaN"}) {
    INFO(bad);
    const auto path = write_raw(dir, "log.csv",
                                kLogHeader + "536365,85123A,HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,UK\n" +
                                    "536366,85123A,HOLDER,6,2010-12-01 08:26:00," + bad + ",17850.0,UK\n");
    CHECK_THAT(read_log_error(path),
               Catch::StartsWith(path + ":3: value '" + bad + "' in column UnitPrice is not a finite number"));
  }
}

TEST_CASE("a UTF-8 byte-order mark before a features header is not part of the first name", "[io][bad-input]") {
  const auto dir = test::temp_dir("bom");
  const auto path = write_raw(dir, "f.csv", "\xEF\xBB\xBFid,a,b\r\n1,0,1\r\n2,1,0\r\n");
  io::FeaturesCsvOptions options;
  options.id_column = "id";
  const auto data = io::read_features_csv(path, options);
  CHECK(data.columns == std::vector<std::string>{"a", "b"});
  CHECK(data.ids == std::vector<std::string>{"1", "2"});
}

TEST_CASE("a huge malformed cell is quoted cut, on one line, with its size", "[io][bad-input]") {
  const auto dir = test::temp_dir("huge_cell");
  const std::string huge(400'000, 'x');  // big enough to matter; small enough for sanitizer builds
  const auto path = write_raw(dir, "f.csv", "id,a\n1," + huge + "\n");
  io::FeaturesCsvOptions options;
  options.id_column = "id";
  const auto message = error_of([&] { io::read_features_csv(path, options); });
  CHECK(message.size() < 300);
  CHECK_THAT(message, Catch::Contains(path + ":2: column 'a': '" + std::string(60, 'x') +
                                      "\xE2\x80\xA6 (400000 bytes)' is not a number"));
}

TEST_CASE("an embedded NUL in a benchmark file is an error naming the line, not a cut line", "[io][bad-input]") {
  const auto dir = test::temp_dir("nul");
  const auto path = write_raw(dir, "b.data", std::string("1 2\n3 4\0\n", 9));
  CHECK_THAT(error_of([&] { io::read_benchmark(path, ""); }), Catch::Contains(path + ":2: '4\\x00' is not a number"));
}

TEST_CASE("excerpt keeps valid UTF-8, escapes control and invalid bytes, cuts long text", "[io]") {
  CHECK(excerpt("Zürich") == "Zürich");
  CHECK(excerpt("a\nb\tc\x01") == "a\\nb\\tc\\x01");
  CHECK(excerpt("\xff\xfe") == "\\xff\\xfe");
  CHECK(excerpt(std::string(100, 'y'), 10) == "yyyyyyyyyy\xE2\x80\xA6 (100 bytes)");
}
