#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "clusterbench/report/migration_report.hpp"

using namespace cb;

namespace {

/// The page's data: the JSON inside <script type="application/json" id="cb-data">.
nlohmann::json page_data(const std::string& html) {
  const std::string open = R"(<script type="application/json" id="cb-data">)";
  const auto start = html.find(open);
  REQUIRE(start != std::string::npos);
  const auto end = html.find("</script>", start);
  return nlohmann::json::parse(html.substr(start + open.size(), end - start - open.size()));
}

}  // namespace

TEST_CASE("migration page: a Sankey with new and churned customers as their own nodes, names kept as text",
          "[report][rfm]") {
  rfm::Migration m;
  m.from_names = {"<script>alert(1)</script>", "Loyal", "Empty", rfm::kNewRow};
  m.to_names = {"<script>alert(1)</script>", "Loyal", "Empty", rfm::kChurnedColumn};
  m.counts = Matrix{{5, 2, 0, 1}, {1, 7, 0, 3}, {0, 0, 0, 0}, {4, 6, 0, 0}};
  m.row_shares = Matrix::Zero(4, 4);
  for (Index r = 0; r < 4; ++r)
    if (m.counts.row(r).sum() > 0) m.row_shares.row(r) = m.counts.row(r) / m.counts.row(r).sum();
  m.retained = 15;
  m.new_customers = 10;
  m.churned = 4;
  const std::string html = report::render_migration_html(m, "2011-01-01", "2011-06-01", false);

  REQUIRE(html.find("<script>alert(1)") == std::string::npos);        // never markup
  REQUIRE(html.find("&lt;script&gt;alert(1)") != std::string::npos);  // the matrix shows it as text
  const auto data = page_data(html);
  REQUIRE(data["charts"].size() == 1);
  const auto& sankey = data["charts"][0];
  REQUIRE(sankey["kind"] == "sankey");
  std::vector<std::string> labels;
  for (const auto& node : sankey["nodes"]) labels.push_back(node["label"]);
  // "Empty" has no customer at either snapshot: left out; new on the left, churned on the right.
  REQUIRE(labels == std::vector<std::string>{"<script>alert(1)</script>", "Loyal", "new customers",
                                             "<script>alert(1)</script>", "Loyal", "churned"});
  REQUIRE(sankey["nodes"][2]["depth"] == 0);
  REQUIRE(sankey["nodes"][5]["depth"] == 1);
  double total = 0;
  for (const auto& link : sankey["links"]) {
    total += link["value"].get<double>();
    REQUIRE(link["value"].get<double>() > 0);  // empty cells draw no band
    REQUIRE(sankey["nodes"][link["source"].get<std::size_t>()]["depth"] == 0);
    REQUIRE(sankey["nodes"][link["target"].get<std::size_t>()]["depth"] == 1);
  }
  REQUIRE(total == m.counts.sum());
  REQUIRE(total == static_cast<double>(m.retained + m.new_customers + m.churned));
  // The new customers' band into Loyal: 6 of the 10 new customers.
  bool found = false;
  for (const auto& link : sankey["links"])
    if (link["source"] == 2 && link["target"] == 4)
      found = link["value"] == 6 && std::abs(link["share"].get<double>() - 0.6) < 1e-12;
  REQUIRE(found);
}
