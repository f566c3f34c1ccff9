#pragma once
// A grid configuration: what data, how it is preprocessed, which spaces and
// which algorithms × k to run. Parsed from YAML with every error naming the
// file, line and key.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/matrix.hpp"
#include "clusterbench/grid/params.hpp"
#include "clusterbench/prep/preprocess.hpp"
#include "clusterbench/records/results.hpp"

namespace cb::grid {

struct DatasetConfig {
  std::string type = "features";     ///< "features" (CSV), "benchmark" (whitespace .data + labels) or "transactions"
  std::string path;                  ///< data file; relative paths in a config file are resolved from its folder
  std::string labels;                ///< benchmark: labels file (optional)
  std::string id_column;             ///< features: id column (optional)
  std::string label_column;          ///< features: reference label column (optional)
  std::vector<std::string> columns;  ///< features: columns to cluster on (empty = all numeric)
  bool header = true;                ///< features: first line names the columns
  std::string delimiter = ",";       ///< features: field separator
  Json transactions;                 ///< transactions: schema, cleaning, snapshot, features (checked by the rfm layer)
};

struct PrepConfig {
  std::vector<std::string> log1p;  ///< column names to log1p
  prep::Scaling scaling = prep::Scaling::standard;
  bool drop_constant = false;  ///< drop constant columns instead of failing on them
};

struct SpaceConfig {
  std::string name;   ///< registry name: raw, pca, tsne, umap, tree
  std::string label;  ///< unique label in this grid (defaults to name)
  Json params;        ///< resolved parameters
  int line = 0;
};

struct AlgorithmConfig {
  std::string name;     ///< registry name: kmeans, gmm, hierarchical, dbscan
  std::vector<int> ks;  ///< ascending, unique
  Json params;          ///< resolved parameters
  int line = 0;         ///< where it was declared (for messages)
  int k_line = 0;
};

/// Where exact O(n²) steps give way to stated, recorded approximations.
struct ApproximationBudget {
  Index exact_up_to = 30000;  ///< exact silhouettes and trustworthiness up to this many points
  Index silhouette_sample =
      10000;  ///< above it: silhouettes of this many sampled points (exact per point), with a 95% interval
  Index trustworthiness_sample =
      2000;  ///< above it: trustworthiness over this many sampled points, with a 95% interval
  /// Whether a data set of n points is scored on samples.
  bool sampled(Index n) const { return n > exact_up_to; }
};

/// Config section `stability:`: every run with labels is refitted on seeded
/// subsamples and compared with its own labels there (src/grid/stability_step.cpp).
struct StabilityConfig {
  int resamples = 0;      ///< subsamples per run; 0 = no stability step
  double fraction = 0.8;  ///< share of the points drawn (without replacement) into each subsample
  bool enabled() const { return resamples > 0; }
};

struct GridConfig {
  std::string path;           ///< the config file
  std::string text;           ///< its full text (stored as provenance)
  std::string name = "grid";  ///< grid name
  std::uint64_t seed = 42;    ///< global seed; each run's seed derives from it and the run's identity
  int threads = 0;            ///< 0 = all cores
  std::string output;         ///< HDF5 result file (default results/<name>.h5)
  DatasetConfig dataset;
  PrepConfig prep;
  std::vector<SpaceConfig> spaces;
  std::vector<AlgorithmConfig> algorithms;
  bool score_reference_space = true;  ///< also score every run in the preprocessed feature space
  double max_noise_fraction = 0.5;  ///< runs labelling more points noise than this are not scored (status mostly_noise)
  ApproximationBudget
      approximation;  ///< scoring.exact_up_to, scoring.silhouette_sample, scoring.trustworthiness_sample
  records::LeaderboardPolicy leaderboard;  ///< which runs may lead the leaderboard, and by what (never enters run keys)
  StabilityConfig stability;  ///< stability.resamples, stability.fraction (never enters run keys: added to stored runs)
  std::optional<int> gap_references;  ///< selection.gap_references: the gap statistic's B for select and the report
};

/// Parses a YAML grid config. Throws ConfigError "file:line: key: problem".
GridConfig load_config(const std::string& path);
GridConfig parse_config(const std::string& text, const std::string& path);

}  // namespace cb::grid
