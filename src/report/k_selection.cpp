#include "clusterbench/report/k_selection.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/report/knee.hpp"
#include "clusterbench/report/metric_catalog.hpp"

namespace cb::report {
namespace {

using Group = std::tuple<std::string, std::string, std::string>;  // space, algorithm, stored params

/// The k whose run has the best value of a catalog metric (0: no run has it).
int best_k(const std::vector<const records::RunRecord*>& runs, const std::string& metric) {
  const bool lower = lower_is_better(metric);
  int k = 0;
  double best = std::nan("");
  for (const auto* run : runs) {
    const double v = run_value(*run, metric);
    if (!std::isfinite(v)) continue;
    if (std::isnan(best) || (lower ? v < best : v > best)) {
      best = v;
      k = run->k;
    }
  }
  return k;
}

const records::SpaceRecord* space_of(const records::GridResult& result, const std::string& label) {
  for (const auto& s : result.spaces)
    if (s.label == label) return &s;
  return nullptr;
}

/// Inertia as stored (K-Means), else W_k from the labels and the space's points.
std::vector<double> dispersion_curve(const std::vector<const records::RunRecord*>& runs,
                                     const records::SpaceRecord* space) {
  std::vector<double> w;
  for (const auto* run : runs) {
    if (const auto it = run->values.find("inertia"); it != run->values.end()) w.push_back(it->second);
    else if (space && space->points.rows() == static_cast<Index>(run->labels.size()))
      w.push_back(cluster::within_dispersion(space->points, run->labels));
    else return {};
  }
  return w;
}

std::optional<cluster::GapResult> gap_of(const records::GridResult& result,
                                         const std::vector<const records::RunRecord*>& runs,
                                         const records::SpaceRecord* space, const SelectOptions& options,
                                         const Executor& executor) {
  if (options.gap_references == 0 || runs.empty() || runs.front()->algorithm != "kmeans" || !space ||
      space->points.rows() == 0)
    return std::nullopt;
  std::vector<int> ks{1};  // k = 1 lets the rule say "no cluster structure"
  std::vector<Labels> labels{{}};
  for (const auto* run : runs) {
    if (run->k == 1) continue;
    ks.push_back(run->k);
    labels.push_back(run->labels);
  }
  cluster::GapOptions gap;
  gap.references = options.gap_references;
  gap.seed = derive_seed(result.provenance.seed, fmt::format("select/gap/{}/{}", space->label, runs.front()->params));
  const auto params = nlohmann::json::parse(runs.front()->params.empty() ? "{}" : runs.front()->params);
  if (params.contains("n_init"))
    gap.kmeans.n_init = params.at("n_init").get<int>();  // the references as the data were fitted
  return cluster::gap_statistic(space->points, ks, labels, gap, executor);
}

}  // namespace

const std::vector<std::string>& selection_criteria() {
  static const std::vector<std::string> names{
      "silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin", "dbcv", "elbow", "bic",
      "gap",        "gap_global",     "stability"};
  return names;
}

std::vector<KSelection> select_k(const records::GridResult& result, const SelectOptions& options,
                                 const Executor& executor) {
  std::map<Group, std::map<int, const records::RunRecord*>> groups;
  for (const auto& run : result.runs) {
    if (run.status != "ok" || run.k_found != run.k || run.labels.empty()) continue;
    groups[{run.space, run.algorithm, run.params}].emplace(run.k, &run);  // first run of a k wins
  }
  std::vector<KSelection> out;
  for (const auto& [group, by_k] : groups) {
    std::vector<const records::RunRecord*> runs;
    for (const auto& [k, run] : by_k) runs.push_back(run);
    KSelection row;
    std::tie(row.space, row.algorithm, std::ignore) = group;
    row.params = compact_params(*runs.front(), options.defaults);
    for (const auto* run : runs) row.ks.push_back(run->k);
    const auto* space = space_of(result, row.space);
    row.gap = gap_of(result, runs, space, options, executor);
    for (const auto& criterion : selection_criteria()) {
      if (criterion == "elbow") row.chosen.push_back(knee_by_chord(row.ks, dispersion_curve(runs, space)));
      else if (criterion == "gap") row.chosen.push_back(row.gap ? row.gap->chosen_k : 0);
      else if (criterion == "gap_global") row.chosen.push_back(row.gap ? row.gap->chosen_k_global : 0);
      else row.chosen.push_back(best_k(runs, criterion));
    }
    std::map<int, int> votes;
    for (const int k : row.chosen)
      if (k > 0) ++votes[k];
    for (const auto& [k, n] : votes)
      if (n > (row.consensus_k ? votes[row.consensus_k] : 0)) row.consensus_k = k;
    for (std::size_t i = 0; i < row.chosen.size(); ++i)
      if (row.consensus_k && row.chosen[i] == row.consensus_k) row.agreeing.push_back(selection_criteria()[i]);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace cb::report
