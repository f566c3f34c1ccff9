// The UMAP-style space.
#include "builtin.hpp"
#include "clusterbench/embed/umap.hpp"
#include "cost_support.hpp"
#include "space_support.hpp"

namespace cb::grid {
namespace {

using embed::UmapOptions;

const ParamTable<UmapOptions>& umap_params() {
  return declared_once<UmapOptions>([](ParamTable<UmapOptions>& t) {
    t.add("n_components", &UmapOptions::n_components, "output dimensions", 1, 100)
        .add("n_neighbors", &UmapOptions::n_neighbors, "neighbourhood size, counting the point itself", 2, 1000)
        .add("min_dist", &UmapOptions::min_dist, "minimum distance between embedded points", 0, 100)
        .add("spread", &UmapOptions::spread, "scale of embedded points (with min_dist gives a and b)", 1e-3, 100)
        .add("n_epochs", &UmapOptions::n_epochs, "SGD epochs; 0 = 500 for n ≤ 10,000 else 200", 0, 100000)
        .add("learning_rate", &UmapOptions::learning_rate, "initial SGD step", 1e-6, 100)
        .add("negative_sample_rate", &UmapOptions::negative_sample_rate, "negative samples per positive sample", 0, 100)
        .add_enum("init", &UmapOptions::init, "initial layout: spectral, pca or random", embed::kUmapInitNames);
  });
}

SpaceResult compute_umap(const SpaceRequest& request) {
  const auto fit = embed::umap(request.features, umap_params().build(request.params), request.seed, request.executor);
  SpaceResult result;
  result.points = fit.embedding;
  result.values = {
      {"a", fit.a}, {"b", fit.b}, {"n_epochs", fit.n_epochs}, {"graph_edges", static_cast<double>(fit.graph_edges)}};
  add_trustworthiness(result, request);
  return result;
}

StepCost estimate_umap(const CostQuery& q) {
  StepCost c;
  c.output_dims = cost::param<Index>(q.params, "n_components", 2);
  const double n = static_cast<double>(q.points);
  const double neighbors = cost::param<double>(q.params, "n_neighbors", 15.0);
  double epochs = cost::param<double>(q.params, "n_epochs", 0.0);
  if (epochs <= 0) epochs = q.points <= 10000 ? 500 : 200;
  const double negatives = cost::param<double>(q.params, "negative_sample_rate", 5.0);
  c.cpu_seconds = n * neighbors * epochs * (1 + negatives) * 1.5e-9 * static_cast<double>(c.output_dims) +
                  4e-9 * n * neighbors * static_cast<double>(q.dims) * std::log2(std::max(n, 2.0)) * 4;
  c.peak_bytes = n * neighbors * 12.0 * 4 + n * 8.0 * static_cast<double>(c.output_dims) * 4;
  return cost::with_trustworthiness(c, q);
}

}  // namespace

SpaceEntry umap_space_entry() {
  return space_entry("umap",
                     "UMAP-style layout (fuzzy kNN graph, spectral init, SGD with negative sampling), deterministic",
                     with_trustworthiness(umap_params().specs()), compute_umap, estimate_umap);
}

}  // namespace cb::grid
