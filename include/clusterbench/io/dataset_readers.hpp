#pragma once
// Readers that turn files into a Dataset: a features CSV (one row per point)
// and the whitespace benchmark format (`.data.gz` + `.labels0.gz`).
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"

namespace cb::io {

struct FeaturesCsvOptions {
  bool header = true;                ///< first record names the columns (else columns are x1..xd)
  char delimiter = ',';              ///< field separator
  std::string id_column;             ///< column holding the point id; empty = row number
  std::string label_column;          ///< optional column of reference labels (integers)
  std::vector<std::string> columns;  ///< numeric columns to read; empty = every other column
};

/// Reads a features CSV (plain or gzip). Throws InputError naming file:line
/// for a malformed row, a non-numeric or non-finite value, or an unknown column.
Dataset read_features_csv(const std::string& path, const FeaturesCsvOptions& options = {});

/// Reads a benchmark set: whitespace-separated numbers, one point per line, and
/// optionally its labels file (0 = noise -> kNoise, 1..k -> 0..k-1).
Dataset read_benchmark(const std::string& data_path, const std::string& labels_path = {});

}  // namespace cb::io
