#pragma once
// Internal: t-SNE repulsion by FFT-accelerated interpolation (FIt-SNE,
// Linderman et al. 2019, as its nbodyfft_2d): the embedding's bounding square
// is cut into boxes with p equispaced Lagrange nodes per box and dimension;
// a unit charge per point is spread onto the node grid and convolved by
// zero-padded FFT (FFTW, planned per padded length) with q = 1/(1+d²) (for Z, by
// Parseval) and with the force kernels q²·d_x, q²·d_y, whose potentials are
// interpolated back to the points. (FIt-SNE convolves charges 1, y1, y2, |y|² with
// q² instead; convolving the force kernels needs fewer FFTs and avoids the
// cancellation in y·Σq² − Σq²·y.) The kernels' symmetries make their spectra real
// DCT-I / DST-I transforms of one quarter of the grid, and q²·d_y is q²·d_x
// transposed, so two quarter-size transforms give all three.
// Deterministic at any thread count: spreading uses fixed chunks merged in
// chunk order, and every FFT row/column and every point is computed on its own.
#include <complex>
#include <memory>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::embed::detail {

struct FftGridSettings {
  int interpolation_points = 3;      ///< Lagrange nodes per box and dimension
  int min_intervals = 50;            ///< boxes per dimension at least
  double intervals_per_integer = 1;  ///< boxes per unit of embedding range
  int max_intervals = 200;           ///< boxes per dimension at most
};

class FftRepulsion {
 public:
  explicit FftRepulsion(FftGridSettings settings = {});
  ~FftRepulsion();
  FftRepulsion(const FftRepulsion&) = delete;
  FftRepulsion& operator=(const FftRepulsion&) = delete;

  /// For y (n × 2): returns Z = Σ_{i≠j} q_ij and writes rep(i, ·) = Σ_j q_ij² (y_i − y_j),
  /// q = 1 / (1 + d²), the same quantities as the Barnes–Hut quadtree.
  double compute(const Matrix& y, Matrix& rep, const Executor& executor);

  /// Boxes per dimension used for an embedding range (even, with factors 2, 3 and 5 only, for fast FFTs).
  int boxes_for_range(double range) const;

 private:
  class Plans;
  struct Workspace;
  FftGridSettings settings_;
  std::unique_ptr<Workspace> ws_;
};

}  // namespace cb::embed::detail
