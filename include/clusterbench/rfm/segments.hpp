#pragma once
// Named segments from an ordered rule table that is data (configs/segments/*.yaml,
// loaded by rfm/config/segment_rules_yaml.hpp): the first rule that matches a
// customer wins; a customer matching none gets the table's default segment
// and is flagged as having fallen through. A rule tests the R/F/M scores and,
// when it says so, the raw values they come from (recency in days, frequency
// in invoices, monetary).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/rfm/scores.hpp"

namespace cb::rfm {

/// The values a range accepts: lo <= v <= hi, each end strict (< or >) when
/// its flag says so; an absent end is infinite. [lo, hi] in a rule file is
/// both ends inclusive; "> 30" is lo = 30 strict.
struct ValueRange {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_strict = false;  ///< v > lo instead of v >= lo
  bool hi_strict = false;  ///< v < hi instead of v <= hi
  bool contains(double v) const { return (lo_strict ? v > lo : v >= lo) && (hi_strict ? v < hi : v <= hi); }
  bool empty() const { return lo > hi || (lo == hi && (lo_strict || hi_strict)); }
  /// Narrows to the values both ranges accept (a list of comparisons).
  void intersect(const ValueRange& other);
  /// "[1, 5]", ">= 100 and < 500", "== 1": for messages.
  std::string describe() const;
};

/// What a rule sees of one customer: its scores and the raw values behind them.
struct CustomerRfm {
  int r = 1, f = 1, m = 1;  ///< scores 1..bins
  double recency = 0;       ///< days from the last purchase to the snapshot
  double frequency = 0;     ///< invoices
  double monetary = 0;      ///< money spent
};

/// All the given ranges must hold.
struct SegmentCondition {
  std::optional<ValueRange> r, f, m;                       ///< recency, frequency, monetary score ranges
  std::optional<ValueRange> fm;                            ///< range of (F + M) / 2
  std::optional<ValueRange> recency, frequency, monetary;  ///< ranges of the raw values (days, invoices, money)
  bool uses_raw_values() const { return recency || frequency || monetary; }
  bool matches(const CustomerRfm& customer) const;
};

struct SegmentRule {
  std::string segment;                   ///< segment name (several rules may share one)
  std::vector<int> codes;                ///< explicit RFM codes, e.g. 555
  std::vector<SegmentCondition> any_of;  ///< or any of these conditions
  bool uses_raw_values() const;
  bool matches(const CustomerRfm& customer) const;
};

struct SegmentTable {
  std::string name;                ///< preset or file name
  std::vector<SegmentRule> rules;  ///< in priority order
  std::string default_segment;     ///< for customers matching no rule (must be set)
  bool uses_raw_values() const;
};

/// Throws ConfigError when a rule has no segment name, no code and no
/// condition, a range is empty (lo > hi), or the default is not set.
void validate(const SegmentTable& table);

/// Indices of every rule matching the customer (the first one wins).
std::vector<std::size_t> matching_rules(const SegmentTable& table, const CustomerRfm& customer);

struct SegmentAssignment {
  std::vector<std::string> names;  ///< distinct segment names: rules' order of first appearance, then the default
  Labels segment;                  ///< per customer: index into names
  std::vector<std::uint8_t> fell_through;  ///< per customer: 1 when no rule matched
  std::size_t fell_through_count = 0;      ///< customers that reached the default only by falling through
};

/// Segments for every scored customer; `features` holds the raw values (the
/// columns recency, frequency and monetary, rows as scored). Validates the table.
/// Throws InputError when a column is missing or the row counts differ.
SegmentAssignment assign_segments(const Dataset& features, const RfmScores& scores, const SegmentTable& table);

/// Segments from scores alone, for tables that test no raw value (throws
/// ConfigError naming the first rule that does).
SegmentAssignment assign_segments(const RfmScores& scores, const SegmentTable& table);

}  // namespace cb::rfm
