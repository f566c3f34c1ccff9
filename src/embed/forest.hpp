#pragma once
// Internal: forests whose leaves describe points (see trees.hpp).
#include <cstdint>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/embed/trees.hpp"

namespace cb::embed::detail {

struct ForestLeaves {
  neighbors::IndexMatrix leaves;          ///< n × trees
  std::vector<std::int32_t> leaf_counts;  ///< per tree
  double oob_r2 = 0;                      ///< supervised only
  Index oob_points = 0;                   ///< supervised only
};

/// features: n × d' matrix the trees split on; target: empty for random trees.
ForestLeaves grow_forest(MatrixView features, const Vector& target, const TreeEmbeddingOptions& options,
                         std::uint64_t seed, const Executor& executor);

}  // namespace cb::embed::detail
