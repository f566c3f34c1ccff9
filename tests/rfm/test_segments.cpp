// Segment rule tables: the shipped presets (YAML data), first-match semantics
// and the fall-through report.
#include <catch2/catch.hpp>

#include <fstream>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/segments.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

/// Scores holding every code r,f,m in 1..5 once.
rfm::RfmScores all_codes() {
  rfm::RfmScores s;
  for (int r = 1; r <= 5; ++r)
    for (int f = 1; f <= 5; ++f)
      for (int m = 1; m <= 5; ++m) {
        s.r.push_back(r);
        s.f.push_back(f);
        s.m.push_back(m);
        s.code.push_back(100 * r + 10 * f + m);
        s.fm.push_back((f + m) / 2.0);
      }
  return s;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("standard11 assigns each of the 125 codes to exactly one segment", "[rfm]") {
  const auto table = rfm_config::load_segment_preset("standard11");
  CHECK(table.rules.size() == 11);
  for (int r = 1; r <= 5; ++r)
    for (int f = 1; f <= 5; ++f)
      for (int m = 1; m <= 5; ++m) CHECK(rfm::matching_rules(table, {r, f, m}).size() == 1);
  const auto a = rfm::assign_segments(all_codes(), table);
  CHECK(a.fell_through_count == 0);
  CHECK(a.names.size() == 12);                    // 11 segments + the (unused) default
  CHECK(a.names[a.segment[124]] == "Champions");  // 555
  CHECK(a.names[a.segment[0]] == "Lost");         // 111
}

TEST_CASE("rf_grid covers every R,F cell once and ignores M, and rfm_r is first-match", "[rfm]") {
  const auto grid_table = rfm_config::load_segment_preset("rf_grid");
  for (int r = 1; r <= 5; ++r)
    for (int f = 1; f <= 5; ++f) {
      const auto first = rfm::matching_rules(grid_table, {r, f, 1});
      CHECK(first.size() == 1);
      for (int m = 2; m <= 5; ++m) CHECK(rfm::matching_rules(grid_table, {r, f, m}) == first);
    }
  CHECK(grid_table.rules[rfm::matching_rules(grid_table, {5, 1, 3})[0]].segment == "New Customers");
  CHECK(grid_table.rules[rfm::matching_rules(grid_table, {1, 5, 3})[0]].segment == "Can't Lose Them");
  const auto r_table = rfm_config::load_segment_preset("rfm_r");
  const auto a = rfm::assign_segments(all_codes(), r_table);
  // First match wins: 555 is Champions although Potential Loyalist matches too.
  CHECK(a.names[a.segment[124]] == "Champions");
  CHECK(rfm::matching_rules(r_table, {5, 5, 5}).size() > 1);
  CHECK(a.names.back() == "Others");
  // The R example leaves ten codes uncovered (listed by a separate Python check of the table).
  std::vector<int> fell;
  for (std::size_t i = 0; i < a.fell_through.size(); ++i)
    if (a.fell_through[i]) fell.push_back(all_codes().code[i]);
  CHECK(fell == std::vector<int>{215, 241, 251, 252, 341, 351, 441, 451, 541, 551});
}

TEST_CASE("r_fm6 sends exactly its documented gaps to the default and counts them", "[rfm]") {
  const auto table = rfm_config::load_segment_preset("r_fm6");
  const auto scores = all_codes();
  const auto a = rfm::assign_segments(scores, table);
  std::size_t expected = 0;
  for (std::size_t i = 0; i < scores.r.size(); ++i) {
    const int r = scores.r[i];
    const double fm = scores.fm[i];
    // Gaps read off RFM_RULES.md's table: R 4-5 with FM 3..3.5, R 3 with FM >= 4, R 2 with FM < 2.
    const bool gap = (r >= 4 && fm >= 3 && fm < 4) || (r == 3 && fm >= 4) || (r == 2 && fm < 2);
    CHECK(static_cast<bool>(a.fell_through[i]) == gap);
    if (gap) CHECK(a.names[a.segment[i]] == "Lost");
    expected += gap;
  }
  CHECK(a.fell_through_count == expected);
  CHECK(expected > 0);
}

TEST_CASE("a custom table with a gap reports the fall-through count", "[rfm]") {
  const std::string yaml =
      "name: gappy\n"
      "default: Unassigned\n"
      "rules:\n"
      "  - {segment: Top, r: [4, 5]}\n"
      "  - segment: Bottom\n"
      "    r: [1, 2]\n";
  const auto table = rfm_config::parse_segment_table(yaml, "gappy.yaml");
  io::FeaturesCsvOptions csv;
  csv.id_column = "customer";
  const auto data = io::read_features_csv(std::string(CB_SOURCE_DIR) + "/tests/fixtures/rfm/ties.csv", csv);
  const auto scores = rfm::score(data, {5, rfm::TiePolicy::ntile});
  const auto a = rfm::assign_segments(scores, table);
  const auto r3 = static_cast<std::size_t>(std::count(scores.r.begin(), scores.r.end(), 3));
  CHECK(r3 > 0);
  CHECK(a.fell_through_count == r3);
  for (std::size_t i = 0; i < scores.r.size(); ++i)
    CHECK((a.names[a.segment[i]] == "Unassigned") == (scores.r[i] == 3));
}

TEST_CASE("segment YAML errors name file:line", "[rfm]") {
  CHECK_THAT(
      error_of([] { rfm_config::parse_segment_table("default: X\nrules:\n  - {segment: A, q: 3}\n", "t.yaml"); }),
      Catch::Contains("t.yaml:3") && Catch::Contains("unknown key 'q'"));
  CHECK_THAT(
      error_of([] { rfm_config::parse_segment_table("default: X\nrules:\n  - {segment: A, r: [4, 2]}\n", "t.yaml"); }),
      Catch::Contains("t.yaml:3: rule 1 (A): r: empty range [4, 2]"));
  CHECK_THAT(error_of([] { rfm_config::parse_segment_table("rules:\n  - {segment: A, r: 1}\n", "t.yaml"); }),
             Catch::Contains("default"));
  CHECK_THAT(error_of([] {
               rfm_config::parse_segment_table("default: X\nrules:\n  - {segment: A, codes: [105]}\n", "t.yaml");
             }),
             Catch::Contains("not an RFM code"));
  CHECK_THAT(error_of([] { rfm_config::load_segment_preset("nope"); }), Catch::Contains("unknown segment table"));
}

TEST_CASE("compiled-in presets are exactly the files in configs/segments", "[rfm][presets]") {
  const auto names = rfm_config::segment_preset_names();
  REQUIRE(names == std::vector<std::string>{"r_fm6", "rf_grid", "rfm_r", "standard11"});
  for (const auto& name : names) {
    INFO(name);
    const auto embedded = rfm_config::load_segment_preset(name);
    const auto file =
        rfm_config::load_segment_table(std::string(CB_SOURCE_DIR) + "/configs/segments/" + name + ".yaml");
    REQUIRE(embedded.name == file.name);
    REQUIRE(embedded.default_segment == file.default_segment);
    REQUIRE(embedded.rules.size() == file.rules.size());
    for (std::size_t i = 0; i < file.rules.size(); ++i) {
      REQUIRE(embedded.rules[i].segment == file.rules[i].segment);
      REQUIRE(embedded.rules[i].codes == file.rules[i].codes);
      REQUIRE(embedded.rules[i].any_of.size() == file.rules[i].any_of.size());
    }
  }
}

TEST_CASE("segment tables reject duplicate keys, non-finite bounds and huge codes", "[rfm][bad-input]") {
  CHECK_THAT(error_of([] { rfm_config::parse_segment_table("default: A\ndefault: B\nrules: []\n", "t.yaml"); }),
             Catch::Contains("t.yaml:2: default: duplicate key (first at line 1)"));
  CHECK_THAT(
      error_of([] { rfm_config::parse_segment_table("default: A\nrules:\n  - {segment: X, r: .nan}\n", "t.yaml"); }),
      Catch::Contains("t.yaml:3: rule 1 (X): r: expected a finite number, got '.nan'"));
  CHECK_THAT(error_of([] {
               rfm_config::parse_segment_table("default: A\nrules:\n  - {segment: X, codes: [1e300]}\n", "t.yaml");
             }),
             Catch::Contains("is not an RFM code"));
  CHECK_THAT(error_of([] { rfm_config::parse_segment_table("default: [A]\nrules: []\n", "t.yaml"); }),
             Catch::Contains("t.yaml:1: default: expected a name"));
}
