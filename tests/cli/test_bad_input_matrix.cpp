// The bad-input matrix (issue 13, scope 2): every kind of damaged or wrong
// input, over transaction logs, features CSV, benchmark files, YAML configs,
// segment-rule files, outputs and HDF5 stores. For each case the command
// must exit with the documented code (README "Exit codes"), print exactly one
// line "error: ..." naming the file with its line or key and what was
// expected, write nothing (no new file in the case's folder) and leave the
// results file already there byte-identical. A few inputs that look bad but
// are valid (byte-order mark, CRLF, quoted newlines) must simply work.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "cli_support.hpp"

using namespace cb;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

const std::string kLogHeader = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
const std::string kLogRow = "536365,85123A,HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n";
const std::string kLogRow2 = "536366,71053,LANTERN,2,2010-12-02 09:00:00,3.39,13047.0,France\n";
const std::string kFeatures = "id,a,b\n1,0,1\n2,1,0\n3,5,5\n4,6,5\n5,5,6\n6,0.5,0.5\n";

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

/// Gzip of `text` without its last 4 bytes (the trailer's length field).
std::string gzip_cut(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb6");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  fs::resize_file(path, fs::file_size(path) - 4);
  return path;
}

std::string many_log_rows(int n) {
  std::string text = kLogHeader;
  for (int i = 0; i < n; ++i)
    text += "5363" + std::to_string(i) + ",85123A,HOLDER,6,2010-12-01 08:26:00,2.55,178" + std::to_string(i % 50) +
            ".0,UK\n";
  return text;
}

/// A finished results file of a tiny grid, made once per test process.
const std::string& good_store() {
  static const std::string path = [] {
    const auto dir = test::temp_dir("matrix_store");
    test::write_file(dir, "f.csv", kFeatures);
    const auto config = test::write_file(dir, "grid.yaml",
                                         "name: m\noutput: " + dir +
                                             "/good.h5\ndataset:\n  type: features\n"
                                             "  path: " +
                                             dir +
                                             "/f.csv\n  id_column: id\n"
                                             "algorithms:\n  - name: kmeans\n    k: [2, 3]\n");
    const auto [code, out] = test::clusterbench("run -q " + config);
    if (code != 0) throw std::runtime_error("could not make the matrix's store: " + out);
    return dir + "/good.h5";
  }();
  return path;
}

/// A features grid over `data` (a file in the case folder) writing to out.h5 there.
std::string features_grid(const std::string& dir, const std::string& data, const std::string& k = "[2, 3]",
                          const std::string& dataset_extra = "") {
  return test::write_file(dir, "grid.yaml",
                          "name: m\noutput: " + dir + "/out.h5\ndataset:\n  type: features\n  path: " + dir + "/" +
                              data + "\n  id_column: id\n" + dataset_extra +
                              "algorithms:\n  - name: kmeans\n    k: " + k + "\n");
}

std::string benchmark_grid(const std::string& dir, const std::string& data, const std::string& labels = "") {
  return test::write_file(dir, "grid.yaml",
                          "name: m\noutput: " + dir + "/out.h5\ndataset:\n  type: benchmark\n  path: " + dir + "/" +
                              data + "\n" + (labels.empty() ? "" : "  labels: " + dir + "/" + labels + "\n") +
                              "algorithms:\n  - name: kmeans\n    k: [2, 3]\n");
}

struct Case {
  std::string name;
  /// Writes the case's inputs into `dir` and returns clusterbench's arguments.
  std::function<std::string(const std::string& dir)> setup;
  int code;            ///< documented exit code
  std::string expect;  ///< in the one error line; "{dir}" is the case folder ("" for a case that must succeed)
};

std::string run(const std::string& config) { return "run -q " + config; }

/// Features CSV `text` as f.csv, run through a grid.
Case features_case(std::string name, std::string text, int code, std::string expect, std::string k = "[2, 3]") {
  return {std::move(name),
          [text, k](const std::string& dir) {
            write_bytes(dir + "/f.csv", text);
            return run(features_grid(dir, "f.csv", k));
          },
          code, std::move(expect)};
}

/// Transaction log `text` as log.csv, read by `rfm`.
Case log_case(std::string name, std::string text, int code, std::string expect) {
  return {std::move(name),
          [text](const std::string& dir) {
            write_bytes(dir + "/log.csv", text);
            return "rfm " + dir + "/log.csv --bins 2";
          },
          code, std::move(expect)};
}

/// Grid config `text` as grid.yaml (f.csv beside it holds good features).
Case config_case(std::string name, std::string text, int code, std::string expect) {
  return {std::move(name),
          [text](const std::string& dir) {
            write_bytes(dir + "/f.csv", kFeatures);
            return run(test::write_file(dir, "grid.yaml", text));
          },
          code, std::move(expect)};
}

const std::string kConfigHead = "name: m\noutput: out.h5\ndataset:\n  type: features\n  path: f.csv\n  id_column: id\n";

/// Segment-rule table `text` as seg.yaml, used by `rfm`.
Case segments_case(std::string name, std::string text, int code, std::string expect) {
  return {std::move(name),
          [text](const std::string& dir) {
            write_bytes(dir + "/seg.yaml", text);
            write_bytes(dir + "/log.csv", kLogHeader + kLogRow + kLogRow2);
            return "rfm " + dir + "/log.csv --bins 2 --segments " + dir + "/seg.yaml";
          },
          code, std::move(expect)};
}

/// The good store changed by `damage`, read by `rank`.
Case store_case(std::string name, std::function<void(const std::string& path)> damage, int code, std::string expect) {
  return {std::move(name),
          [damage](const std::string& dir) {
            fs::copy_file(good_store(), dir + "/bad.h5");
            damage(dir + "/bad.h5");
            return "rank " + dir + "/bad.h5";
          },
          code, std::move(expect)};
}

std::vector<Case> cases() {
  std::vector<Case> c;
  // Transaction logs.
  c.push_back({"log: truncated gzip",
               [](const std::string& dir) {
                 gzip_cut(dir + "/log.csv.gz", many_log_rows(3000));
                 return "rfm " + dir + "/log.csv.gz";
               },
               1, "{dir}/log.csv.gz: truncated"});
  c.push_back(log_case("log: wrong delimiter",
                       "InvoiceNo;StockCode;Quantity;InvoiceDate;UnitPrice;CustomerID\n1;A;1;2010-12-01;1;5\n", 1,
                       "{dir}/log.csv:1: column 'CustomerID' (customer_column) not found in header"));
  c.push_back(log_case("log: BOM is accepted", "\xEF\xBB\xBF" + kLogHeader + kLogRow + kLogRow2, 0, ""));
  c.push_back(log_case("log: CRLF is accepted",
                       "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\r\n"
                       "536365,85123A,HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,UK\r\n"
                       "536366,71053,LANTERN,2,2010-12-02 09:00:00,3.39,13047.0,UK\r\n",
                       0, ""));
  c.push_back(log_case("log: quoted newline is accepted",
                       kLogHeader + "536365,85123A,\"TWO\nLINES\",6,2010-12-01 08:26:00,2.55,17850.0,UK\n" + kLogRow2,
                       0, ""));
  c.push_back(log_case("log: embedded NUL",
                       kLogHeader + "536365,85123A,HOLDER,6,2010-12-01 08:26:00,2.5\0,17850.0,UK\n"s, 1,
                       "{dir}/log.csv:2: cannot parse '2.5\\x00' as a number in column UnitPrice"));
  c.push_back(log_case("log: non-UTF-8 bytes in a number",
                       kLogHeader + "536365,85123A,HOLDER,6,2010-12-01 08:26:00,\xff\xfe,17850.0,UK\n", 1,
                       "{dir}/log.csv:2: cannot parse '\\xff\\xfe' as a number in column UnitPrice"));
  c.push_back(log_case("log: number out of range",
                       kLogHeader + "536365,85123A,HOLDER,1e999,2010-12-01 08:26:00,2.55,17850.0,UK\n", 1,
                       "{dir}/log.csv:2: cannot parse '1e999' as a number in column Quantity"));
  c.push_back(log_case("log: NaN text", kLogHeader + "536365,85123A,HOLDER,6,2010-12-01 08:26:00,NaN,17850.0,UK\n", 1,
                       "{dir}/log.csv:2: value 'NaN' in column UnitPrice is not a finite number"));
  c.push_back(log_case("log: Inf text",
                       kLogHeader + kLogRow + "536365,85123A,HOLDER,inf,2010-12-01 08:26:00,1,17850.0,UK\n", 1,
                       "{dir}/log.csv:3: value 'inf' in column Quantity is not a finite number"));
  c.push_back(log_case("log: impossible date",
                       kLogHeader + "536365,85123A,HOLDER,6,2010-13-45 08:26:00,2.55,17850.0,UK\n", 1,
                       "{dir}/log.csv:2: cannot parse date '2010-13-45 08:26:00' in column InvoiceDate"));
  c.push_back(log_case("log: empty file", "", 1, "{dir}/log.csv: empty file (no header)"));
  c.push_back(log_case("log: header only", kLogHeader, 1, "{dir}/log.csv: no customer left after cleaning"));
  c.push_back(log_case("log: duplicate header names",
                       "InvoiceNo,CustomerID,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,5,1,2010-12-01,1,6\n", 1,
                       "{dir}/log.csv:1: column name 'CustomerID' appears twice in the header (columns 2 and 6)"));
  c.push_back(log_case("log: missing column",
                       "InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID,Country\n1,A,1,2010-12-01,5,UK\n", 1,
                       "{dir}/log.csv:1: column 'UnitPrice' (price_column) not found in header"));
  c.push_back(log_case("log: short row", kLogHeader + kLogRow + "536366,71053,LANTERN,2\n", 1,
                       "{dir}/log.csv:3: expected 8 fields, found 4"));
  // Features CSV.
  c.push_back({"features: truncated gzip",
               [](const std::string& dir) {
                 std::string text = "id,a,b\n";
                 for (int i = 0; i < 3000; ++i)
                   text += std::to_string(i) + "," + std::to_string(i * 1.5) + ",1789.77\n";
                 gzip_cut(dir + "/f.csv.gz", text);
                 return run(features_grid(dir, "f.csv.gz"));
               },
               1, "{dir}/f.csv.gz: truncated"});
  c.push_back(features_case("features: wrong delimiter", "id;a;b\n1;0;1\n2;1;0\n", 1,
                            "{dir}/f.csv:1: id column 'id' not found"));
  c.push_back(features_case("features: BOM is accepted", "\xEF\xBB\xBF" + kFeatures, 0, ""));
  c.push_back(features_case("features: CRLF is accepted", "id,a,b\r\n1,0,1\r\n2,1,0\r\n3,5,5\r\n4,6,5\r\n", 0, ""));
  c.push_back(features_case("features: embedded NUL", "id,a,b\n1,0,1\n2,1\0,0\n"s, 1,
                            "{dir}/f.csv:3: column 'a': '1\\x00' is not a number"));
  c.push_back(features_case("features: quoted newline in a number", "id,a,b\n1,0,1\n2,\"1\n2\",0\n", 1,
                            "{dir}/f.csv:3: column 'a': '1\\n2' is not a number"));
  c.push_back(features_case("features: non-UTF-8 bytes", "id,a,b\n1,0,1\n2,\xc3\x28,0\n", 1,
                            "{dir}/f.csv:3: column 'a': '\\xc3(' is not a number"));
  c.push_back(features_case("features: number out of range", "id,a,b\n1,0,1\n2,1e400,0\n", 1,
                            "{dir}/f.csv:3: column 'a': '1e400' is not a number"));
  c.push_back(features_case("features: NaN text", "id,a,b\n1,0,1\n2,nan,0\n", 1,
                            "{dir}/f.csv:3: column 'a': value 'nan' is not finite"));
  c.push_back(features_case("features: Inf text", "id,a,b\n1,0,1\n2,1,-Inf\n", 1,
                            "{dir}/f.csv:3: column 'b': value '-Inf' is not finite"));
  c.push_back(features_case("features: empty file", "", 1, "{dir}/f.csv: file is empty"));
  c.push_back(features_case("features: header only", "id,a,b\n", 1, "{dir}/f.csv: no data rows"));
  c.push_back(features_case("features: duplicate header names", "id,a,a\n1,0,1\n2,1,0\n", 1,
                            "{dir}/f.csv:1: column name 'a' appears twice in the header (columns 2 and 3)"));
  c.push_back({"features: missing column",
               [](const std::string& dir) {
                 write_bytes(dir + "/f.csv", kFeatures);
                 return run(features_grid(dir, "f.csv", "[2, 3]", "  columns: [a, c]\n"));
               },
               1, "{dir}/f.csv:1: feature column 'c' not found (columns: id, a, b)"});
  c.push_back(
      features_case("features: short row", "id,a,b\n1,0,1\n2,1\n", 1, "{dir}/f.csv:3: expected 3 fields, found 2"));
  c.push_back(features_case("features: k out of range", kFeatures, 1,
                            "{dir}/grid.yaml:9: algorithms[0].k: k must be >= 1, got 0", "[0, 3]"));
  c.push_back(features_case("features: k > n", kFeatures, 1,
                            "{dir}/grid.yaml:9: algorithms: kmeans: k = 9 exceeds the number of points (6)", "[2, 9]"));
  c.push_back(features_case("features: one distinct point", "id,a,b\n1,2,3\n2,2,3\n3,2,3\n", 1,
                            "{dir}/f.csv: column(s) a, b of {dir}/f.csv are constant"));
  c.push_back(features_case("features: one row", "id,a,b\n1,2,3\n", 1,
                            "{dir}/f.csv: 1 data row: clustering needs at least 2 rows"));
  // Benchmark files.
  c.push_back({"benchmark: truncated gzip",
               [](const std::string& dir) {
                 std::string text;
                 for (int i = 0; i < 3000; ++i) text += std::to_string(i) + " " + std::to_string(i * 7) + "\n";
                 gzip_cut(dir + "/b.data.gz", text);
                 return run(benchmark_grid(dir, "b.data.gz"));
               },
               1, "{dir}/b.data.gz: truncated"});
  c.push_back({"benchmark: ragged row",
               [](const std::string& dir) {
                 write_bytes(dir + "/b.data", "1 2\n3 4\n5 6 7\n");
                 return run(benchmark_grid(dir, "b.data"));
               },
               1, "{dir}/b.data:3: expected 2 values, found 3"});
  c.push_back({"benchmark: labels count mismatch",
               [](const std::string& dir) {
                 write_bytes(dir + "/b.data", "1 2\n3 4\n5 6\n8 8\n");
                 write_bytes(dir + "/b.labels", "1\n2\n");
                 return run(benchmark_grid(dir, "b.data", "b.labels"));
               },
               1, "{dir}/b.labels: 2 labels for 4 points"});
  // YAML configs.
  c.push_back(config_case("config: misspelt key", kConfigHead + "algoritms:\n  - name: kmeans\n    k: 2\n", 1,
                          "{dir}/grid.yaml:7: algoritms: unknown key (did you mean 'algorithms'?)"));
  c.push_back(config_case("config: unknown algorithm key",
                          kConfigHead + "algorithms:\n  - name: kmeans\n    k: 2\n    kk: 3\n", 1,
                          "{dir}/grid.yaml:10: algorithms[0].kk: unknown key"));
  // Found by the config fuzz target: an invalid byte in a parameter value threw from the JSON the value is kept in.
  c.push_back(config_case("config: non-UTF-8 byte",
                          kConfigHead + "algorithms:\n  - name: kmeans\n    k: 2\n    params: {init: \"k\xff\"}\n", 1,
                          "{dir}/grid.yaml:10:22: not UTF-8 text (byte 0xFF); save the file as UTF-8"));
  // Found by the config fuzz target: a k range without its end threw yaml-cpp's InvalidNode.
  c.push_back(config_case("config: k range without its end",
                          kConfigHead + "algorithms:\n  - name: kmeans\n    k: {from: 2}\n", 1,
                          "{dir}/grid.yaml:9: algorithms[0].k: expected both ends: {from: K, to: K}"));
  c.push_back(
      config_case("config: overlong UTF-8",
                  kConfigHead + "algorithms:\n  - name: kmeans\n    k: 2\n    params: {n_init: 2\xe0\x94\x86}\n", 1,
                  "{dir}/grid.yaml:10:23: not UTF-8 text (byte 0xE0); save the file as UTF-8"));
  c.push_back(config_case("config: embedded NUL",
                          kConfigHead + "algorithms:\n  - name: kmeans\n    k: 2\n    params: {n_init: 10N\0N}\n"s, 1,
                          "{dir}/grid.yaml:10:25: control character 0x00 in the YAML text (not allowed in YAML)"));
  c.push_back(config_case(
      "config: quoted escape that is not UTF-8",
      kConfigHead + "algorithms:\n  - name: kmeans\n    k: 2\n    params: {n_init: \"1\\N\"}\n", 1,
      "{dir}/grid.yaml:10: a quoted value decodes to bytes that are not UTF-8 (the escapes \\N and \\_); write the "
      "character itself"));
  c.push_back(config_case("config: duplicate key", kConfigHead + "algorithms:\n  - name: kmeans\n    k: 2\n    k: 3\n",
                          1, "{dir}/grid.yaml:10: k: duplicate key (first at line 9)"));
  c.push_back(
      config_case("config: wrong type",
                  "name: m\nseed: forty\n" + kConfigHead.substr(8) + "algorithms:\n  - name: kmeans\n    k: 2\n", 1,
                  "{dir}/grid.yaml:2: seed: expected a non-negative integer, got 'forty'"));
  c.push_back(config_case(
      "config: alias bomb",
      [] {
        // Ten aliases of the level below on each of seven levels: 10^8 nodes from eight lines.
        std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i <= 7; ++i) {
          const std::string level = std::to_string(i), below = "*a" + std::to_string(i - 1);
          text.append("a").append(level).append(": &a").append(level).append(" [").append(below);
          for (int j = 1; j < 10; ++j) text += ", " + below;
          text += "]\n";
        }
        return text;
      }(),
      1, "{dir}/grid.yaml: more than 1000000 YAML nodes once aliases are expanded"));
  c.push_back(config_case("config: deep nesting", "name: " + std::string(3000, '[') + std::string(3000, ']') + "\n", 1,
                          "{dir}/grid.yaml:1: nesting too deep"));
  c.push_back(config_case("config: YAML syntax error", kConfigHead + "algorithms: [\n", 1,
                          "{dir}/grid.yaml:8: YAML syntax error"));
  c.push_back(config_case("config: space label with a slash",
                          kConfigHead + "spaces: [{name: pca, label: a/b}]\nalgorithms:\n  - name: kmeans\n    k: 2\n",
                          1, "{dir}/grid.yaml:7: spaces[0].label: 'a/b' is not a valid label"));
  // Segment-rule files.
  c.push_back(segments_case("segments: unknown key", "default: A\nrules:\n  - {segment: X, rr: 5}\n", 1,
                            "{dir}/seg.yaml:3: rule 1 (X): unknown key 'rr' (did you mean 'r'?)"));
  c.push_back(segments_case("segments: duplicate key", "default: A\nrules:\n  - {segment: X, r: 5, r: 4}\n", 1,
                            "{dir}/seg.yaml:3: r: duplicate key (first at line 3)"));
  c.push_back(segments_case("segments: wrong type", "default: A\nrules:\n  - {segment: X, r: high}\n", 1,
                            "{dir}/seg.yaml:3: rule 1 (X): r: expected a finite number, got 'high'"));
  c.push_back(segments_case("segments: raw-value field", "default: A\nrules:\n  - {segment: New, frequency: == one}\n",
                            1, "{dir}/seg.yaml:3: rule 1 (New): frequency: expected a number, [lo, hi], a comparison"));
  c.push_back(segments_case("segments: empty range", "default: A\nrules:\n  - {segment: X, r: [4, 2]}\n", 1,
                            "{dir}/seg.yaml:3: rule 1 (X): r: empty range [4, 2]"));
  c.push_back(segments_case("segments: missing default", "rules:\n  - {segment: X, r: 5}\n", 1,
                            "{dir}/seg.yaml: a segment table needs a 'default' segment"));
  // Outputs.
  c.push_back({"output: unwritable",
               [](const std::string& dir) {
                 write_bytes(dir + "/f.csv", kFeatures);
                 write_bytes(dir + "/blocker", "a file where a folder is needed");
                 return run(features_grid(dir, "f.csv")) + " -o " + dir + "/blocker/out.h5";
               },
               4, "{dir}/blocker/out.h5.lock: cannot create lock file: Not a directory"});
  c.push_back({"output: full disk",
               [](const std::string& dir) {
                 write_bytes(dir + "/f.csv", kFeatures);
                 // ulimit -f 4: writes past 4 KiB fail with EFBIG, as a full disk fails with ENOSPC.
                 return "--version >/dev/null; (ulimit -f 4; exec '" + std::string(CB_EXECUTABLE) + "' " +
                        run(features_grid(dir, "f.csv")) + ")";
               },
               4, "File too large"});
  // HDF5 stores.
  c.push_back(store_case(
      "store: newer schema version",
      [](const std::string& path) {
        test::run_command(std::string(CB_PYTHON) + " -c 'import h5py; f = h5py.File(\"" + path +
                          "\", \"a\"); f.attrs[\"schema_version\"] = 99; f.close()'");
      },
      1, "{dir}/bad.h5: results schema version 99 is not supported"));
  c.push_back(store_case(
      "store: truncated", [](const std::string& path) { fs::resize_file(path, fs::file_size(path) / 2); }, 1,
      "{dir}/bad.h5: corrupt results file: truncated"));
  c.push_back(store_case(
      "store: bit flip",
      [](const std::string& path) {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(fs::file_size(path) / 3));
        char byte = 0;
        f.read(&byte, 1);
        f.seekp(static_cast<std::streamoff>(fs::file_size(path) / 3));
        byte = static_cast<char>(byte ^ 0x10);
        f.write(&byte, 1);
      },
      1, "{dir}/bad.h5: corrupt results file: checksum mismatch"));
  c.push_back(store_case(
      "store: superblock bit flip",
      [](const std::string& path) {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(2);
        f.write("X", 1);
      },
      1, "{dir}/bad.h5: corrupt results file: checksum mismatch"));
  c.push_back(store_case(
      "store: not HDF5", [](const std::string& path) { write_bytes(path, "id,a\n1,2\n"); }, 1,
      "{dir}/bad.h5: not an HDF5 file"));
  c.push_back(store_case(
      "store: empty", [](const std::string& path) { write_bytes(path, ""); }, 1, "{dir}/bad.h5: not an HDF5 file"));
  c.push_back({"store: run into a corrupt existing output",
               [](const std::string& dir) {
                 write_bytes(dir + "/f.csv", kFeatures);
                 const auto config = features_grid(dir, "f.csv");
                 std::string bytes = read_bytes(good_store());
                 bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
                 write_bytes(dir + "/out.h5", bytes);  // checked byte-identical after the run like every case's out.h5
                 return run(config);
               },
               1, "{dir}/out.h5: corrupt results file: checksum mismatch"});
  return c;
}

/// The files under `dir`, except `run`'s lock file OUT.h5.lock, which stays by
/// design (removing it would race with a process waiting for the lock).
std::set<std::string> listing(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto name = entry.path().lexically_relative(dir).string();
    if (!name.ends_with(".lock")) names.insert(name);
  }
  return names;
}

std::string substitute(const std::string& text, const std::string& dir) {
  std::string out;
  std::size_t from = 0;
  for (auto at = text.find("{dir}"); at != std::string::npos; at = text.find("{dir}", from)) {
    out.append(text, from, at - from).append(dir);
    from = at + 5;
  }
  return out.append(text, from, std::string::npos);
}

}  // namespace

TEST_CASE("bad-input matrix: documented exit code, one error line naming the place, nothing written or changed",
          "[cli][bad-input][matrix]") {
  const auto all = cases();
  REQUIRE(all.size() >= 40);
  std::set<std::string> names;
  for (const auto& c : all) {
    REQUIRE(names.insert(c.name).second);
    DYNAMIC_SECTION(c.name) {
      const auto dir = test::temp_dir("matrix");
      const auto args = c.setup(dir);
      // An earlier results file at the output: a failed command must leave it byte for byte.
      if (!fs::exists(dir + "/out.h5")) fs::copy_file(good_store(), dir + "/out.h5");
      const auto before_bytes = read_bytes(dir + "/out.h5");
      const auto before = listing(dir);
      const auto [code, out] = test::run_command("cd '" + dir + "' && '" + CB_EXECUTABLE + "' " + args + " 2>&1");
      INFO(c.name << "\n" << args << "\n" << out);
      CHECK(code == c.code);
      if (c.code == 0) {
        CHECK(out.find("error") == std::string::npos);
        continue;
      }
      const bool unchanged = read_bytes(dir + "/out.h5") == before_bytes;
      CHECK(unchanged);
      CHECK(listing(dir) == before);
      CHECK(std::count(out.begin(), out.end(), '\n') == 1);
      CHECK_THAT(out, Catch::StartsWith("error: "));
      CHECK_THAT(out, Catch::Contains(substitute(c.expect, dir)));
    }
  }
}
