// The PCA space.
#include "builtin.hpp"
#include "clusterbench/embed/pca.hpp"
#include "cost_support.hpp"
#include "space_support.hpp"

namespace cb::grid {
namespace {

using embed::PcaOptions;

const ParamTable<PcaOptions>& pca_params() {
  return declared_once<PcaOptions>([](ParamTable<PcaOptions>& t) {
    t.add("n_components", &PcaOptions::n_components, "output dimensions (at most the number of features)", 1, 1e6)
        .add("whiten", &PcaOptions::whiten, "divide each component by the square root of its variance")
        .add_enum("solver", &PcaOptions::solver, "automatic, covariance (n ≫ d) or svd", embed::kPcaSolverNames);
  });
}

SpaceResult compute_pca(const SpaceRequest& request) {
  auto options = pca_params().build(request.params);
  options.n_components = std::min(options.n_components, request.features.cols());
  const auto model = embed::fit_pca(request.features, options, request.executor);
  SpaceResult result;
  result.points = model.transform(request.features, request.executor);
  result.arrays["components"] = model.components;
  result.arrays["explained_variance_ratio"] = Matrix(model.explained_variance_ratio);
  result.values["explained_variance_ratio_total"] = model.explained_variance_ratio.sum();
  add_trustworthiness(result, request);
  return result;
}

StepCost estimate_pca(const CostQuery& q) {
  StepCost c;
  c.output_dims = std::min<Index>(cost::param<Index>(q.params, "n_components", 2), q.dims);
  const double n = static_cast<double>(q.points), d = static_cast<double>(q.dims);
  c.cpu_seconds = 2e-9 * n * d * (d + static_cast<double>(c.output_dims));
  c.peak_bytes = 8.0 * n * d;
  return cost::with_trustworthiness(c, q);
}

}  // namespace

SpaceEntry pca_space_entry() {
  return space_entry("pca", "principal components of the preprocessed features",
                     with_trustworthiness(pca_params().specs()), compute_pca, estimate_pca);
}

}  // namespace cb::grid
