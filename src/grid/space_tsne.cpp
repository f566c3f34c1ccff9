// The t-SNE space (FFT-interpolated or Barnes–Hut repulsion).
#include "builtin.hpp"
#include "clusterbench/embed/tsne.hpp"
#include "cost_support.hpp"
#include "space_support.hpp"

namespace cb::grid {
namespace {

using embed::TsneOptions;

const ParamTable<TsneOptions>& tsne_params() {
  return declared_once<TsneOptions>([](ParamTable<TsneOptions>& t) {
    t.add("perplexity", &TsneOptions::perplexity, "effective number of neighbours", 1, 1e4)
        .add("early_exaggeration", &TsneOptions::early_exaggeration, "P multiplier during the exploration phase", 1,
             1e3)
        .add("learning_rate", &TsneOptions::learning_rate, "step size; 0 = auto: max(n / early_exaggeration / 4, 50)",
             0, 1e6)
        .add("n_iter", &TsneOptions::n_iter, "total iterations, exploration included", 250, 1e6)
        .add_enum("repulsion", &TsneOptions::repulsion,
                  "repulsive forces: barnes_hut (quadtree), fft (FIt-SNE interpolation on a grid, FFT convolution) "
                  "or automatic (barnes_hut below 50,000 points, fft from there)",
                  embed::kTsneRepulsionNames)
        .add("theta", &TsneOptions::theta, "Barnes–Hut opening angle, used by barnes_hut repulsion (as scikit-learn's)",
             0, 1)
        .add_enum("init", &TsneOptions::init, "initial layout: pca or random", embed::kTsneInitNames);
  });
}

SpaceResult compute_tsne(const SpaceRequest& request) {
  const auto fit = embed::tsne(request.features, tsne_params().build(request.params), request.seed, request.executor);
  SpaceResult result;
  result.points = fit.embedding;
  result.values = {
      {"kl_divergence", fit.kl_divergence}, {"iterations", fit.iterations}, {"learning_rate", fit.learning_rate}};
  add_trustworthiness(result, request);
  return result;
}

StepCost estimate_tsne(const CostQuery& q) {
  StepCost c;
  c.output_dims = 2;
  const double n = static_cast<double>(q.points);
  const double perplexity = cost::param<double>(q.params, "perplexity", 30.0);
  const double iterations = cost::param<double>(q.params, "n_iter", 1000.0);
  const auto repulsion = cost::param<std::string>(q.params, "repulsion", "automatic");
  const bool fft = repulsion == "fft" || (repulsion == "automatic" && q.points >= embed::kTsneFftFromPoints);
  c.method = fft ? "fft" : "barnes_hut";
  // Attraction over 3·perplexity neighbours plus repulsion (Barnes–Hut grows as log n).
  const double repulsion_per_point = fft ? 7.8e-7 : 5e-8 * std::log2(std::max(n, 2.0));
  c.cpu_seconds = n * iterations * (repulsion_per_point + 3e-9 * 3 * perplexity) +
                  4e-9 * n * 3 * perplexity * static_cast<double>(q.dims) * std::log2(std::max(n, 2.0));
  c.peak_bytes = n * (3 * perplexity + 1) * 12.0 * 7 + n * 2 * 8.0 * 6;  // kNN, P (CSR, symmetrised) and gradient state
  return cost::with_trustworthiness(c, q);
}

}  // namespace

SpaceEntry tsne_space_entry() {
  return space_entry("tsne", "t-SNE (FFT-interpolated or Barnes–Hut) 2-D embedding of the preprocessed features",
                     with_trustworthiness(tsne_params().specs()), compute_tsne, estimate_tsne);
}

}  // namespace cb::grid
