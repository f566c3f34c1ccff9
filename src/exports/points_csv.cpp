#include "clusterbench/exports/points_csv.hpp"

#include <iterator>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::exports {

// fmt's "{}" writes the fewest significant digits that read back exactly (Dragonbox).
// std::to_chars is shortest in characters instead, and so writes a large integral
// double in full (-33917578575732350976 where fmt writes -3.391757857573235e+19).
std::string shortest_number(double value) { return fmt::format("{}", value); }

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

void write_points_csv(std::ostream& out, const Dataset& data, const Labels& labels) {
  if (labels.size() != static_cast<std::size_t>(data.rows()))
    throw InputError(fmt::format("{} labels for {} points", labels.size(), data.rows()));
  fmt::memory_buffer text;
  auto to = std::back_inserter(text);
  fmt::format_to(to, "id");
  for (const auto& column : data.columns) fmt::format_to(to, ",{}", csv_field(column));
  fmt::format_to(to, ",cluster\n");
  for (Index i = 0; i < data.rows(); ++i) {
    const auto row = static_cast<std::size_t>(i);
    fmt::format_to(to, "{}", csv_field(data.ids.at(row)));
    for (Index j = 0; j < data.cols(); ++j) fmt::format_to(to, ",{}", data.values(i, j));  // as shortest_number
    fmt::format_to(to, ",{}\n", labels[row]);
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace cb::exports
