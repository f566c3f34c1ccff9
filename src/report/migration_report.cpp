#include "clusterbench/report/migration_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "text_table.hpp"

namespace cb::report {

std::string render_migration(const rfm::Migration& m, const std::string& first, const std::string& second, bool pinned,
                             Format format) {
  const auto rows = static_cast<std::size_t>(m.counts.rows());
  const auto cols = static_cast<std::size_t>(m.counts.cols());
  auto count = [&](std::size_t r, std::size_t c) { return static_cast<long long>(m.counts(static_cast<Index>(r), static_cast<Index>(c))); };
  auto share = [&](std::size_t r, std::size_t c) { return m.row_shares(static_cast<Index>(r), static_cast<Index>(c)); };
  if (format == Format::json) {
    nlohmann::ordered_json j;
    j["first"] = first;
    j["second"] = second;
    j["cut_points"] = pinned ? "pinned" : "rescored";
    j["retained"] = m.retained;
    j["new"] = m.new_customers;
    j["churned"] = m.churned;
    j["from"] = m.from_names;
    j["to"] = m.to_names;
    j["counts"] = nlohmann::ordered_json::array();
    j["row_shares"] = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < rows; ++r) {
      auto counts = nlohmann::ordered_json::array(), shares = nlohmann::ordered_json::array();
      for (std::size_t c = 0; c < cols; ++c) {
        counts.push_back(count(r, c));
        shares.push_back(share(r, c));
      }
      j["counts"].push_back(counts);
      j["row_shares"].push_back(shares);
    }
    return j.dump(2) + "\n";
  }
  if (format == Format::csv) {  // tidy: one row per cell, full precision shares
    std::string out = "from,to,customers,row_share\n";
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c)
        out += fmt::format("{},{},{},{:.17g}\n", text::csv_quote(m.from_names[r]), text::csv_quote(m.to_names[c]), count(r, c),
                           share(r, c));
    return out;
  }
  // Table and markdown: full names, each cell "count (share of the row)".
  std::vector<std::string> header{"from \\ to"};
  header.insert(header.end(), m.to_names.begin(), m.to_names.end());
  std::vector<std::vector<std::string>> cells;
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> row{m.from_names[r]};
    for (std::size_t c = 0; c < cols; ++c) row.push_back(fmt::format("{} ({:.0f}%)", count(r, c), 100 * share(r, c)));
    cells.push_back(std::move(row));
  }
  std::vector<bool> left(header.size(), false);
  left[0] = true;
  const std::string heading = fmt::format("Migration {} -> {} ({} cut points): {} retained, {} new, {} churned\n", first, second,
                                          pinned ? "pinned" : "rescored", m.retained, m.new_customers, m.churned);
  return (format == Format::markdown ? "**" + heading.substr(0, heading.size() - 1) + "**\n\n" : heading) +
         text::render(header, cells, format, left);
}

}  // namespace cb::report
