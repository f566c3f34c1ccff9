// Grid registration of the Gaussian mixture (EM): its parameters, declared once.
#include "builtin.hpp"
#include "clusterbench/cluster/gmm.hpp"
#include "cost_support.hpp"

namespace cb::grid {
namespace {

using cluster::GmmOptions;

const ParamTable<GmmOptions>& gmm_params() {
  return declared_once<GmmOptions>([](ParamTable<GmmOptions>& t) {
    t.add_enum("covariance_type", &GmmOptions::covariance_type, "covariance structure: full, tied, diag or spherical",
               cluster::kCovarianceTypeNames)
        .add_enum("init", &GmmOptions::init,
                  "start of each restart: kmeans (K-Means of the same k), kmeans_plusplus or random",
                  cluster::kGmmInitNames)
        .add("n_init", &GmmOptions::n_init, "restarts; the highest final lower bound wins", 1, 1000)
        .add("max_iter", &GmmOptions::max_iter, "EM iterations per restart", 1, 100000)
        .add("tol", &GmmOptions::tol, "stop when the mean log-likelihood changes by less than this", 0, 1e6)
        .add("reg_covar", &GmmOptions::reg_covar, "added to covariance diagonals (raised ×10 when singular)", 0, 1e6)
        .add("max_reg_escalations", &GmmOptions::max_reg_escalations, "times reg_covar may be raised ×10", 0, 30);
  });
}

std::vector<RunOutcome> fit_gmm(const FamilyRequest& request) {
  const GmmOptions options = gmm_params().build(request.params);
  return fit_each_k(request, [&](int k, std::uint64_t seed) {
    auto fit = cluster::gmm(request.data, k, options, seed, request.executor);
    RunOutcome out;
    out.labels = std::move(fit.labels);
    out.values = {{"log_likelihood", fit.log_likelihood},
                  {"mean_log_likelihood", fit.mean_log_likelihood},
                  {"bic", fit.bic},
                  {"aic", fit.aic},
                  {"iterations", fit.iterations},
                  {"reg_covar_used", fit.reg_covar_used}};
    if (fit.status != cluster::GmmStatus::ok) {
      out.status = std::string(cluster::gmm_status_name(fit.status));
      out.message = "covariance was singular; reg_covar raised to " + std::to_string(fit.reg_covar_used);
    } else if (!fit.converged) {
      out.status = "not_converged";
      out.message = "reached max_iter before tol";
    }
    out.arrays["means"] = std::move(fit.means);
    out.arrays["weights"] = Matrix(fit.weights);
    return out;
  });
}

StepCost estimate_gmm(const CostQuery& q) {
  const GmmOptions options = gmm_params().build(q.params);
  StepCost c;
  const double n = static_cast<double>(q.points), d = static_cast<double>(q.dims);
  const bool full = options.covariance_type == cluster::CovarianceType::full ||
                    options.covariance_type == cluster::CovarianceType::tied;
  const double per_component = full ? d * d + 2 * d + 8 : 3 * d + 8;
  // EM iterations (about 40 to converge) plus the K-Means start of each k.
  c.cpu_seconds = n * cost::sum_of(q.ks) * options.n_init * (40 * per_component * 8.5e-10 + (d + 4) * 28 * 1.5e-10);
  c.peak_bytes = 2 * n * (2 * cost::largest(q.ks) + d + 4) * 8.0;
  return c;
}

}  // namespace

AlgorithmEntry gmm_entry() {
  return algorithm_entry("gmm", "Gaussian mixture by EM (full/tied/diag/spherical), started from K-Means of the same k",
                         gmm_params().specs(), fit_gmm, estimate_gmm);
}

}  // namespace cb::grid
