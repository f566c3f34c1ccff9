#pragma once
// The grid knows algorithms and spaces only through these registries. Each
// entry declares its parameters once and provides one function that fits
// every k of a (space, parameter set) at once, so work is shared across k.
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/grid/params.hpp"

namespace cb::grid {

/// Outcome of one run (one k). `status` is "ok" or an expected outcome such as
/// "not_converged", "fewer_than_2_clusters", "degenerate"; errors are "failed".
struct RunOutcome {
  int k = 0;                             ///< k asked
  Labels labels;                         ///< one label per point (kNoise allowed)
  std::string status = "ok";             ///< "ok" or an expected-outcome status
  std::string message;                   ///< human-readable detail for a non-ok status
  std::map<std::string, double> values;  ///< algorithm-specific numbers (inertia, log_likelihood, bic, eps, ...)
  double fit_seconds = 0;                ///< time attributable to this k (shared work split evenly)
  std::map<std::string, Matrix> arrays;  ///< fitted model arrays worth storing (centroids, means, merge table)
};

/// What an algorithm family is asked to do.
struct FamilyRequest {
  MatrixView data;           ///< points of the space (n × d)
  const Json& params;        ///< resolved parameters (every declared key present)
  std::span<const int> ks;   ///< the k values to produce, ascending
  std::uint64_t seed;        ///< seed of this family (derived from the global seed and its identity)
  const Executor& executor;  ///< the one scheduler
  /// Hands over one finished k early (so it is scored and journaled at once);
  /// an algorithm may instead return all outcomes at the end. Thread-safe.
  std::function<void(RunOutcome&&)> emit;
};

/// What a step's cost is estimated from (`clusterbench plan` and the scheduler), before anything runs.
struct CostQuery {
  Index points = 0;              ///< n
  Index dims = 0;                ///< columns the step reads: the features (space) or the space's dimensions (algorithm)
  const Json& params;            ///< resolved parameters
  std::span<const int> ks = {};  ///< algorithms: the k asked
  Index trustworthiness_sample = 0;  ///< spaces: 0 = exact trustworthiness, else its sample size
};

/// A step's estimated cost: CPU time on one core of the reference machine
/// (docs/plan.md: 2-core AVX-512 server) and working memory above the grid's data.
struct StepCost {
  double cpu_seconds = 0;     ///< summed over threads
  double peak_bytes = 0;      ///< working memory while the step runs, its output included
  Index output_dims = 0;      ///< spaces: dimensions of the points
  std::string method;         ///< what will run, e.g. "exact", "fft", "distance_matrix"
  bool approximated = false;  ///< a stated approximation replaces the exact step
};
using CostEstimator = std::function<StepCost(const CostQuery&)>;

struct AlgorithmEntry {
  std::string name{};               ///< config name, e.g. "kmeans"
  std::string summary{};            ///< one line for --help
  std::vector<ParamSpec> params{};  ///< declared parameters
  bool uses_k = true;               ///< false for algorithms that find k themselves
  bool density_based = false;       ///< clusters are dense regions with noise between: scored by DBCV too
  /// Fits all requested k; every k is either emitted or returned (any order).
  std::function<std::vector<RunOutcome>(const FamilyRequest&)> fit_all_k{};
  CostEstimator estimate{};  ///< cost of one family (all k asked)
};

/// An embedding space computed once per grid from the preprocessed features.
struct SpaceResult {
  Matrix points;                         ///< n × d' coordinates
  std::map<std::string, double> values;  ///< quality and diagnostics (trustworthiness, kl_divergence, ...)
  std::map<std::string, Matrix> arrays;  ///< model arrays worth storing (components, explained variance)
};

/// What a space reads from outside the features (an external embedding file),
/// loaded and checked before any run starts.
struct SpaceInput {
  Matrix points;                         ///< n × d' coordinates in the dataset's row order
  std::string digest;                    ///< digest of the input's content; enters the run keys
  Json details = Json::object();         ///< stored with the space's params (digest, columns used, ...)
  std::map<std::string, double> values;  ///< diagnostics stored with the space (rows ignored, ...)
};

struct SpaceInputRequest {
  const Json& params;                   ///< resolved parameters
  const std::vector<std::string>& ids;  ///< the dataset's point ids, in row order
  const std::string& where;             ///< "config.yaml:12: spaces[label]", to prefix messages
};

struct SpaceRequest {
  MatrixView features;  ///< preprocessed features (the common reference space)
  const Json& params;
  std::uint64_t seed;
  const Executor& executor;
  const std::vector<std::string>& column_names;  ///< names of the feature columns (e.g. to find a supervised target)
  const SpaceInput* input = nullptr;             ///< what load_input returned, for spaces that have one
  Index trustworthiness_sample = 0;  ///< 0: exact trustworthiness; else estimated on this many sampled points
};

struct SpaceEntry {
  std::string name{};  ///< e.g. "pca"
  std::string summary{};
  std::vector<ParamSpec> params{};
  std::function<SpaceResult(const SpaceRequest&)> compute{};
  /// Optional, for spaces read from files: loads and checks the input against the
  /// dataset; called for every such space before any run starts, so bad input fails early.
  std::function<SpaceInput(const SpaceInputRequest&)> load_input{};
  CostEstimator estimate{};  ///< cost of computing the space, trustworthiness included
};

/// Registries filled at start-up by register_builtin_*(); lookups return
/// nullptr for unknown names.
const AlgorithmEntry* find_algorithm(const std::string& name);
const SpaceEntry* find_space(const std::string& name);
std::vector<const AlgorithmEntry*> all_algorithms();
std::vector<const SpaceEntry*> all_spaces();

}  // namespace cb::grid
