#pragma once
// Gaussian mixture models fitted by expectation–maximisation, following
// scikit-learn's GaussianMixture step for step (same initialisations, same
// M-step, same convergence test on the mean log-likelihood, final E-step for
// the labels) so results can be compared with it. Log-sum-exp throughout.
// The E-step and the M-step sums run over fixed chunks merged in chunk order,
// so results are bit-identical at any thread count.
//
// Covariance layouts (also for precisions in GmmStart):
//   full:      k matrices d×d        tied:      1 matrix d×d
//   diag:      1 matrix k×d          spherical: 1 matrix k×1
#include <cstdint>
#include <string_view>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::cluster {

enum class CovarianceType {
  full,       ///< one general covariance matrix per component
  tied,       ///< one general covariance matrix shared by all components
  diag,       ///< one diagonal covariance per component
  spherical,  ///< one variance per component
};
/// Config and stored names of CovarianceType.
inline constexpr EnumName<CovarianceType> kCovarianceTypeNames[] = {{"full", CovarianceType::full},
                                                                    {"tied", CovarianceType::tied},
                                                                    {"diag", CovarianceType::diag},
                                                                    {"spherical", CovarianceType::spherical}};

enum class GmmInit {
  kmeans,           ///< responsibilities from a K-Means run with the same k (scikit-learn's default)
  kmeans_plusplus,  ///< k-means++ picks k points; each starts one component
  random,           ///< uniform random responsibilities, normalised per point
};
/// Config and stored names of GmmInit.
inline constexpr EnumName<GmmInit> kGmmInitNames[] = {
    {"kmeans", GmmInit::kmeans}, {"kmeans_plusplus", GmmInit::kmeans_plusplus}, {"random", GmmInit::random}};

enum class GmmStatus {
  ok,                   ///< fitted; see `converged`
  reg_covar_escalated,  ///< a covariance was not positive definite; reg_covar was raised (see reg_covar_used)
  degenerate,           ///< still singular at the largest reg_covar; EM stopped at the last valid parameters
};
/// Config and stored names of GmmStatus.
inline constexpr EnumName<GmmStatus> kGmmStatusNames[] = {{"ok", GmmStatus::ok},
                                                          {"reg_covar_escalated", GmmStatus::reg_covar_escalated},
                                                          {"degenerate", GmmStatus::degenerate}};

struct GmmOptions {
  CovarianceType covariance_type = CovarianceType::full;  ///< covariance structure
  GmmInit init = GmmInit::kmeans;                         ///< how each restart starts (gmm() only)
  int n_init = 1;                                         ///< restarts; the highest final lower bound wins
  int max_iter = 100;                                     ///< EM iterations per restart
  double tol = 1e-3;                   ///< stop when the mean log-likelihood changes by less than this
  double reg_covar = 1e-6;             ///< added to covariance diagonals
  int max_reg_escalations = 10;        ///< times reg_covar may be multiplied by 10 when a covariance is singular
  bool keep_responsibilities = false;  ///< return the n×k responsibilities
};

/// Explicit starting parameters (scikit-learn's weights_init / means_init / precisions_init).
struct GmmStart {
  Vector weights;                  ///< k mixing weights (sum 1)
  Matrix means;                    ///< k × d
  std::vector<Matrix> precisions;  ///< inverse covariances, in the layout of the covariance type
};

struct GmmResult {
  Labels labels;                     ///< most responsible component per point (final E-step)
  Vector weights;                    ///< k mixing weights
  Matrix means;                      ///< k × d
  std::vector<Matrix> covariances;   ///< in the layout of the covariance type (reg_covar included)
  Matrix responsibilities;           ///< n × k, only when keep_responsibilities
  double lower_bound = 0.0;          ///< mean log-likelihood of the last EM iteration (scikit-learn's lower_bound_)
  double mean_log_likelihood = 0.0;  ///< mean log-likelihood at the final parameters (scikit-learn's score())
  double log_likelihood = 0.0;       ///< total log-likelihood at the final parameters
  double bic = 0.0;                  ///< −2·log_likelihood + parameters·ln n
  double aic = 0.0;                  ///< −2·log_likelihood + 2·parameters
  int parameters = 0;                ///< free parameters (scikit-learn's _n_parameters)
  int iterations = 0;                ///< EM iterations of the winning restart
  bool converged = false;            ///< the winning restart met tol before max_iter
  double reg_covar_used = 0.0;       ///< final reg_covar (larger than requested after escalation)
  GmmStatus status = GmmStatus::ok;  ///< outcome of the winning restart
};

/// Best of n_init restarts from options.init. The kmeans init runs cluster::kmeans
/// (n_init = 1, seed derived per restart). Throws InputError when k < 1, k > n,
/// data is empty or an option is out of range.
GmmResult gmm(MatrixView points, int k, const GmmOptions& options, std::uint64_t seed, const Executor& executor);

/// As gmm() for the kmeans_plusplus and random inits only (no K-Means dependency);
/// throws InputError for GmmInit::kmeans.
GmmResult gmm_seeded(MatrixView points, int k, const GmmOptions& options, std::uint64_t seed, const Executor& executor);

/// One EM run from explicit parameters (options.init and n_init are ignored).
GmmResult gmm_from_start(MatrixView points, const GmmStart& start, const GmmOptions& options, const Executor& executor);

/// One EM run warm-started from a hard assignment (e.g. the grid's K-Means labels
/// for the same k): the initial parameters are the M-step of the one-hot labels.
GmmResult gmm_from_labels(MatrixView points, const Labels& labels, int k, const GmmOptions& options,
                          const Executor& executor);

/// scikit-learn's parameter count for a mixture of k components in d dimensions.
int gmm_parameter_count(CovarianceType type, Index k, Index d);

inline std::string_view covariance_type_name(CovarianceType type) { return name_of(kCovarianceTypeNames, type); }
CovarianceType parse_covariance_type(std::string_view name);
inline std::string_view gmm_init_name(GmmInit init) { return name_of(kGmmInitNames, init); }
GmmInit parse_gmm_init(std::string_view name);
inline std::string_view gmm_status_name(GmmStatus status) { return name_of(kGmmStatusNames, status); }

}  // namespace cb::cluster
