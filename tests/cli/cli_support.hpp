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

}  // namespace cb::test
