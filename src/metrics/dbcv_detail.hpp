#pragma once
// DBCV's all-points core distances, exposed to their tests (internal to the metrics layer).
#include <cstddef>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::metrics::detail {

/// Tiles of 256×256 point pairs whose partial sums are held at once (8 MiB).
inline constexpr std::size_t kCoreBandTiles = 2048;

/// The all-points core distance of every row of `points`, taken as one cluster. `band_tiles`
/// bounds the memory of the partial sums; neither it nor the thread count changes a bit.
std::vector<double> dbcv_core_distances(MatrixView points, const Executor& executor,
                                        std::size_t band_tiles = kCoreBandTiles);

}  // namespace cb::metrics::detail
