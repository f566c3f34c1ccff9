#pragma once
// DBSCAN with scikit-learn's semantics, and a target-k mode for the grid.
//
// Semantics (as sklearn.cluster.DBSCAN): a core point has at least min_samples
// points (itself included) within distance ≤ eps; clusters are the connected
// components of core points, numbered in order of their first core point; a
// non-core point within eps of a core point joins the lowest-numbered such
// cluster (the one sklearn's expansion in point order reaches first); the rest
// is noise (kNoise). Neighbourhoods come from a cell grid of side eps/√d in 1 to
// 3 dimensions (a full cell is all core with no distance work) or a kd-tree,
// one cell or point at a time, so memory stays O(n) — never all neighbourhoods at once.
//
// Target-k: core distances (distance to the min_samples-th nearest point) and a
// minimum spanning tree of mutual-reachability distances describe the DBSCAN
// clustering at every eps at once; from them the eps giving k clusters is found
// for each requested k without re-running DBSCAN per eps.
#include <cstdint>
#include <string_view>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

enum class DbscanStatus {
  ok,           ///< at least two clusters
  one_cluster,  ///< exactly one cluster (no score possible)
  all_noise,    ///< no core point: every point is noise
};
/// Config and stored names of DbscanStatus.
inline constexpr EnumName<DbscanStatus> kDbscanStatusNames[] = {
    {"ok", DbscanStatus::ok}, {"one_cluster", DbscanStatus::one_cluster}, {"all_noise", DbscanStatus::all_noise}};

/// Neighbour index for plain DBSCAN; both give the same labels.
enum class DbscanIndex {
  automatic,  ///< a cell grid in 1 to 3 dimensions when it fits the data, else a kd-tree
  kd_tree,    ///< always a kd-tree
};

struct DbscanOptions {
  double eps = 0.5;      ///< neighbourhood radius (Euclidean, inclusive)
  int min_samples = 5;   ///< points within eps (itself included) that make a core point
  Index leaf_size = 16;  ///< kd-tree leaf size
  DbscanIndex index = DbscanIndex::automatic;
};

struct DbscanResult {
  Labels labels;                           ///< cluster 0..clusters−1 per point, kNoise for noise
  std::vector<std::uint8_t> core;          ///< 1 for core points
  int clusters = 0;                        ///< number of clusters found
  Index noise_points = 0;                  ///< points labelled kNoise
  double noise_fraction = 0.0;             ///< noise_points / n
  DbscanStatus status = DbscanStatus::ok;  ///< outcome (fewer than 2 clusters is not an error)
};

/// Throws InputError for empty data, eps < 0 or not finite, or min_samples < 1.
DbscanResult dbscan(MatrixView points, const DbscanOptions& options, const Executor& executor);

/// The structure shared by every eps for one (data, min_samples).
struct DbscanHierarchy {
  struct Edge {
    Index a, b;
    double weight2;  ///< squared mutual-reachability distance max(core2[a], core2[b], ‖a−b‖²)
  };
  int min_samples = 5;
  std::vector<double> core_distance2;  ///< squared distance to the min_samples-th nearest point (itself included)
  std::vector<Edge> mst;               ///< n−1 edges of the minimum spanning tree, ascending by weight
};

struct DbscanTargetOptions {
  int min_samples = 5;   ///< as DbscanOptions::min_samples
  Index leaf_size = 16;  ///< kd-tree leaf size
};

struct DbscanTargetResult {
  int k_requested = 0;  ///< the k asked for
  double eps = 0.0;     ///< chosen eps: middle of the eps interval giving that count with the fewest non-core points
                        ///< (widest on ties)
  int clusters = 0;     ///< clusters at eps (== k_requested when exact)
  bool exact = false;   ///< some eps gives exactly k_requested clusters
  double noise_fraction = 0;  ///< share of noise points at eps
  DbscanResult result;        ///< the full clustering at eps (identical to dbscan() at that eps)
};

/// Builds core distances and the mutual-reachability MST (Borůvka on a kd-tree, O(n) memory).
DbscanHierarchy dbscan_hierarchy(MatrixView points, const DbscanTargetOptions& options, const Executor& executor);

/// Number of clusters DBSCAN finds at eps, from the hierarchy alone.
int dbscan_cluster_count(const DbscanHierarchy& hierarchy, double eps);

/// The DBSCAN clustering at eps from the hierarchy (border points via the kd-tree);
/// equal to dbscan(points, {eps, min_samples}).
DbscanResult dbscan_from_hierarchy(MatrixView points, const DbscanHierarchy& hierarchy, double eps,
                                   const Executor& executor, Index leaf_size = 16);

/// For each k: an eps giving exactly k clusters if one exists, else the eps giving
/// the closest count (the larger on ties). Among eps intervals with that count it
/// takes the one with the fewest non-core points (the largest eps: least noise),
/// the widest on ties, and returns its midpoint.
/// Throws InputError for empty data, min_samples < 1 or k < 1.
std::vector<DbscanTargetResult> dbscan_for_cluster_counts(MatrixView points, const std::vector<int>& ks,
                                                          const DbscanTargetOptions& options, const Executor& executor);

inline std::string_view dbscan_status_name(DbscanStatus status) { return name_of(kDbscanStatusNames, status); }

}  // namespace cb::cluster
