#include <zlib.h>

#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/csv_reader.hpp"
#include "clusterbench/io/dataset_readers.hpp"

namespace cb::io {
namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

/// Calls on_line(text, line_number) for each line of a plain or gzip file.
template <class OnLine>
void for_each_line(const std::string& path, OnLine&& on_line) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw InputError(fmt::format("{}: cannot open file", path));
  std::string line;
  std::vector<char> buffer(1 << 16);
  std::size_t number = 0;
  for (;;) {
    line.clear();
    bool got_any = false;
    while (gzgets(file.get(), buffer.data(), static_cast<int>(buffer.size())) != nullptr) {
      got_any = true;
      line += buffer.data();
      if (!line.empty() && line.back() == '\n') break;
    }
    if (!got_any) break;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    on_line(std::string_view(line), ++number);
  }
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

}  // namespace

Dataset read_benchmark(const std::string& data_path, const std::string& labels_path) {
  Dataset data;
  data.source = data_path;
  std::vector<double> values;
  std::size_t d = 0;
  for_each_line(data_path, [&](std::string_view text, std::size_t line) {
    const auto tokens = split_whitespace(text);
    if (tokens.empty()) return;
    if (d == 0) d = tokens.size();
    if (tokens.size() != d)
      throw InputError(fmt::format("{}:{}: expected {} values, found {}", data_path, line, d, tokens.size()));
    for (auto token : tokens) {
      double v = 0;
      if (!parse_double(token, v))
        throw InputError(fmt::format("{}:{}: '{}' is not a number", data_path, line, token));
      if (!std::isfinite(v))
        throw InputError(fmt::format("{}:{}: value '{}' is not finite", data_path, line, token));
      values.push_back(v);
    }
    data.ids.push_back(std::to_string(data.ids.size() + 1));
  });
  const auto n = static_cast<Index>(data.ids.size());
  if (n == 0) throw InputError(fmt::format("{}: no data rows", data_path));
  data.values = Eigen::Map<const Matrix>(values.data(), n, static_cast<Index>(d));
  for (std::size_t j = 0; j < d; ++j) data.columns.push_back(fmt::format("x{}", j + 1));

  if (!labels_path.empty()) {
    Labels labels;
    for_each_line(labels_path, [&](std::string_view text, std::size_t line) {
      const auto tokens = split_whitespace(text);
      if (tokens.empty()) return;
      double v = 0;
      if (tokens.size() != 1 || !parse_double(tokens[0], v) || v < 0 || v != std::floor(v))
        throw InputError(fmt::format("{}:{}: expected one non-negative integer label", labels_path, line));
      labels.push_back(v == 0 ? kNoise : static_cast<Label>(v) - 1);
    });
    if (static_cast<Index>(labels.size()) != n)
      throw InputError(fmt::format("{}: {} labels for {} points in {}", labels_path, labels.size(), n, data_path));
    data.reference = std::move(labels);
  }
  return data;
}

}  // namespace cb::io
