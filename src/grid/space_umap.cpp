// The UMAP-style space.
#include "builtin.hpp"
#include "clusterbench/embed/umap.hpp"
#include "space_support.hpp"

namespace cb::grid {
namespace {

using embed::UmapOptions;

const ParamTable<UmapOptions>& umap_params() {
  static const auto table = [] {
    ParamTable<UmapOptions> t;
    t.add("n_components", &UmapOptions::n_components, "output dimensions", 1, 100)
        .add("n_neighbors", &UmapOptions::n_neighbors, "neighbourhood size, counting the point itself", 2, 1000)
        .add("min_dist", &UmapOptions::min_dist, "minimum distance between embedded points", 0, 100)
        .add("spread", &UmapOptions::spread, "scale of embedded points (with min_dist gives a and b)", 1e-3, 100)
        .add("n_epochs", &UmapOptions::n_epochs, "SGD epochs; 0 = 500 for n ≤ 10,000 else 200", 0, 100000)
        .add("learning_rate", &UmapOptions::learning_rate, "initial SGD step", 1e-6, 100)
        .add("negative_sample_rate", &UmapOptions::negative_sample_rate, "negative samples per positive sample", 0, 100)
        .add_choice("init", "initial layout: spectral, pca or random", "spectral", {"spectral", "pca", "random"},
                    [](UmapOptions& o, const std::string& v) {
                      o.init = v == "pca" ? embed::UmapInit::pca
                               : v == "random" ? embed::UmapInit::random
                                               : embed::UmapInit::spectral;
                    });
    return t;
  }();
  return table;
}

}  // namespace

SpaceEntry umap_space_entry() {
  SpaceEntry entry;
  entry.name = "umap";
  entry.summary = "UMAP-style layout (fuzzy kNN graph, spectral init, SGD with negative sampling), deterministic";
  entry.params = umap_params().specs();
  entry.params.push_back(trustworthiness_param());
  entry.compute = [](const SpaceRequest& request) {
    const auto fit = embed::umap(request.features, umap_params().build(request.params), request.seed, request.executor);
    SpaceResult result;
    result.points = fit.embedding;
    result.values = {{"a", fit.a}, {"b", fit.b}, {"n_epochs", fit.n_epochs}, {"graph_edges", static_cast<double>(fit.graph_edges)}};
    add_trustworthiness(result, request);
    return result;
  };
  return entry;
}

}  // namespace cb::grid
