// Segment rules on raw values (recency days, invoices, money) beside the
// scores: comparisons and ranges, first match, errors naming file, rule and field.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/pipeline.hpp"
#include "clusterbench/rfm/segments.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

Dataset ties_fixture() {
  io::FeaturesCsvOptions csv;
  csv.id_column = "customer";
  return io::read_features_csv(std::string(CB_SOURCE_DIR) + "/tests/fixtures/rfm/ties.csv", csv);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

double value(const Dataset& d, Index row, const char* column) {
  const auto j = std::find(d.columns.begin(), d.columns.end(), column) - d.columns.begin();
  return d.values(row, static_cast<Index>(j));
}

const char* const kRawTable = R"(name: raw
default: Others
rules:
  - {segment: New, frequency: == 1, recency: "<= 30"}
  - segment: Big spenders
    monetary: [">= 100", "< 1000"]
  - segment: Lapsed
    any:
      - {recency: "> 150"}
      - {r: 1, frequency: [2, 3]}
  - {segment: Top, r: ">= 5", f: 5}
)";

}  // namespace

TEST_CASE("raw-value conditions: comparisons, ranges and lists of comparisons, first match wins", "[rfm]") {
  const auto table = rfm_config::parse_segment_table(kRawTable, "raw.yaml");
  REQUIRE(table.uses_raw_values());
  const auto data = ties_fixture();
  const auto scores = rfm::score(data, {5, rfm::TiePolicy::rank_first});
  const auto a = rfm::assign_segments(data, scores, table);
  std::map<std::string, int> count;
  for (Index i = 0; i < data.rows(); ++i) {
    const auto u = static_cast<std::size_t>(i);
    const double recency = value(data, i, "recency"), frequency = value(data, i, "frequency"),
                 monetary = value(data, i, "monetary");
    // The table written out by hand, in its order.
    std::string expected = "Others";
    if (frequency == 1 && recency <= 30) expected = "New";
    else if (monetary >= 100 && monetary < 1000) expected = "Big spenders";
    else if (recency > 150 || (scores.r[u] == 1 && frequency >= 2 && frequency <= 3)) expected = "Lapsed";
    else if (scores.r[u] >= 5 && scores.f[u] == 5) expected = "Top";
    INFO(data.ids[u] << " recency " << recency << " frequency " << frequency << " monetary " << monetary);
    CHECK(a.names[static_cast<std::size_t>(a.segment[u])] == expected);
    CHECK(static_cast<bool>(a.fell_through[u]) == (expected == "Others"));
    ++count[expected];
  }
  // The fixture reaches every rule, so none of the checks above is vacuous.
  for (const char* name : {"New", "Big spenders", "Lapsed", "Others"}) CHECK(count[name] > 0);
}

TEST_CASE("raw-value bounds are exact at their edges", "[rfm]") {
  const auto table = rfm_config::parse_segment_table(
      "default: D\nrules:\n"
      "  - {segment: lt, recency: \"< 30\"}\n"
      "  - {segment: le, recency: \"<=30\"}\n"
      "  - {segment: gt, monetary: \"> 99.5\"}\n"
      "  - {segment: range, frequency: [2, 4]}\n",
      "edges.yaml");
  auto first = [&](double recency, double frequency, double monetary) {
    const auto hits = rfm::matching_rules(table, {3, 3, 3, recency, frequency, monetary});
    return hits.empty() ? std::string("D") : table.rules[hits[0]].segment;
  };
  CHECK(first(29.9, 1, 0) == "lt");
  CHECK(first(30, 1, 0) == "le");
  CHECK(first(30.5, 1, 99.5) == "D");
  CHECK(first(31, 1, 99.51) == "gt");
  CHECK(first(31, 2, 0) == "range");
  CHECK(first(31, 4, 0) == "range");
  CHECK(first(31, 4.5, 0) == "D");
}

TEST_CASE("presets give the same segments with and without the raw values", "[rfm][presets]") {
  const auto data = ties_fixture();
  const auto scores = rfm::score(data, {5, rfm::TiePolicy::cut_le});
  for (const auto& name : rfm_config::segment_preset_names()) {
    INFO(name);
    const auto table = rfm_config::load_segment_preset(name);
    CHECK_FALSE(table.uses_raw_values());
    const auto with_values = rfm::assign_segments(data, scores, table);
    const auto scores_only = rfm::assign_segments(scores, table);
    CHECK(with_values.segment == scores_only.segment);
    CHECK(with_values.names == scores_only.names);
  }
}

TEST_CASE("a table on raw values needs the features", "[rfm][bad-input]") {
  const auto table = rfm_config::parse_segment_table(kRawTable, "raw.yaml");
  const auto data = ties_fixture();
  const auto scores = rfm::score(data);
  CHECK_THAT(error_of([&] { rfm::assign_segments(scores, table); }),
             Catch::Contains("segment table 'raw', rule 1 (New) tests raw values"));
  Dataset no_monetary = data;
  no_monetary.columns[2] = "spend";
  CHECK_THAT(error_of([&] { rfm::assign_segments(no_monetary, scores, table); }),
             Catch::Contains("needs a column named 'monetary'"));
}

TEST_CASE("errors in raw-value rules name the file, the rule and the field", "[rfm][bad-input]") {
  auto parse = [](const std::string& rules) {
    return error_of(
        [&] { rfm_config::parse_segment_table("default: X\nrules:\n  - {segment: A, r: 1}\n" + rules, "t.yaml"); });
  };
  CHECK_THAT(parse("  - {segment: New, frequency: == one}\n"),
             Catch::Contains("t.yaml:4: rule 2 (New): frequency: expected a number, [lo, hi], a comparison such as "
                             "'>= 2' or a list of comparisons, got '== one'"));
  CHECK_THAT(parse("  - {segment: New, recency: [\"> 30\", \"< 10\"]}\n"),
             Catch::Contains("t.yaml:4: rule 2 (New): recency: empty range > 30 and < 10"));
  CHECK_THAT(parse("  - {segment: New, monetary: \"< 5\", recency: \"== .nan\"}\n"),
             Catch::Contains("t.yaml:4: rule 2 (New): recency: expected a number"));
  CHECK_THAT(parse("  - {segment: New, monetary: [\">= 1\", 5]}\n"),
             Catch::Contains("rule 2 (New): monetary: expected"));
  CHECK_THAT(parse("  - {segment: New, monetary: [1, 2, 3]}\n"), Catch::Contains("rule 2 (New): monetary: expected"));
  CHECK_THAT(parse("  - {segment: New, frequency: \"== 2\"}\n  - segment: Old\n    any:\n      - {recency: \"> 1\"}\n"
                   "      - {recncy: \"> 2\"}\n"),
             Catch::Contains("t.yaml:8: rule 3 (Old), any item 2: unknown key 'recncy' (did you mean 'recency'?)"));
  CHECK_THAT(parse("  - {segment: New, frequncy: 1}\n"),
             Catch::Contains("t.yaml:4: rule 2 (New): unknown key 'frequncy' (did you mean 'frequency'?)"));
  CHECK_THAT(parse("  - {segment: New, monetary: \"=> 5\"}\n"), Catch::Contains("rule 2 (New): monetary: expected"));
  CHECK_THAT(parse("  - {segment: New, frequency: \"> 1\", frequency_min: 2}\n"), Catch::Contains("rule 2 (New)"));
  CHECK_THAT(parse("  - {frequency: 1}\n"), Catch::Contains("t.yaml:4: rule 2: a rule needs a 'segment'"));
}

TEST_CASE("a raw-value rule file segments a whole log on the command line path", "[rfm]") {
  // analyze_log hands the features to the rules: New = one invoice, and nobody else.
  const auto table =
      rfm_config::parse_segment_table("default: Repeat\nrules:\n  - {segment: New, frequency: == 1}\n", "n.yaml");
  const auto executor = make_parallel_executor(2);
  const auto a = rfm::analyze_log(std::string(CB_SOURCE_DIR) + "/data/transactions/online_retail_2010-12-01.csv",
                                  io::LogSchema{}, table, {}, *executor);
  const auto& f = a.customers.features;
  std::size_t new_customers = 0;
  for (Index i = 0; i < f.rows(); ++i) {
    const bool one_invoice = value(f, i, "frequency") == 1;
    CHECK((a.segments.names[static_cast<std::size_t>(a.segments.segment[static_cast<std::size_t>(i)])] == "New") ==
          one_invoice);
    new_customers += one_invoice;
  }
  CHECK(new_customers > 0);
  CHECK(new_customers < static_cast<std::size_t>(f.rows()));
}
