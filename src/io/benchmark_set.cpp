#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/io/csv_reader.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "gzip_input.hpp"

namespace cb::io {
namespace {

/// Calls on_line(text, line_number) for each line of a plain or gzip file
/// (embedded NULs stay in the text, where the number parser rejects them).
template <class OnLine>
void for_each_line(const std::string& path, OnLine&& on_line) {
  const GzFile file = open_gz(path);
  std::string line;
  std::vector<char> buffer(1 << 16);
  std::size_t number = 0;
  auto emit = [&] {
    while (!line.empty() && line.back() == '\r') line.pop_back();
    on_line(std::string_view(line), ++number);
    line.clear();
  };
  while (const std::size_t got = read_gz(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()), path)) {
    std::string_view chunk(buffer.data(), got);
    for (auto nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n')) {
      line.append(chunk.substr(0, nl));
      emit();
      chunk.remove_prefix(nl + 1);
    }
    line.append(chunk);
  }
  if (!line.empty()) emit();
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
        throw InputError(fmt::format("{}:{}: '{}' is not a number", data_path, line, excerpt(token)));
      if (!std::isfinite(v))
        throw InputError(fmt::format("{}:{}: value '{}' is not finite", data_path, line, excerpt(token)));
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
