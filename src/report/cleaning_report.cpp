#include "clusterbench/report/cleaning_report.hpp"

#include <fmt/format.h>

namespace cb::report {

std::string render_cleaning(const rfm::CleaningReport& report) {
  std::string out =
      fmt::format("Cleaning: {} rows read, {} customers with an id\n", report.rows_read, report.customers_in_log);
  const auto row = [&](auto rule, auto enabled, auto removed, auto after, auto customers_removed,
                       auto customers_after) {
    out += fmt::format("  {:<24} {:>7} {:>13} {:>11} {:>17} {:>15}\n", rule, enabled, removed, after, customers_removed,
                       customers_after);
  };
  row("rule", "enabled", "rows_removed", "rows_after", "customers_removed", "customers_after");
  for (const auto& s : report.steps)
    row(s.rule, s.enabled ? "yes" : "no", s.rows_removed, s.rows_after, s.customers_removed, s.customers_after);
  // Said in words: dropping exact duplicates is on by default and can move a published count.
  for (const auto& s : report.steps)
    if (s.rule == "duplicate" && s.enabled)
      out += fmt::format(
          "Exact duplicate rows removed: {} (identical raw text, first kept; cleaning.duplicates: false "
          "keeps them)\n",
          s.rows_removed);
  out += fmt::format("Kept {} rows, {} customers ({} return rows set aside)\n", report.rows_kept, report.customers_kept,
                     report.return_rows);
  return out;
}

}  // namespace cb::report
