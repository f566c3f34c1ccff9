#pragma once
// Helpers for end-to-end tests that drive the clusterbench executable.
#include <fstream>
#include <string>

#include "support/test_support.hpp"

namespace cb::test {

/// Runs clusterbench with arguments (from the project root); returns {exit code, output}.
inline std::pair<int, std::string> clusterbench(const std::string& args) {
  return run_command(std::string("cd '") + CB_SOURCE_DIR + "' && '" + CB_EXECUTABLE + "' " + args);
}

inline std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

/// A grid config on iris (a benchmark set with reference labels) written to
/// `dir`/`file`; `rest` adds keys such as output, spaces and algorithms.
inline std::string iris_grid(const std::string& dir, const std::string& file, const std::string& rest) {
  return write_file(dir, file, R"(dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
  labels: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.labels0.gz
)" + rest);
}

/// A grid config on RFM features of the bundled December 2010 log (log1p of
/// recency, frequency, monetary) written to `dir`/grid.yaml; `rest` adds keys.
inline std::string december_log_grid(const std::string& dir, const std::string& rest) {
  return write_file(dir, "grid.yaml", R"(dataset:
  type: transactions
  path: )" CB_SOURCE_DIR R"(/data/transactions/online_retail_2010-12.csv
  features: [recency, frequency, monetary]
preprocess:
  log1p: [recency, frequency, monetary]
)" + rest);
}

}  // namespace cb::test
