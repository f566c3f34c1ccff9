// PCA by covariance eigen-decomposition (n ≥ d) or thin SVD (n < d).
#include "clusterbench/embed/pca.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <string>

#include "clusterbench/core/error.hpp"

namespace cb::embed {
namespace {

constexpr std::size_t kRowGrain = 8192;

Vector column_means(MatrixView x, const Executor& executor) {
  const Vector sum = executor.reduce(
      static_cast<std::size_t>(x.rows()), kRowGrain, Vector(Vector::Zero(x.cols())),
      [&](Range r) -> Vector {
        return x.middleRows(static_cast<Index>(r.begin), static_cast<Index>(r.size())).colwise().sum().transpose();
      },
      [](Vector& acc, const Vector& part) { acc += part; });
  return sum / static_cast<double>(x.rows());
}

// Σ (x - mean)(x - mean)ᵀ, one partial per fixed chunk, merged in chunk order.
Matrix centred_scatter(MatrixView x, const Vector& mean, const Executor& executor) {
  const Index d = x.cols();
  Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(d, d);
  Eigen::MatrixXd s = executor.reduce(
      static_cast<std::size_t>(x.rows()), kRowGrain, zero,
      [&](Range r) -> Eigen::MatrixXd {
        const Eigen::MatrixXd c =
            x.middleRows(static_cast<Index>(r.begin), static_cast<Index>(r.size())).rowwise() - mean.transpose();
        Eigen::MatrixXd part = Eigen::MatrixXd::Zero(d, d);
        part.selfadjointView<Eigen::Lower>().rankUpdate(c.transpose());
        return part;
      },
      [](Eigen::MatrixXd& acc, const Eigen::MatrixXd& part) { acc += part; });
  return s.selfadjointView<Eigen::Lower>();
}

void fix_signs(Matrix& components) {
  for (Index c = 0; c < components.rows(); ++c) {
    Index arg = 0;
    components.row(c).cwiseAbs().maxCoeff(&arg);
    if (components(c, arg) < 0) components.row(c) *= -1.0;
  }
}

}  // namespace

PcaModel fit_pca(MatrixView points, const PcaOptions& options, const Executor& executor) {
  const Index n = points.rows();
  const Index d = points.cols();
  if (n == 0 || d == 0) throw InputError("PCA: the data is empty");
  if (n < 2) throw InputError("PCA: needs at least 2 points, got " + std::to_string(n));
  const Index m = options.n_components;
  if (m < 1 || m > std::min(n, d))
    throw InputError("PCA: n_components must be in 1.." + std::to_string(std::min(n, d)) + ", got " +
                     std::to_string(m));
  PcaModel model;
  model.whiten = options.whiten;
  model.mean = column_means(points, executor);
  const bool use_cov = options.solver == PcaSolver::covariance || (options.solver == PcaSolver::automatic && n >= d);
  Vector variances;  // all, decreasing
  Matrix basis;      // all directions as rows, decreasing
  if (use_cov) {
    const Matrix scatter = centred_scatter(points, model.mean, executor);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(scatter);
    variances = eig.eigenvalues().reverse().cwiseMax(0.0) / static_cast<double>(n - 1);
    basis = eig.eigenvectors().rowwise().reverse().transpose();
  } else {
    const Eigen::MatrixXd centred = points.rowwise() - model.mean.transpose();
    Eigen::BDCSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinV);
    variances = svd.singularValues().array().square() / static_cast<double>(n - 1);
    basis = svd.matrixV().transpose();
  }
  model.total_variance = variances.sum();
  model.components = basis.topRows(m);
  fix_signs(model.components);
  model.explained_variance = variances.head(m);
  model.explained_variance_ratio =
      model.total_variance > 0 ? Vector(model.explained_variance / model.total_variance) : Vector(Vector::Zero(m));
  model.singular_values = (model.explained_variance * static_cast<double>(n - 1)).cwiseSqrt();
  return model;
}

Matrix PcaModel::transform(MatrixView points, const Executor& executor) const {
  if (points.cols() != mean.size())
    throw InputError("PCA transform: expected " + std::to_string(mean.size()) + " columns, got " +
                     std::to_string(points.cols()));
  Matrix out(points.rows(), components.rows());
  Vector scale = Vector::Ones(components.rows());
  if (whiten)
    for (Index c = 0; c < scale.size(); ++c)
      scale(c) = explained_variance(c) > 0 ? 1.0 / std::sqrt(explained_variance(c)) : 0.0;
  executor.parallel_for(static_cast<std::size_t>(points.rows()), kRowGrain, [&](Range r) {
    const Index r0 = static_cast<Index>(r.begin), rn = static_cast<Index>(r.size());
    out.middleRows(r0, rn).noalias() =
        (points.middleRows(r0, rn).rowwise() - mean.transpose()) * components.transpose();
    out.middleRows(r0, rn) *= scale.asDiagonal();
  });
  return out;
}

Matrix pca_embedding(MatrixView points, const PcaOptions& options, const Executor& executor) {
  return fit_pca(points, options, executor).transform(points, executor);
}

}  // namespace cb::embed
