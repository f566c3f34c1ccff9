#include "space_external_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/io/csv_reader.hpp"

namespace cb::grid {
namespace {

constexpr std::size_t kUnseen = std::numeric_limits<std::size_t>::max();

/// Which fields of a record are the id and the coordinates.
struct Layout {
  std::size_t field_count = 0;
  std::size_t id = 0;
  std::vector<std::size_t> coordinates;
  std::vector<std::string> names;
};

std::size_t find_column(const std::string& path, const std::vector<std::string>& header, const std::string& name,
                        const char* role) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end())
    throw InputError(
        fmt::format("{}:1: {} column '{}' not found (columns: {})", path, role, name, fmt::join(header, ", ")));
  return static_cast<std::size_t>(it - header.begin());
}

/// Coordinates are the named columns, or every other column whose first data row is a number.
Layout plan_layout(const ExternalEmbeddingSpec& spec, const std::vector<std::string>& header,
                   std::span<const std::string_view> first_row, std::size_t line) {
  Layout layout;
  layout.field_count = header.size();
  layout.id = find_column(spec.path, header, spec.id_column, "id");
  if (spec.columns.empty()) {
    double unused = 0;
    for (std::size_t j = 0; j < header.size() && j < first_row.size(); ++j)
      if (j != layout.id && io::parse_double(first_row[j], unused)) layout.coordinates.push_back(j);
  } else {
    for (const auto& name : spec.columns)
      layout.coordinates.push_back(find_column(spec.path, header, name, "coordinate"));
  }
  if (layout.coordinates.empty())
    throw InputError(fmt::format("{}:{}: no numeric coordinate column besides the id column '{}' (columns: {})",
                                 spec.path, line, spec.id_column, fmt::join(header, ", ")));
  for (auto j : layout.coordinates) layout.names.push_back(header[j]);
  return layout;
}

}  // namespace

SpaceInput read_external_embedding(const ExternalEmbeddingSpec& spec, const std::vector<std::string>& ids) {
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!row_of.emplace(ids[i], i).second)
      throw InputError(fmt::format("{}: the dataset's point id '{}' is not unique, so rows cannot be joined by id",
                                   spec.path, ids[i]));

  std::vector<std::string> header;
  std::optional<Layout> layout;
  std::vector<std::size_t> line_of(ids.size(), kUnseen);  // where each dataset id was found
  std::vector<double> coordinates;                        // row-major, filled once layout is known
  std::size_t ignored = 0;
  std::uint64_t digest = stable_hash("clusterbench-external-embedding-v1");

  io::for_each_csv_record(spec.path, ',', [&](std::span<const std::string_view> fields, std::size_t line) {
    for (auto f : fields) digest = stable_hash(f, digest ^ 0x1f);
    digest = stable_hash("\n", digest);
    if (fields.size() == 1 && fields[0].empty()) return;  // blank line
    if (header.empty()) {
      for (auto f : fields) header.emplace_back(f);
      return;
    }
    if (!layout) {
      layout = plan_layout(spec, header, fields, line);
      coordinates.assign(ids.size() * layout->coordinates.size(), 0.0);
    }
    if (fields.size() != layout->field_count)
      throw InputError(
          fmt::format("{}:{}: expected {} fields, found {}", spec.path, line, layout->field_count, fields.size()));
    const auto id = std::string(fields[layout->id]);
    const auto it = row_of.find(id);
    if (it == row_of.end()) {
      ++ignored;
      return;
    }
    const std::size_t row = it->second;
    if (line_of[row] != kUnseen)
      throw InputError(fmt::format("{}:{}: column '{}': id '{}' appears again (first on line {})", spec.path, line,
                                   spec.id_column, id, line_of[row]));
    line_of[row] = line;
    const std::size_t d = layout->coordinates.size();
    for (std::size_t c = 0; c < d; ++c) {
      const auto text = fields[layout->coordinates[c]];
      double v = 0;
      if (!io::parse_double(text, v))
        throw InputError(
            fmt::format("{}:{}: column '{}': '{}' is not a number", spec.path, line, layout->names[c], text));
      if (!std::isfinite(v))
        throw InputError(
            fmt::format("{}:{}: column '{}': value '{}' is not finite", spec.path, line, layout->names[c], text));
      coordinates[row * d + c] = v;
    }
  });

  if (header.empty()) throw InputError(fmt::format("{}: file is empty", spec.path));
  if (!layout) throw InputError(fmt::format("{}: no data rows", spec.path));
  const auto missing = std::count(line_of.begin(), line_of.end(), kUnseen);
  if (missing > 0) {
    const auto first = static_cast<std::size_t>(std::find(line_of.begin(), line_of.end(), kUnseen) - line_of.begin());
    throw InputError(
        fmt::format("{}: column '{}': {} of the dataset's {} point ids have no row, e.g. '{}' (dataset row {})",
                    spec.path, spec.id_column, missing, ids.size(), ids[first], first + 1));
  }

  SpaceInput input;
  const auto d = static_cast<Index>(layout->coordinates.size());
  input.points = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      coordinates.data(), static_cast<Index>(ids.size()), d);
  input.digest = fmt::format("{:016x}", digest);
  input.details = {{"digest", input.digest}, {"columns_used", layout->names}};
  input.values["rows_ignored"] = static_cast<double>(ignored);
  return input;
}

}  // namespace cb::grid
