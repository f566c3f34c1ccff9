#pragma once
// Shared helpers for tests: locating bundled data, loading benchmark sets and
// asking Debian's scikit-learn (/usr/bin/python3) for reference values.
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"

namespace cb::test {

/// Absolute path of a file under the project's data/ folder.
std::string data_path(const std::string& relative);

/// Loads a bundled benchmark set by name ("sipu-s1", "other-iris", "uci-wine",
/// "sklearn-digits", ...) with its reference labels.
Dataset load_benchmark(const std::string& name);

/// Writes a matrix as a CSV (no header) to a fresh temporary file and returns its path.
std::string write_matrix_csv(const Matrix& m, const std::string& stem);
std::string write_labels_csv(const Labels& labels, const std::string& stem);

/// A fresh, empty temporary directory for this test.
std::string temp_dir(const std::string& stem);

/// Runs a Python script from tests/python/ with arguments; returns its stdout.
/// Fails the test (throws) when Python exits non-zero.
std::string run_python(const std::string& script, const std::vector<std::string>& args);

/// Reads whitespace-separated numbers (e.g. Python's output).
std::vector<double> parse_numbers(const std::string& text);

/// Runs a shell command; returns {exit code, stdout+stderr}.
std::pair<int, std::string> run_command(const std::string& command);

}  // namespace cb::test
