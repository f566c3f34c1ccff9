#include "clusterbench/report/migration_report.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "page_scripts.hpp"
#include "text_table.hpp"

namespace cb::report {

std::string render_migration(const rfm::Migration& m, const std::string& first, const std::string& second, bool pinned,
                             Format format) {
  const auto rows = static_cast<std::size_t>(m.counts.rows());
  const auto cols = static_cast<std::size_t>(m.counts.cols());
  auto count = [&](std::size_t r, std::size_t c) {
    return static_cast<long long>(m.counts(static_cast<Index>(r), static_cast<Index>(c)));
  };
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
  if (format == Format::csv) {  // tidy: one row per cell, shares as the shortest text that reads back exactly
    std::string out = "from,to,customers,row_share\n";
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c)
        out += fmt::format("{},{},{},{}\n", text::csv_quote(m.from_names[r]), text::csv_quote(m.to_names[c]),
                           count(r, c), share(r, c));
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
  const std::string heading =
      fmt::format("Migration {} -> {} ({} cut points): {} retained, {} new, {} churned\n", first, second,
                  pinned ? "pinned" : "rescored", m.retained, m.new_customers, m.churned);
  return (format == Format::markdown ? "**" + heading.substr(0, heading.size() - 1) + "**\n\n" : heading) +
         text::render(header, cells, format, left);
}

std::string render_migration_html(const rfm::Migration& m, const std::string& first, const std::string& second,
                                  bool pinned) {
  using Json = nlohmann::ordered_json;
  using page::escape;
  const auto rows = static_cast<std::size_t>(m.counts.rows());
  const auto cols = static_cast<std::size_t>(m.counts.cols());
  // Nodes: every "from" row at the first snapshot (the last row is the new customers),
  // then every "to" column at the second (the last column is the churned ones).
  // A segment has one colour on both sides; new customers green, churned ones red.
  static const char* palette[] = {"#4477aa", "#66ccee", "#ccbb44", "#aa3377", "#ee6677", "#7b4ea3",
                                  "#ff9f40", "#2f9e8f", "#a0522d", "#555555", "#88aadd", "#bbbbbb"};
  auto colour = [&](const std::string& segment) {
    const auto at = std::find(m.to_names.begin(), m.to_names.end(), segment) - m.to_names.begin();
    return palette[static_cast<std::size_t>(at) % std::size(palette)];
  };
  Json nodes = Json::array(), links = Json::array();
  for (std::size_t r = 0; r < rows; ++r) {
    const bool fresh = m.from_names[r] == rfm::kNewRow;
    nodes.push_back({{"label", fresh ? std::string("new customers") : m.from_names[r]},
                     {"column", fresh ? "customers only in the " + second + " snapshot" : "segment at " + first},
                     {"depth", 0},
                     {"colour", fresh ? "#228833" : colour(m.from_names[r])}});
  }
  for (std::size_t c = 0; c < cols; ++c) {
    const bool churned = m.to_names[c] == rfm::kChurnedColumn;
    nodes.push_back({{"label", churned ? std::string("churned") : m.to_names[c]},
                     {"column", churned ? "customers only in the " + first + " snapshot" : "segment at " + second},
                     {"depth", 1},
                     {"colour", churned ? "#bb3333" : colour(m.to_names[c])}});
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const double count = m.counts(static_cast<Index>(r), static_cast<Index>(c));
      if (count > 0)
        links.push_back({{"source", r},
                         {"target", rows + c},
                         {"value", static_cast<long long>(count)},
                         {"share", m.row_shares(static_cast<Index>(r), static_cast<Index>(c))}});
    }
  // Nodes without customers would only clutter the diagram.
  std::vector<bool> used(nodes.size(), false);
  for (const auto& l : links) used[l["source"].get<std::size_t>()] = used[l["target"].get<std::size_t>()] = true;
  std::vector<long long> renumber(nodes.size(), -1);
  Json kept = Json::array();
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (used[i]) renumber[i] = static_cast<long long>(kept.size()), kept.push_back(nodes[i]);
  for (auto& l : links) {
    l["source"] = renumber[l["source"].get<std::size_t>()];
    l["target"] = renumber[l["target"].get<std::size_t>()];
  }
  Json data;
  data["charts"] = Json::array({Json{{"id", "chart-migration"},
                                     {"kind", "sankey"},
                                     {"title", fmt::format("segment migration {} → {}", first, second)},
                                     {"nodes", kept},
                                     {"links", links}}});
  const std::string title = fmt::format("RFM segment migration {} -> {}", first, second);
  std::string body = "<h1>" + escape(title) + "</h1>";
  body += fmt::format(
      "<p>{} customers in both snapshots, {} new (only at {}), {} churned (only at {}); {} cut points "
      "({}).</p>",
      m.retained, m.new_customers, escape(second), m.churned, escape(first), pinned ? "pinned" : "rescored",
      pinned ? "the second snapshot reuses the first's score cut points"
             : "each snapshot cuts its own score quantiles");
  body += page::chart_container("chart-migration", "wide");
  body += "<p class=\"note\">Left: each customer's segment at " + escape(first) + " (and new customers); right: at " +
          escape(second) +
          " (and churned customers). Hover a band for its customers and its share of the left segment.</p>";
  body += R"(<h2>Matrix</h2><table><tr><th class="text">from \ to</th>)";
  for (const auto& name : m.to_names) body += "<th>" + escape(name) + "</th>";
  body += "</tr>";
  for (std::size_t r = 0; r < rows; ++r) {
    body += R"(<tr><th class="text">)" + escape(m.from_names[r]) + "</th>";
    for (std::size_t c = 0; c < cols; ++c)
      body += fmt::format("<td>{:.0f} ({:.0f}%)</td>", m.counts(static_cast<Index>(r), static_cast<Index>(c)),
                          100 * m.row_shares(static_cast<Index>(r), static_cast<Index>(c)));
    body += "</tr>";
  }
  body += "</table>";
  return page::head(title) + body + page::tail(data);
}

}  // namespace cb::report
