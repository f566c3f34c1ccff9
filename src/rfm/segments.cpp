#include "clusterbench/rfm/segments.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::rfm {
namespace {

bool in(const std::optional<ScoreRange>& range, double v) { return !range || range->contains(v); }

void check_range(const std::optional<ScoreRange>& range, const std::string& where, const char* what) {
  if (range && range->lo > range->hi)
    throw ConfigError(fmt::format("{}: empty {} range [{}, {}]", where, what, range->lo, range->hi));
}

}  // namespace

bool SegmentCondition::matches(int r_score, int f_score, int m_score) const {
  return in(r, r_score) && in(f, f_score) && in(m, m_score) && in(fm, (f_score + m_score) / 2.0);
}

bool SegmentRule::matches(int r_score, int f_score, int m_score) const {
  const int code = 100 * r_score + 10 * f_score + m_score;
  if (std::find(codes.begin(), codes.end(), code) != codes.end()) return true;
  return std::any_of(any_of.begin(), any_of.end(),
                     [&](const SegmentCondition& c) { return c.matches(r_score, f_score, m_score); });
}

void validate(const SegmentTable& table) {
  if (table.default_segment.empty())
    throw ConfigError(fmt::format("segment table '{}': the default segment must be named", table.name));
  for (std::size_t i = 0; i < table.rules.size(); ++i) {
    const auto& rule = table.rules[i];
    const std::string where = fmt::format("segment table '{}', rule {}", table.name, i + 1);
    if (rule.segment.empty()) throw ConfigError(where + ": the segment must be named");
    if (rule.codes.empty() && rule.any_of.empty())
      throw ConfigError(fmt::format("{} ({}): give codes or score ranges", where, rule.segment));
    for (const auto& c : rule.any_of) {
      check_range(c.r, where, "r");
      check_range(c.f, where, "f");
      check_range(c.m, where, "m");
      check_range(c.fm, where, "fm");
    }
  }
}

std::vector<std::size_t> matching_rules(const SegmentTable& table, int r, int f, int m) {
  std::vector<std::size_t> hits;
  for (std::size_t i = 0; i < table.rules.size(); ++i)
    if (table.rules[i].matches(r, f, m)) hits.push_back(i);
  return hits;
}

SegmentAssignment assign_segments(const RfmScores& scores, const SegmentTable& table) {
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
  const std::size_t n = scores.r.size();
  out.segment.assign(n, fallback);
  out.fell_through.assign(n, 1);
  for (std::size_t c = 0; c < n; ++c) {
    for (std::size_t i = 0; i < table.rules.size(); ++i)
      if (table.rules[i].matches(scores.r[c], scores.f[c], scores.m[c])) {
        out.segment[c] = rule_label[i];
        out.fell_through[c] = 0;
        break;
      }
    out.fell_through_count += out.fell_through[c];
  }
  return out;
}

}  // namespace cb::rfm
