#include "support/test_support.hpp"

#include <sys/wait.h>

#include <unistd.h>
#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "clusterbench/io/dataset_readers.hpp"

namespace cb::test {

std::string data_path(const std::string& relative) { return std::string(CB_SOURCE_DIR) + "/data/" + relative; }

Dataset load_benchmark(const std::string& name) {
  if (name == "sklearn-digits") {
    io::FeaturesCsvOptions options;
    options.header = false;
    options.label_column = "x65";
    Dataset d = io::read_features_csv(data_path("benchmarks/sklearn-digits.csv.gz"), options);
    // Labels in file order of first appearance are 0,1,2,...: same partition as the digit labels.
    return d;
  }
  return io::read_benchmark(data_path("benchmarks/" + name + ".data.gz"),
                            data_path("benchmarks/" + name + ".labels0.gz"));
}

std::string temp_dir(const std::string& stem) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cbtest-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string write_matrix_csv(const Matrix& m, const std::string& stem) {
  const std::string path = temp_dir(stem) + "/matrix.csv";
  std::ofstream out(path);
  out.precision(17);
  for (Index i = 0; i < m.rows(); ++i) {
    for (Index j = 0; j < m.cols(); ++j) out << (j ? "," : "") << m(i, j);
    out << '\n';
  }
  return path;
}

std::string write_labels_csv(const Labels& labels, const std::string& stem) {
  const std::string path = temp_dir(stem) + "/labels.csv";
  std::ofstream out(path);
  for (auto l : labels) out << l << '\n';
  return path;
}

std::pair<int, std::string> run_command(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string run_python(const std::string& script, const std::vector<std::string>& args) {
  std::string command = std::string(CB_PYTHON) + " " + CB_SOURCE_DIR + "/tests/python/" + script;
  for (const auto& a : args) command += " '" + a + "'";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("python reference failed: " + command + "\n" + output);
  return output;
}

std::vector<double> parse_numbers(const std::string& text) {
  std::istringstream in(text);
  std::vector<double> values;
  double v;
  while (in >> v) values.push_back(v);
  return values;
}

}  // namespace cb::test
