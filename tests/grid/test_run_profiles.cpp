#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/run_profiles.hpp"
#include "clusterbench/grid/runner.hpp"

using namespace cb;

namespace {

// The bundled December 2010 log: small enough for a grid in a unit test.
std::string transactions_config(const std::string& extra_dataset_keys, const std::string& algorithms) {
  return R"(name: p
dataset:
  type: transactions
  path: )" CB_SOURCE_DIR R"(/data/transactions/online_retail_2010-12.csv
)" + extra_dataset_keys +
         R"(preprocess:
  log1p: [recency, frequency, monetary]
algorithms:
)" + algorithms;
}

const std::string kAlgorithms = R"(  - {name: kmeans, k: [2, 4], params: {n_init: 2}}
  - {name: dbscan, k: [2, 3], params: {min_samples: 5}}
)";

Index column(const Dataset& d, const std::string& name) {
  return static_cast<Index>(std::find(d.columns.begin(), d.columns.end(), name) - d.columns.begin());
}

/// Checks one run's profile against sums written out here, independently of rfm::profile.
void check_profile(const records::GridResult& result, const records::RunRecord& run) {
  INFO(run.algorithm << " k=" << run.k);
  REQUIRE(run.profile);
  const auto& customers = *result.customers;
  const auto& p = run.profile->clusters;
  const auto& cross = run.profile->by_segment;
  const Index n = customers.rfm.rows();
  const Index mc = column(customers.rfm, "monetary"), fc = column(customers.rfm, "frequency");
  const bool has_noise = std::count(run.labels.begin(), run.labels.end(), kNoise) > 0;
  const Label max_label = *std::max_element(run.labels.begin(), run.labels.end());
  REQUIRE(p.rows.size() == static_cast<std::size_t>(max_label + 1) + (has_noise ? 1 : 0));
  if (has_noise) REQUIRE(p.rows.back().label == "noise");

  std::map<Label, double> size, revenue, invoices;
  double total = 0;
  for (Index i = 0; i < n; ++i) {
    const Label l = run.labels[static_cast<std::size_t>(i)];
    size[l] += 1;
    revenue[l] += customers.rfm.values(i, mc);
    invoices[l] += customers.rfm.values(i, fc);
    total += customers.rfm.values(i, mc);
  }
  std::size_t customer_sum = 0;
  double revenue_share_sum = 0, share_sum = 0;
  for (std::size_t g = 0; g < p.rows.size(); ++g) {
    const Label l = (has_noise && g + 1 == p.rows.size()) ? kNoise : static_cast<Label>(g);
    const auto& row = p.rows[g];
    REQUIRE(row.customers == static_cast<std::size_t>(size[l]));
    REQUIRE(row.revenue == Approx(revenue[l]).epsilon(1e-12));
    REQUIRE(row.revenue_share == Approx(revenue[l] / total).epsilon(1e-12));
    if (row.customers > 0) REQUIRE(row.average_ticket == Approx(revenue[l] / invoices[l]).epsilon(1e-12));
    customer_sum += row.customers;
    revenue_share_sum += row.revenue_share;
    share_sum += row.share;
    // Cross-table rows are the profile's groups; each row sums to the group's size.
    REQUIRE(cross.row_names[g] == row.label);
    REQUIRE(cross.counts.row(static_cast<Index>(g)).sum() == static_cast<double>(row.customers));
  }
  REQUIRE(customer_sum == static_cast<std::size_t>(n));
  REQUIRE(revenue_share_sum == Approx(1.0).epsilon(1e-12));
  REQUIRE(share_sum == Approx(1.0).epsilon(1e-12));
  // Columns are the segments; each column sums to the segment's size.
  REQUIRE(cross.column_names == customers.segment_names);
  for (std::size_t s = 0; s < customers.segment_names.size(); ++s) {
    const auto members = std::count(customers.segment.begin(), customers.segment.end(), static_cast<Label>(s));
    REQUIRE(cross.counts.col(static_cast<Index>(s)).sum() == static_cast<double>(members));
  }
}

}  // namespace

TEST_CASE("every run of a transactions grid carries its cluster profile and cluster x segment counts",
          "[grid][profiles]") {
  const auto config = grid::parse_config(transactions_config("", kAlgorithms), "p.yaml");
  const auto result = grid::run_grid(config, {});
  REQUIRE(result.customers);
  REQUIRE(result.customers->segment_table == "standard11");
  // The 11 segments in table order, then the table's default (never reached with 5 bins).
  REQUIRE(result.customers->segment_names.size() == 12);
  REQUIRE(result.customers->segment_names.front() == "Champions");
  REQUIRE(result.customers->segment_names[10] == "Lost");
  REQUIRE(result.customers->rfm.ids == result.data.ids);
  REQUIRE(result.runs.size() == 5);
  bool saw_noise = false;
  for (const auto& run : result.runs) {
    if (run.labels.empty()) {
      REQUIRE_FALSE(run.profile);
      continue;
    }
    check_profile(result, run);
    saw_noise = saw_noise || run.profile->clusters.rows.back().label == "noise";
  }
  REQUIRE(saw_noise);  // DBSCAN's noise is profiled as its own group
}

TEST_CASE("the profile is the segment profile's code path: equal to rfm::profile of the same labels",
          "[grid][profiles]") {
  const auto config = grid::parse_config(transactions_config("", "  - {name: kmeans, k: 3}\n"), "p.yaml");
  const auto result = grid::run_grid(config, {});
  const auto& run = result.runs.at(0);
  const auto direct = rfm::profile(result.customers->rfm, run.labels, {}, &result.customers->scores);
  REQUIRE(run.profile->clusters.rows.size() == direct.rows.size());
  for (std::size_t g = 0; g < direct.rows.size(); ++g) {
    REQUIRE(run.profile->clusters.rows[g].label == direct.rows[g].label);
    REQUIRE(run.profile->clusters.rows[g].mean_r == direct.rows[g].mean_r);
    REQUIRE(run.profile->clusters.rows[g].mean_monetary == direct.rows[g].mean_monetary);
  }
}

TEST_CASE("profiles need recency, frequency and monetary even when the grid clusters on other features",
          "[grid][profiles]") {
  auto text =
      transactions_config("  features: [recency, monetary]\n  segments: rf_grid\n  scoring: {bins: 4, ties: cut_le}\n",
                          "  - {name: kmeans, k: 2}\n");
  text.replace(text.find("[recency, frequency, monetary]"), 30, "[recency, monetary]");
  const auto result = grid::run_grid(grid::parse_config(text, "p.yaml"), {});
  REQUIRE(result.data.columns == std::vector<std::string>{"recency", "monetary"});
  REQUIRE(result.customers->rfm.columns == std::vector<std::string>{"recency", "frequency", "monetary"});
  REQUIRE(result.customers->segment_table == "rf_grid");
  REQUIRE(result.customers->bins == 4);
  REQUIRE(result.customers->ties == "cut_le");
  REQUIRE(*std::max_element(result.customers->scores.r.begin(), result.customers->scores.r.end()) == 4);
  check_profile(result, result.runs.at(0));
  REQUIRE(result.runs[0].profile->clusters.rows[0].mean_frequency > 0);
}

TEST_CASE("a bad segment table or scoring in a transactions config is a config error naming the key",
          "[grid][profiles][bad-input]") {
  auto run = [](const std::string& keys) {
    grid::run_grid(grid::parse_config(transactions_config(keys, "  - {name: kmeans, k: 2}\n"), "p.yaml"), {});
  };
  REQUIRE_THROWS_WITH(run("  segments: nope\n"), Catch::Contains("unknown segment table 'nope'"));
  REQUIRE_THROWS_WITH(run("  scoring: {bins: 12}\n"), Catch::Contains("p.yaml: dataset.scoring.bins"));
  REQUIRE_THROWS_WITH(run("  scoring: {ties: first}\n"), Catch::Contains("p.yaml: dataset.scoring.ties"));
  REQUIRE_THROWS_WITH(run("  scoring: {bin: 4}\n"), Catch::Contains("dataset.scoring.bin: unknown key"));
  REQUIRE_THROWS_AS(grid::parse_config(R"(dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
  segments: standard11
algorithms:
  - {name: kmeans, k: 2}
)",
                                       "q.yaml"),
                    ConfigError);
}

TEST_CASE("a grid on a non-transactions dataset has no customers and no profiles", "[grid][profiles]") {
  const auto config = grid::parse_config(R"(dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
algorithms:
  - {name: kmeans, k: [2, 3]}
)",
                                         "q.yaml");
  const auto result = grid::run_grid(config, {});
  REQUIRE_FALSE(result.customers);
  for (const auto& run : result.runs) REQUIRE_FALSE(run.profile);
}

TEST_CASE("profile_run rejects labels that do not fit the customers", "[grid][profiles][bad-input]") {
  const auto config = grid::parse_config(transactions_config("", "  - {name: kmeans, k: 2}\n"), "p.yaml");
  const auto loaded = grid::load_grid_data(config);
  REQUIRE(loaded.customers);
  REQUIRE_THROWS_AS(grid::profile_run(*loaded.customers, Labels{0, 1}), InputError);
}
