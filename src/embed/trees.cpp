// Tree embedding: grow the forest, then reduce the one-hot leaf matrix.
// The leaf matrix X (n × L, one 1 per tree in each row) is never formed: X·v
// gathers one entry per tree, Xᵀ·u scatters into per-chunk buffers merged in
// chunk order. PCA of the centred X by subspace iteration with a seeded start.
#include "clusterbench/embed/trees.hpp"

#include <Eigen/QR>
#include <Eigen/SVD>

#include <cmath>
#include <limits>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "forest.hpp"

namespace cb::embed {
namespace {

constexpr std::size_t kGrain = 4096;

struct LeafMatrix {
  const neighbors::IndexMatrix& leaves;
  std::vector<Index> offset;  // first column of each tree's leaves
  Index columns = 0;
  Vector mean;  // column means (leaf frequencies)
};

// U = Xc·V  (n × p)
Eigen::MatrixXd times(const LeafMatrix& x, const Eigen::MatrixXd& v, const Executor& executor) {
  const Index n = x.leaves.rows(), trees = x.leaves.cols();
  const Eigen::RowVectorXd shift = x.mean.transpose() * v;
  Eigen::MatrixXd u(n, v.cols());
  executor.parallel_for(static_cast<std::size_t>(n), kGrain, [&](Range r) {
    for (std::size_t ii = r.begin; ii < r.end; ++ii) {
      const Index i = static_cast<Index>(ii);
      Eigen::RowVectorXd acc = -shift;
      for (Index t = 0; t < trees; ++t) acc += v.row(x.offset[t] + x.leaves(i, t));
      u.row(i) = acc;
    }
  });
  return u;
}

// V = Xcᵀ·U  (L × p)
Eigen::MatrixXd transpose_times(const LeafMatrix& x, const Eigen::MatrixXd& u, const Executor& executor) {
  const Index n = x.leaves.rows(), trees = x.leaves.cols(), p = u.cols();
  Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(x.columns, p);
  Eigen::MatrixXd v = executor.reduce(
      static_cast<std::size_t>(n), kGrain, zero,
      [&](Range r) -> Eigen::MatrixXd {
        Eigen::MatrixXd part = Eigen::MatrixXd::Zero(x.columns, p);
        for (std::size_t ii = r.begin; ii < r.end; ++ii) {
          const Index i = static_cast<Index>(ii);
          for (Index t = 0; t < trees; ++t) part.row(x.offset[t] + x.leaves(i, t)) += u.row(i);
        }
        return part;
      },
      [](Eigen::MatrixXd& acc, const Eigen::MatrixXd& part) { acc += part; });
  const Eigen::RowVectorXd colsum = u.colwise().sum();
  v -= x.mean * colsum;
  return v;
}

// Top `dims` principal-component scores of the centred leaf matrix.
Matrix leaf_pca(const LeafMatrix& x, Index dims, int iterations, std::uint64_t seed, const Executor& executor,
                Vector& ratio) {
  const Index n = x.leaves.rows();
  const Index p = std::min<Index>(dims + 8, std::min<Index>(x.columns, n));
  Rng rng(seed);
  Eigen::MatrixXd v(x.columns, p);
  for (Index i = 0; i < v.rows(); ++i)
    for (Index c = 0; c < p; ++c) v(i, c) = rng.normal();
  auto orthonormalise = [](Eigen::MatrixXd& m) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(m);
    m = qr.householderQ() * Eigen::MatrixXd::Identity(m.rows(), m.cols());
  };
  orthonormalise(v);
  for (int it = 0; it < iterations; ++it) {
    v = transpose_times(x, times(x, v, executor), executor);
    orthonormalise(v);
  }
  const Eigen::MatrixXd u = times(x, v, executor);  // n × p, = Xc·V
  Eigen::BDCSVD<Eigen::MatrixXd> svd(u, Eigen::ComputeThinU);
  const Index keep = std::min(dims, p);
  Matrix scores = svd.matrixU().leftCols(keep) * svd.singularValues().head(keep).asDiagonal();
  for (Index c = 0; c < keep; ++c) {  // sign: largest-magnitude score positive
    Index arg = 0;
    scores.col(c).cwiseAbs().maxCoeff(&arg);
    if (scores(arg, c) < 0) scores.col(c) *= -1.0;
  }
  // Total variance of Xc: Σ_columns mean·(1 - mean)·n/(n-1) for 0/1 columns.
  double total = 0;
  for (Index c = 0; c < x.columns; ++c) total += x.mean(c) * (1.0 - x.mean(c));
  total *= static_cast<double>(n);
  ratio = total > 0 ? Vector(svd.singularValues().head(keep).array().square() / total) : Vector::Zero(keep);
  return scores;
}

void check_options(MatrixView points, const TreeEmbeddingOptions& o) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("tree embedding: the data is empty");
  if (points.rows() < 2) throw InputError("tree embedding: needs at least 2 points");
  if (o.n_estimators < 1) throw InputError("tree embedding: n_estimators must be at least 1");
  if (o.max_depth < 0) throw InputError("tree embedding: max_depth must be ≥ 0");
  if (o.min_samples_split < 2) throw InputError("tree embedding: min_samples_split must be at least 2");
  if (o.min_samples_leaf < 1) throw InputError("tree embedding: min_samples_leaf must be at least 1");
  if (o.n_components < 1) throw InputError("tree embedding: n_components must be at least 1");
  if (!(o.max_features > 0 && o.max_features <= 1)) throw InputError("tree embedding: max_features must be in (0, 1]");
  if (o.mode == TreeMode::supervised) {
    if (points.cols() < 2) throw InputError("tree embedding: supervised mode needs a target and at least one feature");
    if (o.target_column < 0 || o.target_column >= points.cols())
      throw InputError("tree embedding: target_column " + std::to_string(o.target_column) + " is outside 0.." +
                       std::to_string(points.cols() - 1));
  }
}

}  // namespace

TreeEmbeddingResult tree_embedding(MatrixView points, const TreeEmbeddingOptions& options, std::uint64_t seed,
                                   const Executor& executor) {
  check_options(points, options);
  const Index n = points.rows();
  detail::ForestLeaves forest;
  const std::uint64_t forest_seed = derive_seed(seed, "tree-forest");
  if (options.mode == TreeMode::supervised) {
    const Index t = options.target_column, d = points.cols();
    Matrix features(n, d - 1);
    features.leftCols(t) = points.leftCols(t);
    features.rightCols(d - 1 - t) = points.rightCols(d - 1 - t);
    const Vector target = points.col(t);
    forest = detail::grow_forest(features, target, options, forest_seed, executor);
  } else {
    forest = detail::grow_forest(points, Vector(), options, forest_seed, executor);
  }
  TreeEmbeddingResult result;
  result.oob_r2 = forest.oob_r2;
  result.oob_points = forest.oob_points;
  LeafMatrix x{forest.leaves, {}, 0, {}};
  for (auto count : forest.leaf_counts) {
    x.offset.push_back(x.columns);
    x.columns += count;
  }
  x.mean = Vector::Zero(x.columns);
  for (Index i = 0; i < n; ++i)
    for (Index t = 0; t < forest.leaves.cols(); ++t) x.mean(x.offset[t] + forest.leaves(i, t)) += 1.0;
  x.mean /= static_cast<double>(n);

  const bool to_umap = options.reduction == TreeReduction::umap;
  const Index pca_dims = to_umap ? std::max(options.umap_input_components, options.n_components) : options.n_components;
  Matrix scores = leaf_pca(x, pca_dims, options.svd_iterations, derive_seed(seed, "tree-leaf-pca"), executor,
                           result.explained_variance_ratio);
  if (to_umap) {
    UmapOptions umap_options = options.umap;
    umap_options.n_components = options.n_components;
    result.embedding = umap(scores, umap_options, derive_seed(seed, "tree-umap"), executor).embedding;
  } else {
    result.embedding = std::move(scores);
  }
  result.leaves = std::move(forest.leaves);
  result.leaf_counts = std::move(forest.leaf_counts);
  return result;
}

}  // namespace cb::embed
