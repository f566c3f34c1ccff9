// Profiles of a labeling, the cluster x segment cross-table, and migration
// between snapshots joined by customer id.
#include <catch2/catch.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/features.hpp"
#include "clusterbench/rfm/migration.hpp"
#include "clusterbench/rfm/pipeline.hpp"
#include "clusterbench/rfm/profiles.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

Dataset fixture() {
  io::FeaturesCsvOptions csv;
  csv.id_column = "customer";
  return io::read_features_csv(std::string(CB_SOURCE_DIR) + "/tests/fixtures/rfm/ties.csv", csv);
}

rfm::SegmentTable standard11() { return rfm_config::load_segment_preset("standard11"); }

Dataset subset(const Dataset& d, const std::vector<Index>& rows) {
  Dataset s;
  s.source = d.source;
  s.columns = d.columns;
  s.values.resize(static_cast<Index>(rows.size()), d.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    s.values.row(static_cast<Index>(k)) = d.values.row(rows[k]);
    s.ids.push_back(d.ids[static_cast<std::size_t>(rows[k])]);
  }
  return s;
}

}  // namespace

TEST_CASE("profile per segment equals a direct computation and sums to the whole", "[rfm]") {
  const Dataset data = fixture();
  const auto scores = rfm::score(data);
  const auto seg = rfm::assign_segments(scores, standard11());
  const auto p = rfm::profile(data, seg.segment, seg.names, &scores);
  REQUIRE(p.rows.size() == seg.names.size());
  double share = 0, revenue_share = 0;
  std::size_t customers = 0;
  for (std::size_t g = 0; g < p.rows.size(); ++g) {
    const auto& row = p.rows[g];
    CHECK(row.label == seg.names[g]);
    std::size_t count = 0;
    double revenue = 0, invoices = 0, recency = 0, r = 0;
    for (Index i = 0; i < data.rows(); ++i)
      if (seg.segment[static_cast<std::size_t>(i)] == static_cast<Label>(g)) {
        ++count;
        revenue += data.values(i, 2);
        invoices += data.values(i, 1);
        recency += data.values(i, 0);
        r += scores.r[static_cast<std::size_t>(i)];
      }
    CHECK(row.customers == count);
    if (count == 0) continue;
    CHECK(row.revenue == Approx(revenue));
    CHECK(row.average_ticket == Approx(revenue / invoices));
    CHECK(row.mean_recency == Approx(recency / count));
    CHECK(row.mean_r == Approx(r / count));
    share += row.share;
    revenue_share += row.revenue_share;
    customers += row.customers;
  }
  CHECK(customers == static_cast<std::size_t>(data.rows()));
  CHECK(share == Approx(1.0));
  CHECK(revenue_share == Approx(1.0));
}

TEST_CASE("cluster x segment cross-table counts every customer once, noise apart", "[rfm]") {
  const Dataset data = fixture();
  const auto seg = rfm::assign_segments(rfm::score(data), standard11());
  Labels clusters(static_cast<std::size_t>(data.rows()));
  for (std::size_t i = 0; i < clusters.size(); ++i) clusters[i] = i % 7 == 0 ? kNoise : static_cast<Label>(i % 3);
  const auto t = rfm::cross_table(clusters, {}, seg.segment, seg.names);
  REQUIRE(t.row_names == std::vector<std::string>{"cluster 0", "cluster 1", "cluster 2", "noise"});
  CHECK(t.counts.sum() == data.rows());
  CHECK(t.counts.row(3).sum() == 9);  // i % 7 == 0 for i in 0..60
  const auto p = rfm::profile(data, clusters, {});
  for (std::size_t g = 0; g < p.rows.size(); ++g)
    CHECK(t.counts.row(static_cast<Index>(g)).sum() == static_cast<double>(p.rows[g].customers));
}

TEST_CASE("migration joins by customer id: new, churned and reordered rows", "[rfm]") {
  const Dataset data = fixture();
  // Snapshot 1: rows 0..39. Snapshot 2: rows 5..60 in reverse order, with changed values
  // (so 0..4 churned, 40..60 new, and position i of the two tables is never the same customer).
  std::vector<Index> first_rows, second_rows;
  for (Index i = 0; i < 40; ++i) first_rows.push_back(i);
  for (Index i = 60; i >= 5; --i) second_rows.push_back(i);
  const Dataset before = subset(data, first_rows);
  Dataset after = subset(data, second_rows);
  after.values.col(0).array() += 3.0;  // everyone is 3 days less recent
  after.values.col(1) = after.values.col(1).reverse().eval();
  const auto table = standard11();
  for (bool pinned : {false, true}) {
    INFO("pinned = " << pinned);
    rfm::MigrationOptions options;
    options.pinned = pinned;
    const auto m = rfm::migrate(before, after, table, options);
    // Oracle: segments of each snapshot on their own, joined by a nested loop over ids.
    const auto s1 = rfm::score(before, options.scoring);
    const auto s2 = pinned ? rfm::score_pinned(after, s1.cuts) : rfm::score(after, options.scoring);
    const auto a = rfm::assign_segments(s1, table);
    const auto b = rfm::assign_segments(s2, table);
    Matrix expected = Matrix::Zero(m.counts.rows(), m.counts.cols());
    const Index new_row = expected.rows() - 1, churned = expected.cols() - 1;
    for (std::size_t i = 0; i < before.ids.size(); ++i) {
      Index to = churned;
      for (std::size_t j = 0; j < after.ids.size(); ++j)
        if (after.ids[j] == before.ids[i]) to = b.segment[j];
      expected(a.segment[i], to) += 1;
    }
    for (std::size_t j = 0; j < after.ids.size(); ++j)
      if (std::find(before.ids.begin(), before.ids.end(), after.ids[j]) == before.ids.end())
        expected(new_row, b.segment[j]) += 1;
    CHECK(m.counts == expected);
    CHECK(m.retained == 35);
    CHECK(m.churned == 5);
    CHECK(m.new_customers == 21);
    CHECK(m.counts.row(new_row).sum() == 21);
    CHECK(m.counts.col(churned).sum() == 5);
    CHECK(m.from_names.back() == rfm::kNewRow);
    CHECK(m.to_names.back() == rfm::kChurnedColumn);
    for (Index r = 0; r < m.counts.rows(); ++r)
      if (m.counts.row(r).sum() > 0) CHECK(m.row_shares.row(r).sum() == Approx(1.0));
  }
  Dataset twice = before;
  twice.ids[1] = twice.ids[0];
  CHECK_THROWS_AS(rfm::migrate(twice, after, table), InputError);
}

TEST_CASE("migration between two snapshots of the Online Retail log", "[rfm]") {
  const auto executor = make_parallel_executor(2);
  const auto path = test::data_path("transactions/online_retail.csv.gz");
  const io::Day d1 = io::parse_day("2011-11-09"), d2 = io::parse_day("2011-12-10");
  const auto m = rfm::migrate_log(path, {}, {}, d1, d2, standard11(), {}, *executor);
  // Independent count of new customers: first kept purchase on or after d1.
  const auto later = rfm::read_and_aggregate(path, {}, {}, *executor);
  std::size_t first_after = 0;
  for (const auto& c : later.customers) first_after += io::day_of(c.first_purchase) >= d1;
  CHECK(m.new_customers == first_after);
  CHECK(m.churned == 0);  // the log only grows between the two snapshots
  CHECK(m.retained + m.new_customers == later.customers.size());
  CHECK(m.counts.sum() == static_cast<double>(later.customers.size()));
}

TEST_CASE("analyze_log runs the whole path at a snapshot inside the log", "[rfm]") {
  const auto executor = make_parallel_executor(2);
  rfm::AnalysisOptions options;
  options.snapshot = io::parse_day("2010-12-10");
  const auto a =
      rfm::analyze_log(test::data_path("transactions/online_retail_2010-12.csv"), {}, standard11(), options, *executor);
  CHECK(a.customers.snapshot == *options.snapshot);
  CHECK(a.report.steps[static_cast<std::size_t>(rfm::Rule::outside_window)].rows_removed > 0);
  const auto& v = a.customers.features.values;
  CHECK(v.col(0).minCoeff() >= 1);  // nothing on or after the snapshot day
  CHECK(a.segments.segment.size() == static_cast<std::size_t>(a.customers.features.rows()));
  std::size_t total = 0;
  for (const auto& row : a.profile.rows) total += row.customers;
  CHECK(total == a.segments.segment.size());
  CHECK(a.segments.fell_through_count == 0);
}
