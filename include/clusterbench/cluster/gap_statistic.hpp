#pragma once
// The gap statistic (Tibshirani, Walther & Hastie 2001) for K-Means: how much
// tighter the clusters of the data are than those of structureless data.
// Reference sets are uniform in the data's PCA-aligned bounding box (the
// paper's method b); k is chosen by the 1-SE rule. Deterministic from the seed.
#include <cstdint>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

struct GapOptions {
  int references = 20;     ///< B, reference sets drawn
  std::uint64_t seed = 0;  ///< reference draws and their K-Means seedings derive from it
  KMeansOptions kmeans;    ///< how each reference set is clustered
};

struct GapPoint {
  int k = 0;
  double log_w = 0;           ///< log W_k of the data
  double expected_log_w = 0;  ///< mean over the B reference sets of log W*_k
  double sd = 0;              ///< their standard deviation (divisor B, as the paper)
  double s = 0;               ///< sd · sqrt(1 + 1/B): the simulation error the 1-SE rule uses
  double gap = 0;             ///< expected_log_w − log_w
};

struct GapResult {
  std::vector<GapPoint> points;  ///< ascending k
  int chosen_k = 0;              ///< the paper's 1-SE rule (one_se_choice)
  int chosen_k_global = 0;       ///< 1-SE from the global maximum (global_se_choice)
  int references = 0;            ///< B used
  std::uint64_t seed = 0;
};

/// Tibshirani's W_k: the within-cluster sum of squared distances to each
/// cluster's mean (= K-Means inertia); noise labels (< 0) are left out.
double within_dispersion(MatrixView points, const Labels& labels);

/// Reference set `b` (0-based): as many points as the data, uniform in the box
/// spanned by the data's principal axes, mapped back to the data's coordinates.
Matrix gap_reference_set(MatrixView points, std::uint64_t seed, int b);

/// The paper's 1-SE rule: smallest k with Gap(k) ≥ Gap(k') − s(k'), k' the next k
/// listed; the largest k when none is. It stops at the first plateau: on data
/// whose gap is as flat from k = 1 to 2 as FCPS hepta's it answers 1.
int one_se_choice(const std::vector<GapPoint>& points);

/// 1-SE from the global maximum (Dudoit & Fridlyand 2002; R clusGap "globalSEmax"):
/// smallest k with Gap(k) ≥ Gap(k*) − s(k*), k* the k of the largest gap.
int global_se_choice(const std::vector<GapPoint>& points);

/// The gap for each of `ks` (ascending, k ≥ 1; k = 1 needs no labels), with the
/// data's clustering for k given as `data_labels[i]` (empty for k = 1).
GapResult gap_statistic(MatrixView points, const std::vector<int>& ks, const std::vector<Labels>& data_labels,
                        const GapOptions& options, const Executor& executor);

}  // namespace cb::cluster
