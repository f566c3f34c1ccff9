#pragma once
// Tree (random-forest leaf) embeddings: each point is described by the leaf it
// reaches in every tree of a forest; the one-hot leaf matrix is then reduced to
// a few dimensions.
//  (a) unsupervised: totally random trees (as scikit-learn's RandomTreesEmbedding:
//      a random feature and a uniform random threshold per split);
//  (b) supervised: a random forest regressor predicting one column of the data
//      from the others (bootstrap, best variance-reducing split among a random
//      subset of features); its out-of-bag R² is reported.
// Reduction: PCA of the centred one-hot leaf matrix (n × total leaves, never
// formed densely) by seeded subspace iteration, or that PCA to
// `umap_input_components` dimensions followed by the UMAP-style layout.
// Every tree draws from its own random stream and the leaf-matrix products
// merge fixed chunks in order, so results are identical at any thread count.
#include <cstdint>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/embed/umap.hpp"
#include "clusterbench/neighbors/knn.hpp"

namespace cb::embed {

enum class TreeMode {
  random,      ///< totally random trees (unsupervised)
  supervised,  ///< random forest regressor on target_column
};

enum class TreeReduction {
  pca,   ///< principal components of the one-hot leaf matrix
  umap,  ///< UMAP-style layout of its first umap_input_components principal components
};
/// Config and stored names of TreeReduction.
inline constexpr EnumName<TreeReduction> kTreeReductionNames[] = {{"pca", TreeReduction::pca},
                                                                  {"umap", TreeReduction::umap}};

struct TreeEmbeddingOptions {
  TreeMode mode = TreeMode::random;              ///< which forest
  Index target_column = -1;                      ///< supervised: column predicted (excluded from the features)
  int n_estimators = 100;                        ///< trees
  int max_depth = 5;                             ///< maximum depth of a tree (root = depth 0)
  Index min_samples_split = 2;                   ///< a node with fewer points becomes a leaf
  Index min_samples_leaf = 1;                    ///< each child of a split keeps at least this many points
  double max_features = 1.0;                     ///< supervised: fraction of features tried per split
  bool bootstrap = true;                         ///< supervised: each tree sees a bootstrap sample (needed for OOB R²)
  TreeReduction reduction = TreeReduction::pca;  ///< how leaves become coordinates
  Index n_components = 2;                        ///< output dimensions
  int svd_iterations = 12;                       ///< subspace iterations of the leaf-matrix PCA
  Index umap_input_components = 16;              ///< reduction = umap: leaf PCA dimensions fed to the layout
  UmapOptions umap;  ///< reduction = umap: layout settings (n_components is taken from above)
};

struct TreeEmbeddingResult {
  Matrix embedding;                       ///< n × n_components
  neighbors::IndexMatrix leaves;          ///< n × n_estimators: leaf number of each point in each tree
  std::vector<std::int32_t> leaf_counts;  ///< leaves per tree
  double oob_r2 = 0;                      ///< supervised: out-of-bag R² of the forest (NaN otherwise)
  Index oob_points = 0;                   ///< supervised: points with at least one out-of-bag prediction
  Vector explained_variance_ratio;        ///< of the leaf-matrix components returned by the PCA step
};

/// Throws InputError for empty data, n_estimators < 1, max_depth < 0, bad
/// min_samples_*, or (supervised) a target_column outside the data or data with one column.
TreeEmbeddingResult tree_embedding(MatrixView points, const TreeEmbeddingOptions& options, std::uint64_t seed,
                                   const Executor& executor);

}  // namespace cb::embed
