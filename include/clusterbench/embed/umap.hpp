#pragma once
// UMAP-style embedding (McInnes, Healy & Melville 2018), following umap-learn's
// recipe: kNN graph → smooth-kNN fuzzy simplicial set (per-point rho/sigma by
// binary search, fuzzy union) → spectral initialisation → SGD layout with
// negative sampling.
//
// Deterministic at any thread count (umap-learn's Hogwild SGD is not): points
// are processed in fixed chunks, each with its own random stream per epoch,
// and a point writes only its own position. Attraction along a sampled edge is
// computed from the positions at the start of the epoch and applied twice (as
// the head of i→j and as the moved tail of j→i, i.e. umap-learn's move_other),
// so each pair's pull stays symmetric; negative samples then push the point's
// running position away from the snapshot positions of random points.
#include <cstdint>
#include <string>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/neighbors/knn.hpp"

namespace cb::embed {

enum class UmapInit {
  spectral,  ///< leading non-trivial eigenvectors of the normalised graph (subspace iteration)
  pca,       ///< first principal components of the data
  random,    ///< uniform in [0, 10]
};
/// Config and stored names of UmapInit.
inline constexpr EnumName<UmapInit> kUmapInitNames[] = {
    {"spectral", UmapInit::spectral}, {"pca", UmapInit::pca}, {"random", UmapInit::random}};

struct UmapOptions {
  Index n_components = 2;              ///< output dimensions
  Index n_neighbors = 15;              ///< neighbourhood size, counting the point itself (as umap-learn)
  double min_dist = 0.1;               ///< minimum distance between embedded points
  double spread = 1.0;                 ///< scale of embedded points; with min_dist determines a and b
  double a = 0;                        ///< curve parameter a (0 = fit from min_dist and spread)
  double b = 0;                        ///< curve parameter b (0 = fit from min_dist and spread)
  int n_epochs = 0;                    ///< SGD epochs (0 = 500 for n ≤ 10,000, else 200, as umap-learn)
  double learning_rate = 1.0;          ///< initial SGD step, decays linearly to 0
  double negative_sample_rate = 5;     ///< negative samples per positive sample
  double repulsion_strength = 1.0;     ///< weight of negative samples (gamma)
  UmapInit init = UmapInit::spectral;  ///< initial layout
  int spectral_iterations = 150;       ///< subspace iterations of the spectral initialisation
  neighbors::KnnOptions knn;           ///< how the kNN graph is built when not given
};

struct UmapResult {
  Matrix embedding;               ///< n × n_components
  double a = 0;                   ///< curve parameter used
  double b = 0;                   ///< curve parameter used
  int n_epochs = 0;               ///< epochs run
  Index graph_edges = 0;          ///< directed edges of the fuzzy graph after pruning
  std::string init = "spectral";  ///< initialisation used ("pca" when spectral fell back)
};

/// umap-learn's find_ab_params: least-squares fit of 1 / (1 + a·x^(2b)) to the
/// target membership curve given min_dist and spread. Returns {a, b}.
std::pair<double, double> fit_umap_ab(double spread, double min_dist);

/// Builds the kNN graph (options.knn) and embeds. Throws InputError for empty
/// data, n_neighbors < 2 or ≥ n, n_components < 1, min_dist < 0 or spread ≤ 0.
UmapResult umap(MatrixView points, const UmapOptions& options, std::uint64_t seed, const Executor& executor);

/// Embeds with a precomputed kNN graph (self excluded) of at least n_neighbors-1 columns.
UmapResult umap(MatrixView points, const neighbors::KnnGraph& graph, const UmapOptions& options, std::uint64_t seed,
                const Executor& executor);

}  // namespace cb::embed
