#include "clusterbench/report/metric_catalog.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace cb::report {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr auto kHigher = Direction::higher_is_better;
constexpr auto kLower = Direction::lower_is_better;
constexpr auto kExact = Computation::exact;
constexpr auto kSampled = Computation::sampled_above_budget;

/// Run fields that are not in the scores or values maps.
const std::vector<std::string> kRunFields{"k", "k_found", "fit_seconds", "score_seconds"};

}  // namespace

const std::vector<MetricDescriptor>& metric_catalog() {
  static const std::vector<MetricDescriptor> table{
      {"silhouette", kHigher, -1, 1, kSampled, "mean silhouette in the run's own space"},
      {"silhouette_ref", kHigher, -1, 1, kSampled, "mean silhouette in the reference (preprocessed feature) space"},
      {"calinski_harabasz", kHigher, 0, kInf, kExact, "between- over within-cluster dispersion (own space)"},
      {"davies_bouldin", kLower, 0, kInf, kExact, "mean worst-case cluster similarity (own space)"},
      {"dbcv", kHigher, -1, 1, kExact, "density-based clustering validation (DBSCAN runs, up to 10,000 points)"},
      {"ari", kHigher, -1, 1, kExact, "adjusted Rand index against the reference labels"},
      {"stability", kHigher, -1, 1, kExact,
       "mean ARI between refits on subsamples and the run's labels there (config stability:, noise one more group)"},
      {"stability_sd", kLower, 0, 1, kExact, "standard deviation of those ARIs over the subsamples"},
      {"noise_fraction", kLower, 0, 1, kExact, "share of points labelled noise"},
      {"min_cluster_share", kHigher, 0, 1, kExact, "smallest cluster's share of the points"},
      {"inertia", kLower, 0, kInf, kExact, "K-Means within-cluster sum of squares"},
      {"bic", kLower, -kInf, kInf, kExact, "GMM Bayesian information criterion"},
      {"aic", kLower, -kInf, kInf, kExact, "GMM Akaike information criterion"},
      {"log_likelihood", kHigher, -kInf, kInf, kExact, "GMM mean log-likelihood per point"},
      {"fit_seconds", kLower, 0, kInf, kExact, "wall time of the fit"},
      {"score_seconds", kLower, 0, kInf, kExact, "wall time of the scoring (share of the space's pass)"},
  };
  return table;
}

const MetricDescriptor* find_metric(const std::string& name) {
  const auto& table = metric_catalog();
  const auto it = std::find_if(table.begin(), table.end(), [&](const MetricDescriptor& m) { return m.name == name; });
  return it == table.end() ? nullptr : &*it;
}

bool lower_is_better(const std::string& name) {
  const auto* metric = find_metric(name);
  return metric && metric->direction == Direction::lower_is_better;
}

std::string metric_names() {
  std::vector<std::string> names;
  for (const auto& m : metric_catalog()) names.push_back(m.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

double run_value(const records::RunRecord& run, const std::string& column) {
  if (const auto it = run.scores.find(column); it != run.scores.end()) return it->second;
  if (const auto it = run.values.find(column); it != run.values.end()) return it->second;
  if (column == "k") return run.k;
  if (column == "k_found") return run.k_found;
  if (column == "fit_seconds") return run.fit_seconds;
  if (column == "score_seconds") return run.score_seconds;
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<std::string> numeric_columns(const std::vector<records::RunRecord>& runs) {
  std::set<std::string> names(kRunFields.begin(), kRunFields.end());
  for (const auto& run : runs) {
    for (const auto& [name, value] : run.scores) names.insert(name);
    for (const auto& [name, value] : run.values) names.insert(name);
  }
  return {names.begin(), names.end()};
}

}  // namespace cb::report
