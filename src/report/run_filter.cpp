#include "clusterbench/report/run_filter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/metric_catalog.hpp"

namespace cb::report {

WhereClause parse_where(const std::string& text, const std::vector<std::string>& valid_columns) {
  static const std::regex pattern(
      R"(\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern))
    throw InputError(fmt::format("--where: '{}' is not COLUMN OP NUMBER (OP one of <, <=, >, >=, ==, !=)", text));
  WhereClause clause{m[1], m[2], std::strtod(m[3].str().c_str(), nullptr), text};
  if (std::find(valid_columns.begin(), valid_columns.end(), clause.column) == valid_columns.end())
    throw InputError(fmt::format("--where: unknown column '{}' in '{}' (valid: {})", clause.column, text,
                                 fmt::join(valid_columns, ", ")));
  return clause;
}

bool passes(const records::RunRecord& run, const std::vector<WhereClause>& clauses) {
  for (const auto& c : clauses) {
    const double v = run_value(run, c.column);
    if (std::isnan(v)) return false;
    const bool ok = c.op == "<"    ? v < c.value
                    : c.op == "<=" ? v <= c.value
                    : c.op == ">"  ? v > c.value
                    : c.op == ">=" ? v >= c.value
                    : c.op == "==" ? v == c.value
                                   : v != c.value;
    if (!ok) return false;
  }
  return true;
}

}  // namespace cb::report
