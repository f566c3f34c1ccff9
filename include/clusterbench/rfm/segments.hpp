#pragma once
// Named segments from an ordered rule table that is data (configs/segments/*.yaml,
// loaded by grid/segment_rules_yaml.hpp): the first rule that matches a
// customer's scores wins; a customer matching none gets the table's default
// segment and is flagged as having fallen through.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/matrix.hpp"
#include "clusterbench/rfm/scores.hpp"

namespace cb::rfm {

/// Inclusive range of a score (or of FM, which may be a half value).
struct ScoreRange {
  double lo = 1;  ///< smallest accepted value
  double hi = 9;  ///< largest accepted value
  bool contains(double v) const { return v >= lo && v <= hi; }
};

/// All the given ranges must hold.
struct SegmentCondition {
  std::optional<ScoreRange> r, f, m;  ///< recency, frequency, monetary score ranges
  std::optional<ScoreRange> fm;       ///< range of (F + M) / 2
  bool matches(int r_score, int f_score, int m_score) const;
};

struct SegmentRule {
  std::string segment;                   ///< segment name (several rules may share one)
  std::vector<int> codes;                ///< explicit RFM codes, e.g. 555
  std::vector<SegmentCondition> any_of;  ///< or any of these conditions
  bool matches(int r_score, int f_score, int m_score) const;
};

struct SegmentTable {
  std::string name;                  ///< preset or file name
  std::vector<SegmentRule> rules;    ///< in priority order
  std::string default_segment;       ///< for customers matching no rule (must be set)
};

/// Throws ConfigError when a rule has no segment name, no code and no
/// condition, a range is empty (lo > hi), or the default is not set.
void validate(const SegmentTable& table);

/// Indices of every rule matching the scores (the first one wins).
std::vector<std::size_t> matching_rules(const SegmentTable& table, int r, int f, int m);

struct SegmentAssignment {
  std::vector<std::string> names;        ///< distinct segment names: rules' order of first appearance, then the default
  Labels segment;                        ///< per customer: index into names
  std::vector<std::uint8_t> fell_through;///< per customer: 1 when no rule matched
  std::size_t fell_through_count = 0;    ///< customers that reached the default only by falling through
};

/// Segments for every scored customer. Validates the table.
SegmentAssignment assign_segments(const RfmScores& scores, const SegmentTable& table);

}  // namespace cb::rfm
