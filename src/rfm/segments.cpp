#include "clusterbench/rfm/segments.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::rfm {
namespace {

bool in(const std::optional<ValueRange>& range, double v) { return !range || range->contains(v); }

void check_range(const std::optional<ValueRange>& range, const std::string& where, const char* what) {
  if (range && range->empty()) throw ConfigError(fmt::format("{}: {}: empty range {}", where, what, range->describe()));
}

/// Column `name` of the features, or InputError naming what the table needs it for.
Index raw_column(const Dataset& features, const char* name, const SegmentTable& table) {
  const auto it = std::find(features.columns.begin(), features.columns.end(), name);
  if (it == features.columns.end())
    throw InputError(fmt::format("{}: segment table '{}' tests raw values and needs a column named '{}'",
                                 features.source, table.name, name));
  return static_cast<Index>(it - features.columns.begin());
}

SegmentAssignment assign(const SegmentTable& table, std::size_t n, const auto& customer_at) {
  validate(table);
  SegmentAssignment out;
  std::vector<Label> rule_label(table.rules.size());
  auto label_of = [&](const std::string& name) {
    const auto it = std::find(out.names.begin(), out.names.end(), name);
    if (it != out.names.end()) return static_cast<Label>(it - out.names.begin());
    out.names.push_back(name);
    return static_cast<Label>(out.names.size() - 1);
  };
  for (std::size_t i = 0; i < table.rules.size(); ++i) rule_label[i] = label_of(table.rules[i].segment);
  const Label fallback = label_of(table.default_segment);
  out.segment.assign(n, fallback);
  out.fell_through.assign(n, 1);
  for (std::size_t c = 0; c < n; ++c) {
    const CustomerRfm customer = customer_at(c);
    for (std::size_t i = 0; i < table.rules.size(); ++i)
      if (table.rules[i].matches(customer)) {
        out.segment[c] = rule_label[i];
        out.fell_through[c] = 0;
        break;
      }
    out.fell_through_count += out.fell_through[c];
  }
  return out;
}

}  // namespace

void ValueRange::intersect(const ValueRange& other) {
  if (other.lo > lo || (other.lo == lo && other.lo_strict)) {
    lo_strict = other.lo_strict || (other.lo == lo && lo_strict);
    lo = other.lo;
  }
  if (other.hi < hi || (other.hi == hi && other.hi_strict)) {
    hi_strict = other.hi_strict || (other.hi == hi && hi_strict);
    hi = other.hi;
  }
}

std::string ValueRange::describe() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi && lo == hi && !lo_strict && !hi_strict) return fmt::format("== {}", lo);
  if (has_lo && has_hi && !lo_strict && !hi_strict) return fmt::format("[{}, {}]", lo, hi);
  const std::string low = has_lo ? fmt::format("{} {}", lo_strict ? ">" : ">=", lo) : "";
  const std::string high = has_hi ? fmt::format("{} {}", hi_strict ? "<" : "<=", hi) : "";
  if (!has_lo && !has_hi) return "any value";
  if (has_lo && has_hi) return low + " and " + high;
  return has_lo ? low : high;
}

bool SegmentCondition::matches(const CustomerRfm& c) const {
  return in(r, c.r) && in(f, c.f) && in(m, c.m) && in(fm, (c.f + c.m) / 2.0) && in(recency, c.recency) &&
         in(frequency, c.frequency) && in(monetary, c.monetary);
}

bool SegmentRule::uses_raw_values() const {
  return std::any_of(any_of.begin(), any_of.end(), [](const SegmentCondition& c) { return c.uses_raw_values(); });
}

bool SegmentRule::matches(const CustomerRfm& customer) const {
  const int code = 100 * customer.r + 10 * customer.f + customer.m;
  if (std::find(codes.begin(), codes.end(), code) != codes.end()) return true;
  return std::any_of(any_of.begin(), any_of.end(), [&](const SegmentCondition& c) { return c.matches(customer); });
}

bool SegmentTable::uses_raw_values() const {
  return std::any_of(rules.begin(), rules.end(), [](const SegmentRule& rule) { return rule.uses_raw_values(); });
}

void validate(const SegmentTable& table) {
  if (table.default_segment.empty())
    throw ConfigError(fmt::format("segment table '{}': the default segment must be named", table.name));
  for (std::size_t i = 0; i < table.rules.size(); ++i) {
    const auto& rule = table.rules[i];
    const std::string where = fmt::format("segment table '{}', rule {}", table.name, i + 1);
    if (rule.segment.empty()) throw ConfigError(where + ": the segment must be named");
    if (rule.codes.empty() && rule.any_of.empty())
      throw ConfigError(fmt::format("{} ({}): give codes or conditions", where, rule.segment));
    for (const auto& c : rule.any_of) {
      const std::string named = fmt::format("{} ({})", where, rule.segment);
      check_range(c.r, named, "r");
      check_range(c.f, named, "f");
      check_range(c.m, named, "m");
      check_range(c.fm, named, "fm");
      check_range(c.recency, named, "recency");
      check_range(c.frequency, named, "frequency");
      check_range(c.monetary, named, "monetary");
    }
  }
}

std::vector<std::size_t> matching_rules(const SegmentTable& table, const CustomerRfm& customer) {
  std::vector<std::size_t> hits;
  for (std::size_t i = 0; i < table.rules.size(); ++i)
    if (table.rules[i].matches(customer)) hits.push_back(i);
  return hits;
}

SegmentAssignment assign_segments(const Dataset& features, const RfmScores& scores, const SegmentTable& table) {
  const std::size_t n = scores.r.size();
  if (static_cast<std::size_t>(features.rows()) != n)
    throw InputError(
        fmt::format("{}: {} customers have features but {} have scores", features.source, features.rows(), n));
  if (!table.uses_raw_values()) return assign_segments(scores, table);
  const Index recency = raw_column(features, "recency", table);
  const Index frequency = raw_column(features, "frequency", table);
  const Index monetary = raw_column(features, "monetary", table);
  return assign(table, n, [&](std::size_t c) {
    const auto row = static_cast<Index>(c);
    return CustomerRfm{scores.r[c],
                       scores.f[c],
                       scores.m[c],
                       features.values(row, recency),
                       features.values(row, frequency),
                       features.values(row, monetary)};
  });
}

SegmentAssignment assign_segments(const RfmScores& scores, const SegmentTable& table) {
  for (std::size_t i = 0; i < table.rules.size(); ++i)
    if (table.rules[i].uses_raw_values())
      throw ConfigError(
          fmt::format("segment table '{}', rule {} ({}) tests raw values: segment with the customers' "
                      "features",
                      table.name, i + 1, table.rules[i].segment));
  return assign(table, scores.r.size(), [&](std::size_t c) {
    return CustomerRfm{scores.r[c], scores.f[c], scores.m[c]};
  });
}

}  // namespace cb::rfm
