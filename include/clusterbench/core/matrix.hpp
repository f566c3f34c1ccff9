#pragma once
// Core data types shared by every layer: a dense row-major matrix of points
// (one row per point), views of it, and cluster labels.
#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace cb {

using Index = Eigen::Index;

/// Points as rows, features as columns; row-major so a point is contiguous.
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Read-only view of a Matrix (or a block of consecutive rows) without copying.
using MatrixView = Eigen::Ref<const Matrix>;
using Vector = Eigen::VectorXd;

/// Cluster label per point: 0..k-1 for clusters, kNoise for noise (DBSCAN).
using Label = std::int32_t;
using Labels = std::vector<Label>;
inline constexpr Label kNoise = -1;

}  // namespace cb
