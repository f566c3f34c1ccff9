#pragma once
// Principal component analysis. The fitted model (mean, components) maps new
// points into the same space. Route by shape: for n ≥ d the d×d covariance is
// accumulated over fixed row chunks (deterministic at any thread count) and
// eigen-decomposed; otherwise the centred data is decomposed by SVD.
#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::embed {

enum class PcaSolver {
  automatic,   ///< covariance when n ≥ d, SVD otherwise
  covariance,  ///< eigen-decomposition of the d×d covariance
  svd,         ///< thin SVD of the centred n×d data
};
/// Config and stored names of PcaSolver.
inline constexpr EnumName<PcaSolver> kPcaSolverNames[] = {
    {"automatic", PcaSolver::automatic}, {"covariance", PcaSolver::covariance}, {"svd", PcaSolver::svd}};

struct PcaOptions {
  Index n_components = 2;                   ///< output dimensions (≤ min(n, d))
  bool whiten = false;                      ///< divide each output by sqrt(explained variance)
  PcaSolver solver = PcaSolver::automatic;  ///< decomposition route
};

/// A fitted PCA. Component signs are fixed so each component's largest-magnitude entry is positive.
struct PcaModel {
  Vector mean;                      ///< per-feature mean subtracted before projecting
  Matrix components;                ///< n_components × d, orthonormal rows, by decreasing variance
  Vector explained_variance;        ///< per component, with the n-1 denominator (as scikit-learn)
  Vector explained_variance_ratio;  ///< explained_variance / total variance
  Vector singular_values;           ///< sqrt(explained_variance · (n-1))
  double total_variance = 0;        ///< sum of all d feature variances
  bool whiten = false;              ///< transform divides by sqrt(explained variance)

  /// Projects points (rows, d columns) onto the components.
  Matrix transform(MatrixView points, const Executor& executor) const;
};

/// Fits PCA. Throws InputError when the data is empty, has fewer than 2 rows or
/// n_components is outside 1..min(n, d).
PcaModel fit_pca(MatrixView points, const PcaOptions& options, const Executor& executor);

/// Fit and transform in one call.
Matrix pca_embedding(MatrixView points, const PcaOptions& options, const Executor& executor);

}  // namespace cb::embed
