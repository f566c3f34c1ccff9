#include "clusterbench/grid/data_checks.hpp"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::grid {

void handle_constant_columns(Dataset& data, bool drop, const std::string& config_path) {
  std::vector<Index> keep;
  std::vector<std::string> constant;
  for (Index j = 0; j < data.cols(); ++j) {
    if (data.values.col(j).maxCoeff() == data.values.col(j).minCoeff())
      constant.push_back(data.columns[static_cast<std::size_t>(j)]);
    else keep.push_back(j);
  }
  if (constant.empty()) return;
  if (!drop)
    throw InputError(
        fmt::format("{}: column(s) {} of {} are constant and carry no information for clustering; remove them from "
                    "dataset.columns or set preprocess.drop_constant: true (in {})",
                    data.source, fmt::join(constant, ", "), data.source, config_path));
  if (keep.empty()) throw InputError(fmt::format("{}: every column is constant: nothing to cluster", data.source));
  Matrix kept(data.rows(), static_cast<Index>(keep.size()));
  std::vector<std::string> names;
  for (std::size_t c = 0; c < keep.size(); ++c) {
    kept.col(static_cast<Index>(c)) = data.values.col(keep[c]);
    names.push_back(data.columns[static_cast<std::size_t>(keep[c])]);
  }
  data.values = std::move(kept);
  data.columns = std::move(names);
}

Index count_distinct_rows(const Matrix& values) {
  // Exact: hash each row's bytes, then confirm equal hashes by comparing rows.
  struct RowRef {
    const Matrix* m;
    Index row;
    std::uint64_t hash;
    bool operator==(const RowRef& o) const { return m->row(row) == o.m->row(o.row); }
  };
  struct RowHash {
    std::size_t operator()(const RowRef& r) const { return static_cast<std::size_t>(r.hash); }
  };
  std::unordered_set<RowRef, RowHash> seen;
  for (Index i = 0; i < values.rows(); ++i) {
    const auto bytes = std::string_view(reinterpret_cast<const char*>(values.row(i).data()),
                                        static_cast<std::size_t>(values.cols()) * sizeof(double));
    seen.insert(RowRef{&values, i, stable_hash(bytes)});
  }
  return static_cast<Index>(seen.size());
}

}  // namespace cb::grid
