#include "clusterbench/metrics/partition_stability.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/metrics/scores.hpp"

namespace cb::metrics {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t clusters_in(const Labels& labels) {
  Label top = -1;
  for (const Label l : labels) top = std::max(top, l);
  return static_cast<std::size_t>(top + 1);
}
}  // namespace

SubsampleAgreement compare_on_subsample(const Labels& full, std::span<const Index> rows, const Labels& refit) {
  if (rows.size() != refit.size())
    throw InputError("compare_on_subsample: " + std::to_string(rows.size()) + " rows but " +
                     std::to_string(refit.size()) + " refit labels");
  Labels restricted(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < 0 || static_cast<std::size_t>(rows[i]) >= full.size())
      throw InputError("compare_on_subsample: row " + std::to_string(rows[i]) + " outside the partition");
    restricted[i] = full[static_cast<std::size_t>(rows[i])];
  }
  SubsampleAgreement out;
  out.ari = adjusted_rand_index(restricted, refit);

  // Contingency of full clusters (rows) × refit clusters (columns), noise left out of both.
  const std::size_t full_clusters = clusters_in(full), refit_clusters = clusters_in(refit);
  std::vector<std::int64_t> table(full_clusters * refit_clusters, 0), full_size(full_clusters, 0),
      refit_size(refit_clusters, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (restricted[i] >= 0) ++full_size[static_cast<std::size_t>(restricted[i])];
    if (refit[i] >= 0) ++refit_size[static_cast<std::size_t>(refit[i])];
    if (restricted[i] >= 0 && refit[i] >= 0)
      ++table[static_cast<std::size_t>(restricted[i]) * refit_clusters + static_cast<std::size_t>(refit[i])];
  }
  out.cluster_jaccard.assign(full_clusters, kNaN);
  for (std::size_t c = 0; c < full_clusters; ++c) {
    if (full_size[c] == 0) continue;
    double best = 0;
    for (std::size_t d = 0; d < refit_clusters; ++d) {
      const auto both = table[c * refit_clusters + d];
      if (both == 0) continue;
      best = std::max(best, static_cast<double>(both) / static_cast<double>(full_size[c] + refit_size[d] - both));
    }
    out.cluster_jaccard[c] = best;
  }
  return out;
}

StabilitySummary summarize_stability(std::span<const SubsampleAgreement> resamples, std::size_t clusters) {
  StabilitySummary out;
  const auto n = static_cast<double>(resamples.size());
  double sum = 0;
  for (const auto& r : resamples) sum += r.ari;
  out.ari_mean = resamples.empty() ? kNaN : sum / n;
  double squares = 0;
  for (const auto& r : resamples) squares += (r.ari - out.ari_mean) * (r.ari - out.ari_mean);
  out.ari_sd = resamples.size() < 2 ? kNaN : std::sqrt(squares / (n - 1));
  out.cluster_jaccard.assign(clusters, kNaN);
  for (std::size_t c = 0; c < clusters; ++c) {
    double total = 0;
    int present = 0;
    for (const auto& r : resamples)
      if (c < r.cluster_jaccard.size() && !std::isnan(r.cluster_jaccard[c])) {
        total += r.cluster_jaccard[c];
        ++present;
      }
    if (present > 0) out.cluster_jaccard[c] = total / present;
  }
  return out;
}

}  // namespace cb::metrics
