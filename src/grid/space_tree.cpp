// The tree space: leaves of a random-trees or random-forest embedding, reduced to a few dimensions.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "builtin.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/embed/trees.hpp"
#include "cost_support.hpp"
#include "space_support.hpp"

namespace cb::grid {
namespace {

using embed::TreeEmbeddingOptions;

struct TreeParams {
  TreeEmbeddingOptions options;
  std::string target;  ///< supervised target column name; empty = totally random trees
};

const ParamTable<TreeParams>& tree_params() {
  return declared_once<TreeParams>([](ParamTable<TreeParams>& t) {
    t.add("target", &TreeParams::target,
          "column a random forest predicts (e.g. monetary); empty = totally random trees")
        .add_enum(
            "reduction", [](TreeParams & p) -> auto& { return p.options.reduction; },
            "how leaves become coordinates: pca or umap", embed::kTreeReductionNames);
  });
}

/// Forest settings live in TreeEmbeddingOptions; declared here once with their defaults.
std::vector<ParamSpec> forest_specs() {
  const TreeEmbeddingOptions d{};
  return {ParamSpec{"n_estimators", "trees in the forest", "int", d.n_estimators, 1.0, 1e5, {}},
          ParamSpec{"max_depth", "maximum depth of a tree", "int", d.max_depth, 1.0, 64.0, {}},
          ParamSpec{"min_samples_leaf", "points each leaf keeps at least", "int", d.min_samples_leaf, 1.0, 1e9, {}},
          ParamSpec{"n_components", "output dimensions", "int", d.n_components, 1.0, 100.0, {}}};
}

SpaceResult compute_tree(const SpaceRequest& request) {
  auto params = tree_params().build(request.params);
  auto& options = params.options;
  options.n_estimators = request.params.at("n_estimators").get<int>();
  options.max_depth = request.params.at("max_depth").get<int>();
  options.min_samples_leaf = request.params.at("min_samples_leaf").get<Index>();
  options.n_components = request.params.at("n_components").get<Index>();
  if (!params.target.empty()) {
    const auto& names = request.column_names;
    const auto it = std::find(names.begin(), names.end(), params.target);
    if (it == names.end())
      throw ConfigError(
          fmt::format("spaces: tree: target '{}' is not a feature column ({})", params.target, fmt::join(names, ", ")));
    options.mode = embed::TreeMode::supervised;
    options.target_column = it - names.begin();
  }
  auto fit = embed::tree_embedding(request.features, options, request.seed, request.executor);
  SpaceResult result;
  result.points = std::move(fit.embedding);
  if (!std::isnan(fit.oob_r2)) result.values["oob_r2"] = fit.oob_r2;
  result.arrays["explained_variance_ratio"] = Matrix(fit.explained_variance_ratio);
  add_trustworthiness(result, request);
  return result;
}

StepCost estimate_tree(const CostQuery& q) {
  StepCost c;
  const TreeEmbeddingOptions d{};
  c.output_dims = cost::param<Index>(q.params, "n_components", d.n_components);
  const double n = static_cast<double>(q.points);
  const double trees = cost::param<double>(q.params, "n_estimators", d.n_estimators);
  const double depth = cost::param<double>(q.params, "max_depth", d.max_depth);
  const bool supervised = !cost::param<std::string>(q.params, "target", "").empty();
  // Each point descends every tree; a forest also sorts and splits at every level.
  c.cpu_seconds = n * trees * depth * (supervised ? 1.1e-7 : 1.8e-8) + n * trees * 2.5e-8;
  c.peak_bytes = n * trees * 16.0 + n * static_cast<double>(q.dims) * 8.0 * 2;
  return cost::with_trustworthiness(c, q);
}

}  // namespace

SpaceEntry tree_space_entry() {
  auto params = tree_params().specs();
  for (auto& spec : forest_specs()) params.push_back(spec);
  return space_entry("tree",
                     "random-forest (supervised on a target column) or totally-random-trees leaf embedding, reduced by "
                     "PCA or UMAP",
                     with_trustworthiness(std::move(params)), compute_tree, estimate_tree);
}

}  // namespace cb::grid
