#pragma once
// `diff --fail-on`: the conditions under which a CI job should fail.
//
//   fail-on   := condition ("," condition)*
//   condition := METRIC OP NUMBER | "time" OP NUMBER | "agreement" OP NUMBER | "missing"
//   OP        := "<" | "<=" | ">" | ">="
//
// METRIC (any name of the metric catalog) compares the change B − A of that score:
// `silhouette<-0.01` fails a run whose silhouette dropped by more than 0.01, and
// also a run that had the score in A and lost it in B. `time` compares the ratio
// of fit seconds B / A (`time>1.25`: 25 % slower). `agreement` compares the
// adjusted Rand index between the two runs' labels (`agreement<1`: any other
// partition). `missing` fails a run of A that B does not have.
#include <string>
#include <vector>

#include "clusterbench/report/diff.hpp"

namespace cb::report {

struct FailCondition {
  enum class Kind { delta, time_ratio, agreement, missing };
  Kind kind = Kind::delta;
  std::string metric;  ///< catalog name for Kind::delta
  std::string op;      ///< <, <=, >, >=
  double threshold = 0;
  std::string text;  ///< as written, for the report
};

/// Parses the grammar above; throws InputError naming the condition and, for an
/// unknown name, listing the valid ones.
std::vector<FailCondition> parse_fail_on(const std::string& text);

/// The conditions a matched (or missing) run violates, each as "silhouette -0.0312 < -0.01".
std::vector<std::string> violations(const DiffRow& row, const std::vector<FailCondition>& conditions);

/// The rows that violate at least one condition, each with its violations filled in.
std::vector<DiffRow> offending_rows(std::vector<DiffRow> rows, const std::vector<FailCondition>& conditions);

}  // namespace cb::report
