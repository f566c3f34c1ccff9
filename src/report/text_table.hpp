#pragma once
// Internal: a header and rows of text cells rendered as an aligned table, CSV
// or Markdown; shared by the report renderers.
#include <string>
#include <vector>

#include "clusterbench/report/leaderboard.hpp"

namespace cb::report::text {

/// A number with four decimals, or 4 significant digits when very large or small; "" for NaN.
std::string number(double v);
/// Quotes a CSV field when it holds a comma, quote or newline.
std::string csv_quote(const std::string& text);

/// Renders `header` and `cells` (Format::json is not handled here). In a table,
/// columns listed in `left` are left-aligned, the others right-aligned.
std::string render(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& cells,
                   Format format, const std::vector<bool>& left);

}  // namespace cb::report::text
