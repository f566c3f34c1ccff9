#pragma once
// t-SNE in 2-D, following scikit-learn's
// TSNE(method="barnes_hut"): sparse P from the kNN graph (3·perplexity
// neighbours) by per-point binary search on the perplexity, symmetrised and
// normalised; early exaggeration with momentum 0.5, then momentum 0.8; gains
// (delta-bar-delta). The repulsion is either Barnes–Hut (van der Maaten 2014)
// or FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019), chosen by
// size: the FFT grid costs about the same per iteration at any n
// (bench/compare_embed.sh, BM_TsneMethod). Barnes–Hut uses a quadtree with
// opening angle theta (0.5, as scikit-learn), walked once per group of nearby
// points with the angle taken from the group's bounding box, so at least as
// exact as one walk per point.
// Deterministic at any thread count: the tree is the same however its top
// subtrees are scheduled, FFT charges are spread in fixed chunks, every
// per-point force is computed independently, and sums merge in chunk order.
#include <cstdint>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"
#include "clusterbench/neighbors/knn.hpp"

namespace cb::embed {

enum class TsneInit {
  pca,     ///< first two principal components scaled to std 1e-4 (scikit-learn's init="pca")
  random,  ///< N(0, 1e-4²) per coordinate
};
/// Config and stored names of TsneInit.
inline constexpr EnumName<TsneInit> kTsneInitNames[] = {{"pca", TsneInit::pca}, {"random", TsneInit::random}};

enum class TsneRepulsion {
  automatic,   ///< barnes_hut below kTsneFftFromPoints points, fft from there (resolve_repulsion)
  fft,         ///< Lagrange interpolation on a node grid + FFT convolution (FIt-SNE): O(n + grid log grid)
  barnes_hut,  ///< quadtree with opening angle theta: O(n log n)
};
/// Config and stored names of TsneRepulsion.
inline constexpr EnumName<TsneRepulsion> kTsneRepulsionNames[] = {
    {"automatic", TsneRepulsion::automatic}, {"barnes_hut", TsneRepulsion::barnes_hut}, {"fft", TsneRepulsion::fft}};

/// Where automatic repulsion switches to fft. First set at 8,000 from 30-D blobs
/// (BM_TsneMethod); since the Barnes–Hut tree is built from sorted Morton codes
/// and walked per group of points, Barnes–Hut is the cheaper one well beyond
/// that: on the grid's customer features (experiments/grid_at_scale) it took
/// 11–12 CPU-seconds at 20,000 points against FFT's 20–21, with the same
/// trustworthiness (0.99977 vs 0.99976). FFT's cost per point is flat and
/// Barnes–Hut's grows as log n, so FFT still takes the largest sizes; the
/// switch at 50,000 is a round figure above the measured crossover, not a
/// measured one.
inline constexpr long kTsneFftFromPoints = 50'000;

/// The repulsion `tsne` uses for n points: automatic resolved by kTsneFftFromPoints.
constexpr TsneRepulsion resolve_repulsion(TsneRepulsion requested, long n) {
  if (requested != TsneRepulsion::automatic) return requested;
  return n >= kTsneFftFromPoints ? TsneRepulsion::fft : TsneRepulsion::barnes_hut;
}

struct TsneOptions {
  double perplexity = 30.0;                            ///< effective neighbour count; uses 3·perplexity neighbours
  double early_exaggeration = 12.0;                    ///< P multiplier during the exploration phase
  double learning_rate = 0;                            ///< step size (0 = "auto": max(n / early_exaggeration / 4, 50))
  int n_iter = 1000;                                   ///< total iterations, exploration included
  int exploration_iterations = 250;                    ///< iterations with exaggeration and momentum 0.5
  TsneRepulsion repulsion = TsneRepulsion::automatic;  ///< how the repulsive forces are approximated
  double theta = 0.5;                 ///< Barnes–Hut opening angle (0 would be exact but slow); scikit-learn's
                                      ///< angle is 0.5: 0.4 costs ~20% more per iteration for a more exact
                                      ///< repulsion and higher trustworthiness (bench/compare_embed.sh)
  TsneInit init = TsneInit::pca;      ///< initial layout
  double min_grad_norm = 1e-7;        ///< stop when the gradient norm falls below this
  int n_iter_without_progress = 300;  ///< stop when KL has not improved for this many iterations (checked every 50)
  neighbors::KnnOptions knn;          ///< how the kNN graph is built when not given
};

struct TsneResult {
  Matrix embedding;          ///< n × 2
  double kl_divergence = 0;  ///< KL(P‖Q) at the end (with the approximate Z, as scikit-learn reports)
  int iterations = 0;        ///< iterations run
  double learning_rate = 0;  ///< step size used
};

/// Throws InputError for empty data, fewer than 3 points, perplexity ≤ 0 or
/// n_iter < exploration_iterations.
TsneResult tsne(MatrixView points, const TsneOptions& options, std::uint64_t seed, const Executor& executor);

/// With a precomputed kNN graph (self excluded) of at least min(n-1, ⌊3·perplexity+1⌋) columns.
TsneResult tsne(MatrixView points, const neighbors::KnnGraph& graph, const TsneOptions& options, std::uint64_t seed,
                const Executor& executor);

/// Neighbours t-SNE needs for a perplexity: min(n - 1, ⌊3·perplexity + 1⌋), as scikit-learn.
Index tsne_neighbors(Index n, double perplexity);

}  // namespace cb::embed
