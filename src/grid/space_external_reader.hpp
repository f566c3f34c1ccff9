#pragma once
// Internal: reads an external embedding CSV and joins its rows to the dataset's
// point ids, for the `external` space.
#include <string>
#include <vector>

#include "clusterbench/grid/registry.hpp"

namespace cb::grid {

struct ExternalEmbeddingSpec {
  std::string path;                  ///< CSV with a header, plain or gzip
  std::string id_column;             ///< column holding the point id
  std::vector<std::string> columns;  ///< coordinate columns; empty = every other column numeric in the first row
};

/// Reads `spec.path` and returns its coordinates in the order of `ids`. Every id
/// must appear exactly once; rows of other ids are ignored (counted in
/// values["rows_ignored"]). Throws InputError naming the file, line and column for
/// a duplicate or missing id, a non-numeric or non-finite cell, or no coordinate column.
SpaceInput read_external_embedding(const ExternalEmbeddingSpec& spec, const std::vector<std::string>& ids);

}  // namespace cb::grid
