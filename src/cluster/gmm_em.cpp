// The EM engine of the Gaussian mixture. Mirrors scikit-learn's GaussianMixture:
// M-step (weights, means, covariances + reg_covar, precision Cholesky factors),
// E-step (log-sum-exp of weighted log densities), stop when the mean
// log-likelihood changes by less than tol, then a final E-step for the labels.
// All sums over points run on fixed chunks merged in chunk order.
#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "clusterbench/core/error.hpp"
#include "gmm_detail.hpp"

namespace cb::cluster {
namespace {

constexpr std::size_t kGrain = 1024;
using ColMatrix = Eigen::MatrixXd;

/// Parameters of one EM state. prec_chol[c] F satisfies F·Fᵀ = precision.
struct Params {
  Vector weights;
  Matrix means;                     // k × d
  std::vector<Matrix> covariances;  // layout of the covariance type
  std::vector<Matrix> prec_chol;    // full: k × (d×d); tied: 1 × (d×d); diag: 1 × (k×d); spherical: 1 × (k×1)
  Vector log_det;                   // k: log det of prec_chol per component
};

/// Cholesky factor F of a precision-like SPD matrix with F·Fᵀ = inverse of `cov`.
bool precision_factor_from_covariance(const Matrix& cov, Matrix& factor) {
  const Eigen::LLT<ColMatrix> llt{ColMatrix(cov)};
  if (llt.info() != Eigen::Success) return false;
  const ColMatrix lower = llt.matrixL();
  for (Index j = 0; j < lower.rows(); ++j)
    if (!(lower(j, j) > 0.0) || !std::isfinite(lower(j, j))) return false;
  const ColMatrix inv = lower.triangularView<Eigen::Lower>().solve(ColMatrix::Identity(cov.rows(), cov.cols()));
  factor = inv.transpose();
  return factor.allFinite();
}

/// Fills prec_chol and log_det from covariances; false when one is not positive definite.
bool compute_precision_factors(Params& p, CovarianceType type, Index k) {
  p.log_det.resize(k);
  switch (type) {
    case CovarianceType::full:
      p.prec_chol.resize(std::size_t(k));
      for (Index c = 0; c < k; ++c) {
        if (!precision_factor_from_covariance(p.covariances[std::size_t(c)], p.prec_chol[std::size_t(c)])) return false;
        p.log_det(c) = p.prec_chol[std::size_t(c)].diagonal().array().log().sum();
      }
      return true;
    case CovarianceType::tied: {
      p.prec_chol.resize(1);
      if (!precision_factor_from_covariance(p.covariances[0], p.prec_chol[0])) return false;
      p.log_det.setConstant(p.prec_chol[0].diagonal().array().log().sum());
      return true;
    }
    case CovarianceType::diag:
    case CovarianceType::spherical: {
      const Matrix& cov = p.covariances[0];
      if (!((cov.array() > 0.0).all()) || !cov.allFinite()) return false;
      p.prec_chol = {cov.array().sqrt().inverse().matrix()};
      const double dims = type == CovarianceType::spherical ? double(p.means.cols()) : 1.0;
      for (Index c = 0; c < k; ++c) p.log_det(c) = dims * p.prec_chol[0].row(c).array().log().sum();
      return true;
    }
  }
  return false;
}

/// E-step on all points: writes responsibilities, returns the mean log-likelihood.
double e_step(MatrixView x, const Params& p, CovarianceType type, const Executor& executor, Matrix& resp) {
  const Index n = x.rows(), d = x.cols(), k = p.means.rows();
  resp.resize(n, k);
  const double log_2pi_d = double(d) * std::log(2.0 * std::numbers::pi);
  const double total = executor.reduce(
      std::size_t(n), kGrain, 0.0,
      [&](Range r) {
        const Index b = Index(r.begin), m = Index(r.size());
        const auto xs = x.middleRows(b, m);
        Matrix logp(m, k);
        Matrix diff(m, d);
        for (Index c = 0; c < k; ++c) {
          diff = xs.rowwise() - p.means.row(c);
          Vector maha;
          switch (type) {
            case CovarianceType::full: maha = (diff * p.prec_chol[std::size_t(c)]).rowwise().squaredNorm(); break;
            case CovarianceType::tied: maha = (diff * p.prec_chol[0]).rowwise().squaredNorm(); break;
            case CovarianceType::diag:
              maha = (diff.array().rowwise() * p.prec_chol[0].row(c).array()).matrix().rowwise().squaredNorm();
              break;
            case CovarianceType::spherical:
              maha = diff.rowwise().squaredNorm() * (p.prec_chol[0](c, 0) * p.prec_chol[0](c, 0));
              break;
          }
          logp.col(c) = (-0.5 * (log_2pi_d + maha.array()) + p.log_det(c) + std::log(p.weights(c))).matrix();
        }
        double sum = 0.0;
        for (Index i = 0; i < m; ++i) {
          const double top = logp.row(i).maxCoeff();
          const double lse = std::isfinite(top) ? top + std::log((logp.row(i).array() - top).exp().sum()) : top;
          resp.row(b + i) = (logp.row(i).array() - lse).exp();
          sum += lse;
        }
        return sum;
      },
      [](double& acc, double part) { acc += part; });
  return total / double(n);
}

/// Sums of the M-step over chunks: nk and resp-weighted point sums.
struct FirstMoments {
  Vector nk;
  Matrix sums;  // k × d
};

/// Raw (unregularised) covariances around `means` in the type's layout.
std::vector<Matrix> raw_covariances(MatrixView x, const Matrix& resp, const Vector& nk, const Matrix& means,
                                    CovarianceType type, const Executor& executor) {
  const Index n = x.rows(), d = x.cols(), k = means.rows();
  const bool general = type == CovarianceType::full || type == CovarianceType::tied;
  // Per chunk: k blocks of d×d (general) or one k×d matrix of weighted squares.
  using Partial = std::vector<Matrix>;
  Partial init = general ? Partial(std::size_t(k), Matrix::Zero(d, d)) : Partial(1, Matrix::Zero(k, d));
  Partial total = executor.reduce(
      std::size_t(n), kGrain, init,
      [&](Range r) {
        Partial part = init;
        const auto xs = x.middleRows(Index(r.begin), Index(r.size()));
        const auto rs = resp.middleRows(Index(r.begin), Index(r.size()));
        Matrix diff;
        for (Index c = 0; c < k; ++c) {
          diff = xs.rowwise() - means.row(c);
          if (general) {
            const Matrix weighted = diff.array().colwise() * rs.col(c).array();
            part[std::size_t(c)].noalias() += weighted.transpose() * diff;
          } else {
            part[0].row(c) += (diff.array().square().colwise() * rs.col(c).array()).colwise().sum().matrix();
          }
        }
        return part;
      },
      [](Partial& acc, const Partial& part) {
        for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += part[i];
      });
  switch (type) {
    case CovarianceType::full:
      for (Index c = 0; c < k; ++c) total[std::size_t(c)] /= nk(c);
      return total;
    case CovarianceType::tied: {
      Matrix sum = Matrix::Zero(d, d);
      for (const auto& m : total) sum += m;
      return {sum / nk.sum()};
    }
    case CovarianceType::diag: return {total[0].array().colwise() / nk.array()};
    case CovarianceType::spherical: return {(total[0].array().colwise() / nk.array()).rowwise().mean().matrix()};
  }
  return total;
}

/// M-step. On a non-positive-definite covariance raises reg (×10, at most
/// max_escalations in total over the run). Returns false when that is exhausted.
bool m_step(MatrixView x, const Matrix& resp, CovarianceType type, double& reg, int& escalations, int max_escalations,
            const Executor& executor, Params& out) {
  const Index n = x.rows(), d = x.cols(), k = resp.cols();
  FirstMoments init{Vector::Zero(k), Matrix::Zero(k, d)};
  FirstMoments m = executor.reduce(
      std::size_t(n), kGrain, init,
      [&](Range r) {
        const auto xs = x.middleRows(Index(r.begin), Index(r.size()));
        const auto rs = resp.middleRows(Index(r.begin), Index(r.size()));
        return FirstMoments{rs.colwise().sum().transpose(), rs.transpose() * xs};
      },
      [](FirstMoments& acc, const FirstMoments& part) {
        acc.nk += part.nk;
        acc.sums += part.sums;
      });
  m.nk.array() += 10.0 * std::numeric_limits<double>::epsilon();  // as scikit-learn: no division by zero
  Params p;
  p.means = m.sums.array().colwise() / m.nk.array();
  p.weights = m.nk / double(n);
  const std::vector<Matrix> raw = raw_covariances(x, resp, m.nk, p.means, type, executor);
  for (;;) {
    p.covariances = raw;
    if (type == CovarianceType::full || type == CovarianceType::tied) {
      for (auto& cov : p.covariances) cov.diagonal().array() += reg;
    } else {
      p.covariances[0].array() += reg;
    }
    if (compute_precision_factors(p, type, k)) break;
    if (escalations >= max_escalations) return false;
    reg = reg > 0.0 ? reg * 10.0 : 1e-6;  // from zero, start at scikit-learn's default
    ++escalations;
  }
  out = std::move(p);
  return true;
}

Params params_from_start(const GmmStart& s, CovarianceType type, Index d) {
  const Index k = s.means.rows();
  if (k < 1 || s.means.cols() != d) throw InputError("GMM start: means must be k × " + std::to_string(d));
  if (s.weights.size() != k || !(s.weights.array() > 0.0).all())
    throw InputError("GMM start: weights must be k positive numbers");
  Params p;
  p.weights = s.weights;
  p.means = s.means;
  p.log_det.resize(k);
  auto bad = [&] { return InputError("GMM start: precisions have the wrong shape or are not positive definite"); };
  switch (type) {
    case CovarianceType::full:
    case CovarianceType::tied: {
      const std::size_t count = type == CovarianceType::full ? std::size_t(k) : 1;
      if (s.precisions.size() != count) throw bad();
      for (const auto& prec : s.precisions) {
        if (prec.rows() != d || prec.cols() != d) throw bad();
        const Eigen::LLT<ColMatrix> llt{ColMatrix(prec)};
        if (llt.info() != Eigen::Success) throw bad();
        p.prec_chol.push_back(Matrix(ColMatrix(llt.matrixL())));
        p.covariances.push_back(Matrix(ColMatrix(prec).inverse()));
      }
      for (Index c = 0; c < k; ++c)
        p.log_det(c) = p.prec_chol[type == CovarianceType::full ? std::size_t(c) : 0].diagonal().array().log().sum();
      break;
    }
    case CovarianceType::diag:
    case CovarianceType::spherical: {
      const Index cols = type == CovarianceType::diag ? d : 1;
      if (s.precisions.size() != 1 || s.precisions[0].rows() != k || s.precisions[0].cols() != cols ||
          !(s.precisions[0].array() > 0.0).all())
        throw bad();
      p.prec_chol = {s.precisions[0].array().sqrt().matrix()};
      p.covariances = {s.precisions[0].array().inverse().matrix()};
      const double dims = type == CovarianceType::spherical ? double(d) : 1.0;
      for (Index c = 0; c < k; ++c) p.log_det(c) = dims * p.prec_chol[0].row(c).array().log().sum();
      break;
    }
  }
  return p;
}

/// EM iterations from parameters; `escalations`/`reg` carry over from the initial M-step.
GmmResult run_em(MatrixView x, Params p, const GmmOptions& o, double reg, int escalations, const Executor& executor) {
  const Index n = x.rows(), k = p.means.rows();
  GmmResult result;
  Matrix resp;
  double lower_bound = -std::numeric_limits<double>::infinity();
  bool degenerate = false;
  for (int iter = 1; iter <= o.max_iter; ++iter) {
    const double previous = lower_bound;
    const double mean_ll = e_step(x, p, o.covariance_type, executor, resp);
    Params next;
    if (!m_step(x, resp, o.covariance_type, reg, escalations, o.max_reg_escalations, executor, next)) {
      degenerate = true;  // keep the last valid parameters
      result.iterations = iter;
      lower_bound = mean_ll;
      break;
    }
    p = std::move(next);
    lower_bound = mean_ll;
    result.iterations = iter;
    if (std::abs(lower_bound - previous) < o.tol) {
      result.converged = true;
      break;
    }
  }
  const double final_mean_ll = e_step(x, p, o.covariance_type, executor, resp);
  result.labels.resize(std::size_t(n));
  for (Index i = 0; i < n; ++i) {
    Index best = 0;
    resp.row(i).maxCoeff(&best);
    result.labels[std::size_t(i)] = Label(best);
  }
  result.lower_bound = lower_bound;
  result.mean_log_likelihood = final_mean_ll;
  result.log_likelihood = final_mean_ll * double(n);
  result.parameters = gmm_parameter_count(o.covariance_type, k, x.cols());
  result.bic = -2.0 * result.log_likelihood + double(result.parameters) * std::log(double(n));
  result.aic = -2.0 * result.log_likelihood + 2.0 * double(result.parameters);
  result.reg_covar_used = reg;
  result.status =
      degenerate ? GmmStatus::degenerate : (escalations > 0 ? GmmStatus::reg_covar_escalated : GmmStatus::ok);
  if (degenerate) result.converged = false;
  result.weights = std::move(p.weights);
  result.means = std::move(p.means);
  result.covariances = std::move(p.covariances);
  if (o.keep_responsibilities) result.responsibilities = std::move(resp);
  return result;
}

}  // namespace

namespace detail {

void check_gmm_input(MatrixView points, int k, const GmmOptions& o) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("GMM needs at least one point and one column");
  if (k < 1 || Index(k) > points.rows())
    throw InputError("GMM needs 1 <= k <= " + std::to_string(points.rows()) + " points, got k = " + std::to_string(k));
  if (o.n_init < 1) throw InputError("GMM n_init must be at least 1, got " + std::to_string(o.n_init));
  if (o.max_iter < 1) throw InputError("GMM max_iter must be at least 1, got " + std::to_string(o.max_iter));
  if (!(o.tol >= 0.0)) throw InputError("GMM tol must be >= 0, got " + std::to_string(o.tol));
  if (!(o.reg_covar >= 0.0) || !std::isfinite(o.reg_covar))
    throw InputError("GMM reg_covar must be a finite number >= 0, got " + std::to_string(o.reg_covar));
  if (o.max_reg_escalations < 0) throw InputError("GMM max_reg_escalations must be >= 0");
}

GmmResult gmm_from_responsibilities(MatrixView points, const Matrix& resp, const GmmOptions& options,
                                    const Executor& executor) {
  double reg = options.reg_covar;
  int escalations = 0;
  Params p;
  if (!m_step(points, resp, options.covariance_type, reg, escalations, options.max_reg_escalations, executor, p)) {
    GmmResult failed;  // not even the initial parameters exist: report, with finite placeholders
    failed.status = GmmStatus::degenerate;
    failed.reg_covar_used = reg;
    failed.labels.resize(std::size_t(points.rows()));
    for (Index i = 0; i < points.rows(); ++i) {
      Index best = 0;
      resp.row(i).maxCoeff(&best);
      failed.labels[std::size_t(i)] = Label(best);
    }
    failed.lower_bound = failed.mean_log_likelihood = failed.log_likelihood = -std::numeric_limits<double>::infinity();
    failed.bic = failed.aic = std::numeric_limits<double>::infinity();
    failed.parameters = gmm_parameter_count(options.covariance_type, resp.cols(), points.cols());
    return failed;
  }
  return run_em(points, std::move(p), options, reg, escalations, executor);
}

void keep_best(GmmResult& best, GmmResult candidate, bool first) {
  if (first || candidate.lower_bound > best.lower_bound) best = std::move(candidate);
}

}  // namespace detail

GmmResult gmm_from_start(MatrixView points, const GmmStart& start, const GmmOptions& options,
                         const Executor& executor) {
  detail::check_gmm_input(points, int(start.means.rows()), options);
  Params p = params_from_start(start, options.covariance_type, points.cols());
  return run_em(points, std::move(p), options, options.reg_covar, 0, executor);
}

GmmResult gmm_from_labels(MatrixView points, const Labels& labels, int k, const GmmOptions& options,
                          const Executor& executor) {
  detail::check_gmm_input(points, k, options);
  if (labels.size() != std::size_t(points.rows()))
    throw InputError("GMM initial labels: " + std::to_string(labels.size()) + " labels for " +
                     std::to_string(points.rows()) + " points");
  Matrix resp = Matrix::Zero(points.rows(), k);
  for (Index i = 0; i < points.rows(); ++i) {
    const Label l = labels[std::size_t(i)];
    if (l < 0 || l >= k) throw InputError("GMM initial labels must be in [0, k), got " + std::to_string(l));
    resp(i, l) = 1.0;
  }
  return detail::gmm_from_responsibilities(points, resp, options, executor);
}

int gmm_parameter_count(CovarianceType type, Index k, Index d) {
  Index cov = 0;
  switch (type) {
    case CovarianceType::full: cov = k * d * (d + 1) / 2; break;
    case CovarianceType::diag: cov = k * d; break;
    case CovarianceType::tied: cov = d * (d + 1) / 2; break;
    case CovarianceType::spherical: cov = k; break;
  }
  return int(cov + d * k + k - 1);
}

}  // namespace cb::cluster
