#pragma once
// One table of every number a run carries that rank, diff, select and the report
// compare: its direction, range and whether it may be estimated on a sample.
// Readers ask this table instead of testing names such as "davies_bouldin".
#include <limits>
#include <string>
#include <vector>

#include "clusterbench/records/results.hpp"

namespace cb::report {

enum class Direction { higher_is_better, lower_is_better };
enum class Computation { exact, sampled_above_budget };  ///< sampled: above scoring.exact_up_to points

struct MetricDescriptor {
  std::string name;  ///< key in RunRecord::scores / values, or a run field (k, fit_seconds)
  Direction direction = Direction::higher_is_better;
  double min = -std::numeric_limits<double>::infinity();  ///< range of possible values
  double max = std::numeric_limits<double>::infinity();
  Computation computation = Computation::exact;
  std::string meaning;  ///< one line for --help and the README
};

/// Every known metric, in display order.
const std::vector<MetricDescriptor>& metric_catalog();
/// The descriptor of `name`, or null for a column the table does not know.
const MetricDescriptor* find_metric(const std::string& name);
/// Lower is better for `name` (false for unknown columns: they rank highest first).
bool lower_is_better(const std::string& name);
/// Names of the catalog's metrics, comma-separated (for error messages).
std::string metric_names();

/// A run's value of a column: a score, an algorithm value (inertia, bic, ...), k,
/// k_found, fit_seconds or score_seconds; NaN when the run does not have it.
double run_value(const records::RunRecord& run, const std::string& column);

/// Every numeric column some run of `runs` has (scores, values, and the run fields), sorted.
std::vector<std::string> numeric_columns(const std::vector<records::RunRecord>& runs);

}  // namespace cb::report
