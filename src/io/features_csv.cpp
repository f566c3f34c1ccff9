#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/io/csv_reader.hpp"
#include "clusterbench/io/dataset_readers.hpp"

namespace cb::io {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct ColumnPlan {
  std::size_t id = kNone;
  std::size_t label = kNone;
  std::vector<std::size_t> features;
  std::vector<std::string> names;
  std::size_t field_count = 0;
};

ColumnPlan plan_columns(const std::string& path, const std::vector<std::string>& header,
                        const FeaturesCsvOptions& options) {
  ColumnPlan plan;
  plan.field_count = header.size();
  // With two columns of one name, which one a config means is a guess: refuse (unnamed ones are never chosen).
  for (std::size_t j = 0; j < header.size(); ++j)
    if (!header[j].empty() && std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(j), header[j]) !=
                                  header.begin() + static_cast<std::ptrdiff_t>(j))
      throw InputError(fmt::format("{}:1: column name '{}' appears twice in the header (columns {} and {})", path,
                                   excerpt(header[j]),
                                   std::find(header.begin(), header.end(), header[j]) - header.begin() + 1, j + 1));
  auto find = [&](const std::string& name, const char* role) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw InputError(fmt::format("{}:1: {} column '{}' not found (columns: {})", path, role, excerpt(name),
                                   excerpt(fmt::format("{}", fmt::join(header, ", ")), 200)));
    return static_cast<std::size_t>(it - header.begin());
  };
  if (!options.id_column.empty()) plan.id = find(options.id_column, "id");
  if (!options.label_column.empty()) plan.label = find(options.label_column, "label");
  if (options.columns.empty()) {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (j != plan.id && j != plan.label) plan.features.push_back(j);
  } else {
    for (const auto& name : options.columns) plan.features.push_back(find(name, "feature"));
  }
  for (auto j : plan.features) plan.names.push_back(header[j]);
  return plan;
}

}  // namespace

Dataset read_features_csv(const std::string& path, const FeaturesCsvOptions& options) {
  Dataset data;
  data.source = path;
  ColumnPlan plan;
  bool planned = false;
  std::vector<double> values;
  Labels reference;
  std::unordered_map<std::string, Label> label_codes;

  for_each_csv_record(path, options.delimiter, [&](std::span<const std::string_view> fields, std::size_t line) {
    if (fields.size() == 1 && fields[0].empty()) return;  // blank line
    if (!planned) {
      std::vector<std::string> header;
      if (options.header) {
        for (auto f : fields) header.emplace_back(f);
      } else {
        for (std::size_t j = 0; j < fields.size(); ++j) header.push_back(fmt::format("x{}", j + 1));
      }
      plan = plan_columns(path, header, options);
      planned = true;
      if (options.header) return;
    }
    if (fields.size() != plan.field_count)
      throw InputError(fmt::format("{}:{}: expected {} fields, found {}", path, line, plan.field_count, fields.size()));
    for (std::size_t k = 0; k < plan.features.size(); ++k) {
      double v = 0;
      const auto text = fields[plan.features[k]];
      if (!parse_double(text, v))
        throw InputError(
            fmt::format("{}:{}: column '{}': '{}' is not a number", path, line, excerpt(plan.names[k]), excerpt(text)));
      if (!std::isfinite(v))
        throw InputError(fmt::format("{}:{}: column '{}': value '{}' is not finite", path, line, excerpt(plan.names[k]),
                                     excerpt(text)));
      values.push_back(v);
    }
    data.ids.emplace_back(plan.id == kNone ? std::to_string(data.ids.size() + 1) : std::string(fields[plan.id]));
    if (plan.label != kNone) {
      // Labels may be any text; they are coded 0.. in order of first appearance.
      const auto [it, inserted] =
          label_codes.try_emplace(std::string(fields[plan.label]), static_cast<Label>(label_codes.size()));
      reference.push_back(it->second);
    }
  });

  if (!planned) throw InputError(fmt::format("{}: file is empty", path));
  const auto n = static_cast<Index>(data.ids.size());
  if (n == 0) throw InputError(fmt::format("{}: no data rows", path));
  const auto d = static_cast<Index>(plan.features.size());
  if (d == 0) throw InputError(fmt::format("{}: no feature columns selected", path));
  data.columns = plan.names;
  data.values = Eigen::Map<const Matrix>(values.data(), n, d);
  if (plan.label != kNone) data.reference = std::move(reference);
  return data;
}

}  // namespace cb::io
