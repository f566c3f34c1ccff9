#pragma once
// What a grid produces: one record per run, one per space, and provenance.
// A leaf module: the grid fills these, the store persists them and the report
// reads them back, so neither store nor report depends on the grid runner.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/rfm/cleaning.hpp"
#include "clusterbench/rfm/profiles.hpp"

namespace cb::records {

/// The business meaning of one run's clusters (transactions datasets only):
/// the customer profile per cluster and the cluster x RFM-segment counts.
struct RunProfile {
  rfm::Profile clusters;       ///< one row per cluster 0..k-1, then "noise" when present
  rfm::CrossTable by_segment;  ///< rows = the profile's groups, columns = the segments
};

/// How much a run's partition survives refits on subsamples (config section
/// `stability:`): clusterboot-style resampling without replacement.
struct RunStability {
  int resamples = 0;    ///< subsamples refitted
  double fraction = 0;  ///< share of the points in each subsample
  double ari_mean =
      0;  ///< mean ARI between a refit's labels and the run's labels on the subsample (noise one more group)
  double ari_sd = 0;  ///< standard deviation of those ARIs (n − 1 denominator; NaN for one resample)
  std::vector<double> cluster_jaccard;  ///< per cluster 0..k−1 of the run: mean over resamples of its best Jaccard with
                                        ///< a refit's cluster (NaN: never in a subsample)
};

struct RunRecord {
  std::string key;            ///< hash of everything that determines the result
  std::string space;          ///< space label
  std::string algorithm;      ///< registry name
  std::string params;         ///< resolved parameters as canonical JSON
  int k = 0;                  ///< k asked
  int k_found = 0;            ///< distinct non-noise labels found
  std::uint64_t seed = 0;     ///< seed of the run's family
  std::string status = "ok";  ///< ok, not_converged, fewer_than_2_clusters, ..., failed
  std::string message;        ///< detail for a non-ok status
  std::map<std::string, double>
      scores;  ///< silhouette, silhouette_ref, calinski_harabasz, davies_bouldin, ari, noise_fraction
  std::map<std::string, double> values;  ///< algorithm-specific numbers (inertia, log_likelihood, eps, ...)
  double fit_seconds = 0;
  double score_seconds = 0;
  Labels labels;                         ///< one per point (empty for a failed run)
  std::map<std::string, Matrix> arrays;  ///< fitted model arrays (centroids, ...)
  std::optional<RunProfile> profile;     ///< set for runs with labels on a transactions dataset
  std::vector<std::int64_t>
      cluster_sizes;  ///< points in clusters 0..k_found-1 (noise excluded); score min_cluster_share = smallest / n
  std::optional<RunStability>
      stability;       ///< set when the grid measured it; mirrored as scores stability and stability_sd
  bool scored = true;  ///< false while a fit waits in the journal for its space's scoring pass
};

struct SpaceRecord {
  std::string key;     ///< hash of everything that determines the points (data, prep, params, seed, version)
  std::string label;   ///< unique label in the grid
  std::string name;    ///< registry name
  std::string params;  ///< resolved parameters as JSON
  Matrix points;       ///< n × d' coordinates
  std::map<std::string, double> values;  ///< quality and diagnostics
  std::map<std::string, Matrix> arrays;
  double seconds = 0;
};

struct Provenance {
  int schema_version = 0;  ///< layout version of the file it was read from (0: not read from a file)
  std::string config_path;
  std::string config_text;
  std::string data_digest;  ///< hash of ids, columns and values of the input
  std::string program_version;
  std::string git_commit;
  int threads = 0;
  std::uint64_t seed = 0;
  std::string started_utc;
  std::string finished_utc;
  std::string grid_name;
  std::string shard;  ///< "i/N" for part i of N of a sharded grid (`run --shard`); empty: the whole grid
};

/// The customers of a `transactions` dataset, row for row with GridResult::data:
/// what run profiles are computed from, kept whatever features were clustered on.
struct CustomerSegments {
  Dataset rfm;                             ///< ids = customer ids; columns recency, frequency, monetary
  rfm::RfmScores scores;                   ///< R, F, M scores per customer
  std::vector<std::string> segment_names;  ///< the segment table's segments (rules' order, then the default)
  Labels segment;                          ///< per customer: index into segment_names
  std::string segment_table;               ///< the table's name
  int bins = 5;                            ///< score levels
  std::string ties;                        ///< tie policy name
};

/// Which runs may lead the leaderboard (config section `leaderboard:`). Ineligible
/// runs keep their scores and are listed after the eligible ones with the reason.
struct LeaderboardPolicy {
  double min_cluster_share = 0.01;  ///< smallest cluster at least this share of the points (else tiny_cluster)
  double max_noise_share = 0.05;    ///< noise at most this share (else mostly_noise)
  double min_silhouette_ref = 0.0;  ///< reference-space silhouette at least this (else worse_than_random_in_features)
  std::string rank_by =
      "silhouette_ref";  ///< the score that orders the leaderboard (silhouette when the grid has no reference scores)
};

/// Points per cluster 0..max label; noise (negative labels) excluded.
inline std::vector<std::int64_t> cluster_sizes_of(const Labels& labels) {
  std::vector<std::int64_t> sizes;
  for (const Label l : labels) {
    if (l < 0) continue;
    if (static_cast<std::size_t>(l) >= sizes.size()) sizes.resize(static_cast<std::size_t>(l) + 1, 0);
    ++sizes[static_cast<std::size_t>(l)];
  }
  return sizes;
}

/// Sets a run's cluster sizes and min_cluster_share score from its labels (no-op without labels).
inline void set_cluster_sizes(RunRecord& run) {
  if (run.labels.empty()) return;
  run.cluster_sizes = cluster_sizes_of(run.labels);
  std::int64_t smallest = 0;
  for (const auto s : run.cluster_sizes)
    if (s > 0 && (smallest == 0 || s < smallest)) smallest = s;
  run.scores["min_cluster_share"] = static_cast<double>(smallest) / static_cast<double>(run.labels.size());
}

/// Sets a run's stability and its scores `stability` (mean ARI) and `stability_sd`.
inline void set_stability(RunRecord& run, RunStability stability) {
  run.scores["stability"] = stability.ari_mean;
  run.scores["stability_sd"] = stability.ari_sd;
  run.stability = std::move(stability);
}

struct GridResult {
  Provenance provenance;
  LeaderboardPolicy leaderboard;  ///< the config's leaderboard section (defaults when it has none)
  Dataset data;                   ///< the input table (raw features, ids, reference labels)
  Matrix reference;               ///< preprocessed features: the common reference space
  std::vector<SpaceRecord> spaces;
  std::vector<RunRecord> runs;                ///< in plan order
  std::optional<CustomerSegments> customers;  ///< set for a transactions dataset
  std::optional<rfm::CleaningReport>
      cleaning;                       ///< transactions dataset: what cleaning removed from the log, rule by rule
  std::optional<int> gap_references;  ///< the config's selection.gap_references: B for `select` and the report when no
                                      ///< flag says otherwise
};

}  // namespace cb::records
