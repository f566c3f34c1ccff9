#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "clusterbench/cluster/gmm.hpp"
#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "support/test_support.hpp"

using namespace cb;
using namespace cb::cluster;

namespace {

/// Adjusted Rand index (Hubert–Arabie), for label agreement.
double ari(const Labels& a, const Labels& b) {
  std::map<std::pair<Label, Label>, double> joint;
  std::map<Label, double> ca, cb_;
  for (std::size_t i = 0; i < a.size(); ++i) joint[{a[i], b[i]}] += 1, ca[a[i]] += 1, cb_[b[i]] += 1;
  auto comb2 = [](double v) { return v * (v - 1) / 2; };
  double index = 0, sa = 0, sb = 0;
  for (const auto& [key, v] : joint) index += comb2(v);
  for (const auto& [key, v] : ca) sa += comb2(v);
  for (const auto& [key, v] : cb_) sb += comb2(v);
  const double expected = sa * sb / comb2(double(a.size()));
  const double max_index = 0.5 * (sa + sb);
  return max_index == expected ? 1.0 : (index - expected) / (max_index - expected);
}

Matrix standardised(const Matrix& x) {
  Matrix z = x;
  for (Index j = 0; j < x.cols(); ++j) {
    const double mean = x.col(j).mean();
    const double sd = std::sqrt((x.col(j).array() - mean).square().mean());
    z.col(j) = (x.col(j).array() - mean) / sd;
  }
  return z;
}

/// Start: reference-class means and proportions, precisions = identity / (mean feature variance).
GmmStart start_from_reference(const Matrix& x, const Labels& reference, CovarianceType type) {
  std::map<Label, Index> ids;
  for (Label l : reference) ids.emplace(l, Index(ids.size()));
  const Index k = Index(ids.size()), d = x.cols();
  GmmStart s;
  s.means = Matrix::Zero(k, d);
  s.weights = Vector::Zero(k);
  std::map<Label, Index> order;
  Index next = 0;
  for (Label l : reference)
    if (!order.count(l)) order[l] = next++;
  for (Index i = 0; i < x.rows(); ++i) {
    const Index c = order[reference[std::size_t(i)]];
    s.means.row(c) += x.row(i);
    s.weights(c) += 1;
  }
  for (Index c = 0; c < k; ++c) s.means.row(c) /= s.weights(c);
  s.weights /= double(x.rows());
  double var = 0;
  for (Index j = 0; j < d; ++j) var += (x.col(j).array() - x.col(j).mean()).square().mean();
  const double p = double(d) / var;
  switch (type) {
    case CovarianceType::full:
      for (Index c = 0; c < k; ++c) s.precisions.push_back(Matrix::Identity(d, d) * p * (1.0 + 0.1 * double(c)));
      break;
    case CovarianceType::tied: s.precisions.push_back(Matrix::Identity(d, d) * p); break;
    case CovarianceType::diag: s.precisions.push_back(Matrix::Constant(k, d, p)); break;
    case CovarianceType::spherical: s.precisions.push_back(Matrix::Constant(k, 1, p)); break;
  }
  return s;
}

std::string write_rows(const Matrix& m, const std::string& stem) { return cb::test::write_matrix_csv(m, stem); }

void compare_with_sklearn(const std::string& set, bool scale) {
  const Dataset data = cb::test::load_benchmark(set);
  const Matrix x = scale ? standardised(data.values) : data.values;
  const std::string csv = cb::test::write_matrix_csv(x, "gmm-" + set);
  const std::vector<CovarianceType> types{CovarianceType::full, CovarianceType::tied, CovarianceType::diag,
                                          CovarianceType::spherical};
  std::vector<GmmStart> starts;
  std::vector<std::string> args{csv, "0.001", "300", "1e-06"};
  for (auto type : types) {
    starts.push_back(start_from_reference(x, *data.reference, type));
    const GmmStart& start = starts.back();
    const Index k = start.means.rows(), d = x.cols();
    Matrix prec;
    if (type == CovarianceType::full) {
      prec.resize(k, d * d);
      for (Index c = 0; c < k; ++c)
        prec.row(c) = Eigen::Map<const Eigen::RowVectorXd>(start.precisions[std::size_t(c)].data(), d * d);
    } else if (type == CovarianceType::tied) {
      prec = Eigen::Map<const Eigen::RowVectorXd>(start.precisions[0].data(), d * d);
    } else {
      prec = start.precisions[0];
    }
    for (const std::string& path : {write_rows(start.means, "gmm-means"), write_rows(start.weights, "gmm-weights"),
                                    write_rows(prec, "gmm-prec"), std::string(covariance_type_name(type))})
      args.push_back(path);
  }
  const auto all = cb::test::parse_numbers(cb::test::run_python("gmm_reference.py", args));
  const std::size_t per_fit = std::size_t(7 + x.rows());
  REQUIRE(all.size() == types.size() * per_fit);
  for (std::size_t t = 0; t < types.size(); ++t) {
    INFO(set << " " << covariance_type_name(types[t]));
    const std::vector<double> out(all.begin() + std::ptrdiff_t(t * per_fit),
                                  all.begin() + std::ptrdiff_t((t + 1) * per_fit));
    GmmOptions options;
    options.covariance_type = types[t];
    options.max_iter = 300;
    const auto got = gmm_from_start(x, starts[t], options, serial_executor());
    INFO("iterations " << got.iterations << " vs " << out[4]);
    REQUIRE(got.lower_bound == Approx(out[0]).epsilon(1e-6));
    REQUIRE(got.mean_log_likelihood == Approx(out[1]).epsilon(1e-6));
    REQUIRE(got.bic == Approx(out[2]).epsilon(1e-6));
    REQUIRE(got.aic == Approx(out[3]).epsilon(1e-6));
    REQUIRE(std::abs(got.iterations - int(out[4])) <= 1);
    REQUIRE(got.converged == (out[5] == 1.0));
    REQUIRE(got.parameters == int(out[6]));
    const Labels ref(out.begin() + 7, out.end());
    REQUIRE(ari(got.labels, ref) >= 0.999);
    REQUIRE(got.status == GmmStatus::ok);
  }
}

Matrix duplicate_heavy() {
  Rng rng(3);
  Matrix x(2000, 3);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = i < 1500 ? 1.0 : rng.normal() * 2.0;
  return x;
}

}  // namespace

TEST_CASE("gmm matches sklearn GaussianMixture on iris from the same start", "[gmm][sklearn]") {
  compare_with_sklearn("other-iris", false);
}
TEST_CASE("gmm matches sklearn GaussianMixture on scaled wine from the same start", "[gmm][sklearn]") {
  compare_with_sklearn("uci-wine", true);
}
TEST_CASE("gmm matches sklearn GaussianMixture on scaled s1 from the same start", "[gmm][sklearn]") {
  compare_with_sklearn("sipu-s1", true);
}

TEST_CASE("gmm log-likelihood never decreases and the parameters are valid", "[gmm]") {
  const Dataset data = cb::test::load_benchmark("uci-wine");
  const Matrix x = standardised(data.values);
  GmmOptions options;
  double previous = -INFINITY;
  for (int iters = 1; iters <= 8; ++iters) {  // EM is monotone in the likelihood
    options.max_iter = iters;
    options.tol = 0.0;
    const auto r = gmm_from_labels(x, *data.reference, 3, options, serial_executor());
    REQUIRE(r.mean_log_likelihood >= previous - 1e-12);
    previous = r.mean_log_likelihood;
    REQUIRE(r.weights.sum() == Approx(1.0));
  }
}

TEST_CASE("gmm is bit-identical on 1 and 2 threads", "[gmm][determinism]") {
  const Dataset data = cb::test::load_benchmark("sipu-s1");
  const Matrix x = standardised(data.values);
  const auto one = make_parallel_executor(1);
  const auto two = make_parallel_executor(2);
  for (auto type : {CovarianceType::full, CovarianceType::tied, CovarianceType::diag, CovarianceType::spherical}) {
    GmmOptions options;
    options.covariance_type = type;
    options.init = GmmInit::kmeans_plusplus;
    options.n_init = 2;
    const auto a = gmm_seeded(x, 15, options, 42, *one);
    const auto b = gmm_seeded(x, 15, options, 42, *two);
    REQUIRE(a.labels == b.labels);
    REQUIRE(a.means == b.means);
    REQUIRE(a.lower_bound == b.lower_bound);
    REQUIRE(a.covariances == b.covariances);
  }
}

TEST_CASE("gmm own seedings find the s1 clusters", "[gmm]") {
  const Dataset data = cb::test::load_benchmark("sipu-s1");
  const Matrix x = standardised(data.values);
  GmmOptions options;
  options.init = GmmInit::kmeans_plusplus;
  options.n_init = 4;
  const auto r = gmm_seeded(x, 15, options, 7, serial_executor());
  REQUIRE(ari(r.labels, *data.reference) > 0.9);
  options.init = GmmInit::random;
  options.n_init = 1;
  options.keep_responsibilities = true;
  const auto random = gmm_seeded(x, 15, options, 7, serial_executor());
  REQUIRE(random.responsibilities.rows() == x.rows());
  REQUIRE((random.responsibilities.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);
  REQUIRE(std::isfinite(random.lower_bound));
}

TEST_CASE("gmm on duplicate-heavy data reports a status, never NaN", "[gmm][degenerate]") {
  const Matrix x = duplicate_heavy();
  for (auto type : {CovarianceType::full, CovarianceType::tied, CovarianceType::diag, CovarianceType::spherical}) {
    for (double reg : {1e-6, 0.0}) {
      INFO(covariance_type_name(type) << " reg " << reg);
      GmmOptions options;
      options.covariance_type = type;
      options.reg_covar = reg;
      options.init = GmmInit::kmeans_plusplus;
      options.n_init = 2;
      for (int k : {2, 5, 10}) {
        const auto r = gmm_seeded(x, k, options, 1, serial_executor());
        REQUIRE(std::isfinite(r.lower_bound));
        REQUIRE(std::isfinite(r.bic));
        REQUIRE(r.means.allFinite());
        for (const auto& c : r.covariances) REQUIRE(c.allFinite());
        REQUIRE(r.status != GmmStatus::degenerate);
        if (r.status == GmmStatus::reg_covar_escalated) REQUIRE(r.reg_covar_used > reg);
        if (r.status == GmmStatus::ok) REQUIRE(r.reg_covar_used == reg);
      }
    }
  }
  // All points identical without regularisation: reg_covar is raised and recorded.
  const Matrix same = Matrix::Ones(100, 2);
  GmmOptions unregularised;
  unregularised.reg_covar = 0.0;
  for (auto type : {CovarianceType::full, CovarianceType::tied, CovarianceType::diag, CovarianceType::spherical}) {
    unregularised.covariance_type = type;
    const auto e = gmm_from_labels(same, Labels(100, 0), 1, unregularised, serial_executor());
    REQUIRE(e.status == GmmStatus::reg_covar_escalated);
    REQUIRE(e.reg_covar_used == 1e-6);
    REQUIRE(std::isfinite(e.log_likelihood));
  }
  // ... and with no escalation allowed: a clear degenerate status.
  GmmOptions strict;
  strict.reg_covar = 0.0;
  strict.max_reg_escalations = 0;
  const auto r = gmm_from_labels(same, Labels(100, 0), 1, strict, serial_executor());
  REQUIRE(r.status == GmmStatus::degenerate);
  REQUIRE_FALSE(r.converged);
  REQUIRE(r.labels.size() == 100);
}

TEST_CASE("gmm rejects bad input", "[gmm][bad-input]") {
  const Matrix x = Matrix::Random(10, 2);
  REQUIRE_THROWS_AS(gmm_seeded(x, 0, {.init = GmmInit::random}, 1, serial_executor()), InputError);
  REQUIRE_THROWS_AS(gmm_seeded(x, 11, {.init = GmmInit::random}, 1, serial_executor()), InputError);
  REQUIRE_THROWS_AS(gmm_seeded(x, 2, {}, 1, serial_executor()), InputError);  // kmeans init needs gmm()
  REQUIRE_THROWS_AS(gmm_from_labels(x, Labels(10, 3), 2, {}, serial_executor()), InputError);
  GmmStart bad;
  bad.means = Matrix::Zero(2, 2);
  bad.weights = Vector::Constant(2, 0.5);
  bad.precisions = {Matrix::Identity(3, 3), Matrix::Identity(3, 3)};
  REQUIRE_THROWS_AS(gmm_from_start(x, bad, {}, serial_executor()), InputError);
  REQUIRE_THROWS_AS(parse_covariance_type("banana"), InputError);
  REQUIRE(gmm_parameter_count(CovarianceType::full, 3, 4) == 3 * 10 + 12 + 2);
}

TEST_CASE("gmm default init runs K-Means of the same k and equals the warm start from its labels",
          "[gmm][kmeans-init]") {
  const Dataset data = cb::test::load_benchmark("sipu-s1");
  const Matrix x = standardised(data.values);
  GmmOptions options;  // init = kmeans
  const auto r = gmm(x, 15, options, 11, serial_executor());
  REQUIRE(ari(r.labels, *data.reference) > 0.9);
  KMeansOptions km;
  km.n_init = 1;
  const auto labels = kmeans(x, 15, km, derive_seed(11, "gmm-kmeans-0"), serial_executor()).labels;
  const auto warm = gmm_from_labels(x, labels, 15, options, serial_executor());
  REQUIRE(warm.labels == r.labels);
  REQUIRE(warm.lower_bound == r.lower_bound);
  const auto two = make_parallel_executor(2);
  const auto r2 = gmm(x, 15, options, 11, *two);
  REQUIRE(r2.labels == r.labels);
  REQUIRE(r2.lower_bound == r.lower_bound);
}
