// FFT-interpolated t-SNE repulsion (see fft_repulsion.hpp).
#include "fft_repulsion.hpp"

#include <algorithm>
#include <cmath>
#include <unsupported/Eigen/FFT>

namespace cb::embed::detail {
namespace {

using Complex = std::complex<double>;
constexpr std::size_t kFftGrain = 16;      // FFT rows or columns per chunk
constexpr std::size_t kCellGrain = 8192;   // grid cells per chunk
constexpr std::size_t kPointGrain = 1024;  // points per chunk when interpolating

bool has_only_small_factors(int v) {
  for (int f : {2, 3, 5})
    while (v % f == 0) v /= f;
  return v == 1;
}

// Lagrange basis at local coordinate t ∈ [0, 1] for p nodes at (k + ½) / p.
void lagrange_weights(double t, int p, double* w) {
  for (int k = 0; k < p; ++k) {
    const double tk = (k + 0.5) / p;
    double v = 1;
    for (int l = 0; l < p; ++l)
      if (l != k) v *= (t - (l + 0.5) / p) / (tk - (l + 0.5) / p);
    w[k] = v;
  }
}

}  // namespace

struct FftRepulsion::Workspace {
  int m = 0;  // nodes per dimension
  int N = 0;  // padded FFT length (2m)
  int H = 0;  // half spectrum columns (N/2 + 1)
  std::vector<int> box_x, box_y;
  std::vector<double> wx, wy;           // n × p Lagrange weights per dimension
  std::vector<double> chunk_grids;      // per spreading chunk: m² charges
  std::vector<double> charges;          // m² (unit charge per point, spread)
  std::vector<double> potentials;       // 2 × m²: the two force components
  // Spectra (H × N, column-major): charges, kernel q, kernels q²·d_x and q²·d_y (then the products).
  std::vector<Complex> charge_spectrum, kernel_q, kernel_fx, kernel_fy;
  std::vector<double> offsets;          // signed node distance of each padded index
  // One FFT engine and scratch per chunk: the engines keep scratch buffers and are not thread-safe.
  std::vector<Eigen::FFT<double>> ffts;
  std::vector<std::vector<double>> real_scratch;
  std::vector<std::vector<Complex>> complex_scratch;

  void resize(int m_new) {
    m = m_new;
    N = 2 * m;
    H = N / 2 + 1;
    const auto spectrum = static_cast<std::size_t>(H) * static_cast<std::size_t>(N);
    const auto cells = static_cast<std::size_t>(m) * static_cast<std::size_t>(m);
    charges.resize(cells);
    potentials.resize(2 * cells);
    charge_spectrum.resize(spectrum);
    kernel_q.resize(spectrum);
    kernel_fx.resize(spectrum);
    kernel_fy.resize(spectrum);
    offsets.resize(static_cast<std::size_t>(N));
    const auto chunks = Executor::chunk_count(static_cast<std::size_t>(N), kFftGrain);
    if (ffts.size() < chunks) {
      ffts.resize(chunks);
      for (auto& f : ffts) f.SetFlag(Eigen::FFT<double>::HalfSpectrum), f.SetFlag(Eigen::FFT<double>::Unscaled);
      real_scratch.resize(chunks);
      complex_scratch.resize(chunks);
    }
    for (std::size_t c = 0; c < chunks; ++c) {
      real_scratch[c].resize(static_cast<std::size_t>(N));
      complex_scratch[c].resize(static_cast<std::size_t>(N));
    }
  }

  // 2-D real-to-half-spectrum FFT of an N × N grid whose rows ≥ rows_nonzero are zero;
  // fill_row(r, out) writes row r's N values.
  template <class FillRow>
  void forward(int rows_nonzero, FillRow&& fill_row, Complex* spec, const Executor& ex) {
    const auto n_rows = static_cast<std::size_t>(N);
    ex.for_chunks(static_cast<std::size_t>(rows_nonzero), kFftGrain, [&](std::size_t chunk, Range r) {
      auto& real = real_scratch[chunk];
      auto& cplx = complex_scratch[chunk];
      for (std::size_t row = r.begin; row < r.end; ++row) {
        fill_row(static_cast<int>(row), real.data());
        ffts[chunk].fwd(cplx.data(), real.data(), N);
        for (int c = 0; c < H; ++c) spec[static_cast<std::size_t>(c) * n_rows + row] = cplx[static_cast<std::size_t>(c)];
      }
    });
    ex.for_chunks(static_cast<std::size_t>(H), kFftGrain, [&](std::size_t chunk, Range r) {
      auto& cplx = complex_scratch[chunk];
      for (std::size_t c = r.begin; c < r.end; ++c) {
        Complex* column = spec + c * n_rows;
        std::fill(column + rows_nonzero, column + N, Complex(0, 0));
        std::copy(column, column + N, cplx.begin());
        ffts[chunk].fwd(column, cplx.data(), N);
      }
    });
  }

  // Inverse of forward (unscaled), keeping the top-left m × m block in out.
  void inverse(Complex* spec, double* out, const Executor& ex) {
    const auto n_rows = static_cast<std::size_t>(N);
    ex.for_chunks(static_cast<std::size_t>(H), kFftGrain, [&](std::size_t chunk, Range r) {
      auto& cplx = complex_scratch[chunk];
      for (std::size_t c = r.begin; c < r.end; ++c) {
        Complex* column = spec + c * n_rows;
        std::copy(column, column + N, cplx.begin());
        ffts[chunk].inv(column, cplx.data(), N);
      }
    });
    ex.for_chunks(static_cast<std::size_t>(m), kFftGrain, [&](std::size_t chunk, Range r) {
      auto& real = real_scratch[chunk];
      auto& cplx = complex_scratch[chunk];
      for (std::size_t row = r.begin; row < r.end; ++row) {
        for (int c = 0; c < H; ++c) cplx[static_cast<std::size_t>(c)] = spec[static_cast<std::size_t>(c) * n_rows + row];
        ffts[chunk].inv(real.data(), cplx.data(), N);
        std::copy(real.begin(), real.begin() + m, out + row * static_cast<std::size_t>(m));
      }
    });
  }
};

FftRepulsion::FftRepulsion(FftGridSettings settings) : settings_(settings), ws_(std::make_unique<Workspace>()) {}
FftRepulsion::~FftRepulsion() = default;

int FftRepulsion::boxes_for_range(double range) const {
  int boxes = static_cast<int>(std::ceil(range * settings_.intervals_per_integer));
  boxes = std::clamp(boxes, settings_.min_intervals, settings_.max_intervals);
  while (boxes % 2 != 0 || !has_only_small_factors(boxes)) ++boxes;
  return boxes;
}

double FftRepulsion::compute(const Matrix& y, Matrix& rep, const Executor& ex) {
  const Index n = y.rows();
  const int p = settings_.interpolation_points;
  const double lo0 = y.col(0).minCoeff(), hi0 = y.col(0).maxCoeff();
  const double lo1 = y.col(1).minCoeff(), hi1 = y.col(1).maxCoeff();
  const double c0 = (lo0 + hi0) / 2, c1 = (lo1 + hi1) / 2;
  const double range = std::max({hi0 - lo0, hi1 - lo1, 1e-12}) * (1 + 1e-9);
  const int boxes = boxes_for_range(range);
  const double box_width = range / boxes;
  const double h = box_width / p;  // node spacing
  auto& w = *ws_;
  w.resize(boxes * p);
  const int m = w.m, N = w.N, H = w.H;
  const auto cells = static_cast<std::size_t>(m) * static_cast<std::size_t>(m);
  const auto spectrum = static_cast<std::size_t>(H) * static_cast<std::size_t>(N);

  // Spread the charges with fixed chunks of points, merged in chunk order.
  const auto un = static_cast<std::size_t>(n);
  const std::size_t point_grain = std::max<std::size_t>(4096, (un + 3) / 4);
  const auto spread_chunks = Executor::chunk_count(un, point_grain);
  w.chunk_grids.resize(spread_chunks * cells);
  w.box_x.resize(un), w.box_y.resize(un);
  w.wx.resize(un * static_cast<std::size_t>(p)), w.wy.resize(un * static_cast<std::size_t>(p));
  ex.for_chunks(un, point_grain, [&](std::size_t chunk, Range r) {
    double* grid = w.chunk_grids.data() + chunk * cells;
    std::fill(grid, grid + cells, 0.0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double u0 = y(static_cast<Index>(i), 0) - c0, u1 = y(static_cast<Index>(i), 1) - c1;
      const double s0 = (u0 + range / 2) / box_width, s1 = (u1 + range / 2) / box_width;
      const int b0 = std::clamp(static_cast<int>(s0), 0, boxes - 1), b1 = std::clamp(static_cast<int>(s1), 0, boxes - 1);
      double* wx = &w.wx[i * static_cast<std::size_t>(p)];
      double* wy = &w.wy[i * static_cast<std::size_t>(p)];
      lagrange_weights(s0 - b0, p, wx);
      lagrange_weights(s1 - b1, p, wy);
      w.box_x[i] = b0, w.box_y[i] = b1;
      for (int a = 0; a < p; ++a) {
        const std::size_t row = static_cast<std::size_t>(b0 * p + a) * static_cast<std::size_t>(m);
        for (int b = 0; b < p; ++b) grid[row + static_cast<std::size_t>(b1 * p + b)] += wx[a] * wy[b];
      }
    }
  });
  ex.parallel_for(cells, kCellGrain, [&](Range r) {
    for (std::size_t k = r.begin; k < r.end; ++k) {
      double s = 0;
      for (std::size_t c = 0; c < spread_chunks; ++c) s += w.chunk_grids[c * cells + k];
      w.charges[k] = s;
    }
  });

  // Kernels on the padded node grid (circular offsets), their spectra scaled for the unscaled inverse.
  for (int a = 0; a < N; ++a) w.offsets[static_cast<std::size_t>(a)] = (a < m ? a : a - N) * h;
  // The force kernels q²·d are convolved with the unit charges directly: no y·Σq² − Σq²·y cancellation.
  enum class Kernel { q, force_x, force_y };
  const auto fill_kernel = [&w, N](Kernel kernel) {
    return [&w, N, kernel](int row, double* out) {
      const double da = w.offsets[static_cast<std::size_t>(row)];
      for (int b = 0; b < N; ++b) {
        const double db = w.offsets[static_cast<std::size_t>(b)];
        const double q = 1.0 / (1.0 + da * da + db * db);
        out[b] = kernel == Kernel::q ? q : q * q * (kernel == Kernel::force_x ? da : db);
      }
    };
  };
  w.forward(N, fill_kernel(Kernel::q), w.kernel_q.data(), ex);
  w.forward(N, fill_kernel(Kernel::force_x), w.kernel_fx.data(), ex);
  w.forward(N, fill_kernel(Kernel::force_y), w.kernel_fy.data(), ex);
  const double* grid = w.charges.data();
  w.forward(
      m,
      [grid, m, N](int row, double* out) {
        std::copy(grid + static_cast<std::size_t>(row) * static_cast<std::size_t>(m),
                  grid + static_cast<std::size_t>(row + 1) * static_cast<std::size_t>(m), out);
        std::fill(out + m, out + N, 0.0);
      },
      w.charge_spectrum.data(), ex);

  // Σ_i Σ_j q_ij = Σ_nodes w (K * w) = Σ_freq |ŵ|² K̂ / N² (Parseval; half spectrum, inner columns twice).
  const double inv_n2 = 1.0 / (static_cast<double>(N) * static_cast<double>(N));
  const double sum_q_all = ex.reduce(
      static_cast<std::size_t>(H), kFftGrain, 0.0,
      [&](Range r) {
        double s = 0;
        for (std::size_t c = r.begin; c < r.end; ++c) {
          const double weight = (c == 0 || c == static_cast<std::size_t>(N / 2)) ? 1.0 : 2.0;
          double col = 0;
          for (std::size_t row = 0; row < static_cast<std::size_t>(N); ++row)
            col += std::norm(w.charge_spectrum[c * static_cast<std::size_t>(N) + row]) *
                   w.kernel_q[c * static_cast<std::size_t>(N) + row].real();
          s += weight * col;
        }
        return s;
      },
      [](double& acc, double part) { acc += part; });
  const double z = sum_q_all * inv_n2 - static_cast<double>(n);

  // Force potentials on the nodes: (q²·d) * charges.
  ex.parallel_for(spectrum, kCellGrain, [&](Range r) {
    for (std::size_t k = r.begin; k < r.end; ++k) {
      const Complex charge = w.charge_spectrum[k] * inv_n2;
      w.kernel_fx[k] *= charge;
      w.kernel_fy[k] *= charge;
    }
  });
  w.inverse(w.kernel_fx.data(), w.potentials.data(), ex);
  w.inverse(w.kernel_fy.data(), w.potentials.data() + cells, ex);

  // Interpolate the force potentials back to the points.
  rep.resize(n, 2);
  ex.parallel_for(un, kPointGrain, [&](Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double* wx = &w.wx[i * static_cast<std::size_t>(p)];
      const double* wy = &w.wy[i * static_cast<std::size_t>(p)];
      double phi[2] = {0, 0};
      for (int a = 0; a < p; ++a) {
        const std::size_t row = static_cast<std::size_t>(w.box_x[i] * p + a) * static_cast<std::size_t>(m);
        for (int b = 0; b < p; ++b) {
          const std::size_t cell = row + static_cast<std::size_t>(w.box_y[i] * p + b);
          const double weight = wx[a] * wy[b];
          phi[0] += weight * w.potentials[cell];
          phi[1] += weight * w.potentials[cells + cell];
        }
      }
      rep(static_cast<Index>(i), 0) = phi[0];
      rep(static_cast<Index>(i), 1) = phi[1];
    }
  });
  return z;
}

}  // namespace cb::embed::detail
