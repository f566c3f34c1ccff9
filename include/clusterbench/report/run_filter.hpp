#pragma once
// `rank --where 'min_cluster_share>=0.02'`: keep runs whose numeric column
// passes a comparison. A run without the column (NaN) does not pass.
#include <string>
#include <vector>

#include "clusterbench/records/results.hpp"

namespace cb::report {

struct WhereClause {
  std::string column;  ///< any numeric column (metric_catalog.hpp: run_value)
  std::string op;      ///< <, <=, >, >=, ==, !=
  double value = 0;
  std::string text;  ///< as written
};

/// Parses "COLUMN OP NUMBER"; throws InputError naming the clause, and for a column
/// not among `valid_columns` listing them.
WhereClause parse_where(const std::string& text, const std::vector<std::string>& valid_columns);

/// True when the run passes every clause.
bool passes(const records::RunRecord& run, const std::vector<WhereClause>& clauses);

}  // namespace cb::report
