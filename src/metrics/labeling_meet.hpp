#pragma once
// Groups of labelings scored through their meet (coarsest common refinement).
//
// The silhouette needs, per point, its sum of distances to every cluster of
// every labeling. Within a group, a point's sum to a cluster of any member
// labeling is the total of its sums to the meet's cells inside that cluster.
// So one pass over the distances that fills the meet's cells serves every
// member: the K-Means runs of one space for k = 2..11 share a meet of a few
// hundred cells, a hierarchy's cuts share the cells of its finest cut. The
// pass costs one add per pair and group instead of one per pair and labeling;
// the cells are then folded into each member's clusters per point (m adds per
// member). Exact integer sums (distance_kernel.hpp) make the result the same
// bits whichever labelings share a group.
#include <cstdint>
#include <vector>

#include "clusterbench/core/matrix.hpp"
#include "label_encoding.hpp"

namespace cb::metrics::detail {

struct MeetGroup {
  std::vector<Index> members;  ///< indices of the labelings scored through this meet, in input order
  std::vector<Label> cells;    ///< per point: its cell 0..cell_count-1, or kNoise where every member calls it noise
  Index cell_count = 0;
  /// Per member: cell -> that member's (encoded) cluster, or kNoise.
  std::vector<std::vector<Label>> cluster_of_cell;
};

struct MeetLimits {
  Index max_cells = 1024;  ///< cells per group of two or more labelings (each cell costs n sums of memory)
};

/// Splits the labelings `scored` (indices into `encoded`, all over the same n
/// points) into consecutive groups of least estimated cost: per point, a
/// group costs one pass (n adds) plus cells × (members + 1) for its cells'
/// sums and their folding (dynamic programming over the O(L²) consecutive
/// runs, each run's meet grown one labeling at a time). Deterministic.
std::vector<MeetGroup> group_by_meet(const std::vector<EncodedLabels>& encoded, const std::vector<Index>& scored,
                                     const MeetLimits& limits);

}  // namespace cb::metrics::detail
