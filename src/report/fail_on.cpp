#include "clusterbench/report/fail_on.hpp"

#include <cmath>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/metric_catalog.hpp"

namespace cb::report {
namespace {

bool holds(double value, const std::string& op, double threshold) {
  if (op == "<") return value < threshold;
  if (op == "<=") return value <= threshold;
  if (op == ">") return value > threshold;
  return value >= threshold;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

FailCondition parse_one(const std::string& text) {
  FailCondition c;
  c.text = text;
  if (text == "missing") {
    c.kind = FailCondition::Kind::missing;
    return c;
  }
  static const std::regex pattern(
      R"(([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?))");
  std::smatch m;
  if (!std::regex_match(text, m, pattern))
    throw InputError(fmt::format("--fail-on: '{}' is not NAME OP NUMBER (OP one of <, <=, >, >=) or 'missing'", text));
  c.metric = m[1];
  c.op = m[2];
  c.threshold = std::strtod(m[3].str().c_str(), nullptr);
  if (c.metric == "time") c.kind = FailCondition::Kind::time_ratio;
  else if (c.metric == "agreement") c.kind = FailCondition::Kind::agreement;
  else if (!find_metric(c.metric))
    throw InputError(fmt::format("--fail-on: unknown metric '{}' in '{}' (valid: {}, time, agreement, missing)",
                                 c.metric, text, metric_names()));
  return c;
}

}  // namespace

std::vector<FailCondition> parse_fail_on(const std::string& text) {
  std::vector<FailCondition> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    const std::string part = trimmed(text.substr(start, end - start));
    if (part.empty()) throw InputError(fmt::format("--fail-on: empty condition in '{}'", text));
    out.push_back(parse_one(part));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> violations(const DiffRow& row, const std::vector<FailCondition>& conditions) {
  std::vector<std::string> out;
  for (const auto& c : conditions) {
    if (c.kind == FailCondition::Kind::missing) {
      if (row.before && !row.after) out.push_back("missing in b");
      continue;
    }
    if (!row.before || !row.after) continue;
    switch (c.kind) {
      case FailCondition::Kind::delta: {
        const double a = run_value(*row.before, c.metric), b = run_value(*row.after, c.metric);
        if (std::isfinite(a) && !std::isfinite(b)) out.push_back(fmt::format("{} lost (was {:.4g})", c.metric, a));
        else if (std::isfinite(a) && holds(b - a, c.op, c.threshold))
          out.push_back(fmt::format("{} {:+.4g} {} {}", c.metric, b - a, c.op, c.threshold));
        break;
      }
      case FailCondition::Kind::time_ratio: {
        const double a = row.before->fit_seconds, b = row.after->fit_seconds;
        if (a > 0 && holds(b / a, c.op, c.threshold))
          out.push_back(fmt::format("time x{:.3g} {} {}", b / a, c.op, c.threshold));
        break;
      }
      case FailCondition::Kind::agreement:
        if (std::isfinite(row.agreement.ari) && holds(row.agreement.ari, c.op, c.threshold))
          out.push_back(fmt::format("agreement {:.4g} {} {}", row.agreement.ari, c.op, c.threshold));
        break;
      case FailCondition::Kind::missing: break;
    }
  }
  return out;
}

std::vector<DiffRow> offending_rows(std::vector<DiffRow> rows, const std::vector<FailCondition>& conditions) {
  std::vector<DiffRow> out;
  for (auto& row : rows) {
    row.violations = violations(row, conditions);
    if (!row.violations.empty()) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace cb::report
