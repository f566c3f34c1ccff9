// FFT-interpolated t-SNE repulsion (see fft_repulsion.hpp).
#include "fft_repulsion.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>

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

// Lagrange basis for p nodes at (k + ½) / p of the unit box; the denominators are constants.
class LagrangeBasis {
 public:
  explicit LagrangeBasis(int p) : nodes_(static_cast<std::size_t>(p)), scale_(static_cast<std::size_t>(p), 1.0) {
    for (int k = 0; k < p; ++k) nodes_[static_cast<std::size_t>(k)] = (k + 0.5) / p;
    for (std::size_t k = 0; k < nodes_.size(); ++k)
      for (std::size_t l = 0; l < nodes_.size(); ++l)
        if (l != k) scale_[k] /= nodes_[k] - nodes_[l];
  }
  /// The p weights at local coordinate t ∈ [0, 1].
  void weights(double t, double* w) const {
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      double v = scale_[k];
      for (std::size_t l = 0; l < nodes_.size(); ++l)
        if (l != k) v *= t - nodes_[l];
      w[k] = v;
    }
  }

 private:
  std::vector<double> nodes_, scale_;
};

// FFTW's SIMD codelets need aligned arrays, and a plan may only run on arrays aligned as the ones
// it was made with: every FFT buffer, row and column starts on a 64-byte boundary.
constexpr std::size_t kAlignment = 64;
template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kAlignment})); }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{kAlignment}); }
  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) { return true; }
};
template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

// Doubles per scratch row: the padded length rounded up to whole 64-byte lines.
std::size_t aligned_stride(int n) { return (static_cast<std::size_t>(n) + 7) / 8 * 8; }

fftw_complex* as_fftw(Complex* z) { return reinterpret_cast<fftw_complex*>(z); }

// FFTW's planner is not thread-safe (executing a plan is): every plan is made and destroyed under this lock.
std::mutex& planner_lock() {
  static std::mutex lock;
  return lock;
}

}  // namespace

// The four 1-D transforms of one padded length. FFTW_ESTIMATE picks the algorithm from the size alone,
// so results do not depend on timing. Made with aligned arrays, they run on any aligned row or column.
class FftRepulsion::Plans {
 public:
  explicit Plans(int n) {
    AlignedVector<double> real(static_cast<std::size_t>(n));
    AlignedVector<Complex> cplx(static_cast<std::size_t>(n));
    const unsigned flags = FFTW_ESTIMATE;
    const std::lock_guard guard(planner_lock());
    real_to_half_ = fftw_plan_dft_r2c_1d(n, real.data(), as_fftw(cplx.data()), flags);
    half_to_real_ = fftw_plan_dft_c2r_1d(n, as_fftw(cplx.data()), real.data(), flags);
    forward_ = fftw_plan_dft_1d(n, as_fftw(cplx.data()), as_fftw(cplx.data()), FFTW_FORWARD, flags);
    backward_ = fftw_plan_dft_1d(n, as_fftw(cplx.data()), as_fftw(cplx.data()), FFTW_BACKWARD, flags);
    if (!real_to_half_ || !half_to_real_ || !forward_ || !backward_) throw std::runtime_error("FFTW planning failed");
  }
  ~Plans() {
    const std::lock_guard guard(planner_lock());
    for (auto plan : {real_to_half_, half_to_real_, forward_, backward_})
      if (plan) fftw_destroy_plan(plan);
  }
  Plans(const Plans&) = delete;
  Plans& operator=(const Plans&) = delete;

  void real_to_half(double* in, Complex* out) const { fftw_execute_dft_r2c(real_to_half_, in, as_fftw(out)); }
  void half_to_real(Complex* in, double* out) const {
    fftw_execute_dft_c2r(half_to_real_, as_fftw(in), out);
  }  // destroys in
  void forward(Complex* data) const { fftw_execute_dft(forward_, as_fftw(data), as_fftw(data)); }
  void backward(Complex* data) const { fftw_execute_dft(backward_, as_fftw(data), as_fftw(data)); }

 private:
  fftw_plan real_to_half_ = nullptr, half_to_real_ = nullptr, forward_ = nullptr, backward_ = nullptr;
};

struct FftRepulsion::Workspace {
  int m = 0;  // nodes per dimension
  int N = 0;  // padded FFT length (2m)
  int H = 0;  // half spectrum columns (N/2 + 1)
  const Plans* plans = nullptr;
  std::map<int, std::unique_ptr<Plans>> plans_by_length;
  std::vector<int> box_x, box_y;
  std::vector<double> wx, wy;       // n × p Lagrange weights per dimension
  std::vector<double> chunk_grids;  // per spreading chunk: m² charges
  std::vector<double> charges;      // m² (unit charge per point, spread)
  std::vector<double> potentials;   // 2 × m²: the two force components
  // Spectra (H × N, column-major): charges and the two force products.
  AlignedVector<Complex> charge_spectrum, product_x, product_y;
  // The kernels are even (q) or odd in one offset (q²·d): their spectra are real transforms of a
  // quarter of the padded grid, (m+1) × (m+1) values at offsets 0..m.
  AlignedVector<double> spectrum_q;     // Q(r, c) = q̂(r, c) for r, c ∈ 0..m
  AlignedVector<double> spectrum_fx;    // S(r − 1, c) = i·(q²·d_x)^(r, c) for r ∈ 1..m−1, c ∈ 0..m
  std::vector<double> pass_q, pass_fx;  // the kernels after their first pass, [c][a]
  std::vector<AlignedVector<double>> real_scratch;  // per chunk: one real row
  std::vector<AlignedVector<Complex>> complex_scratch;

  void resize(int m_new) {
    m = m_new;
    N = 2 * m;
    H = N / 2 + 1;
    auto& cached = plans_by_length[N];
    if (!cached) cached = std::make_unique<Plans>(N);
    plans = cached.get();
    const auto spectrum = static_cast<std::size_t>(H) * static_cast<std::size_t>(N);
    const auto cells = static_cast<std::size_t>(m) * static_cast<std::size_t>(m);
    charges.resize(cells);
    potentials.resize(2 * cells);
    for (auto* s : {&charge_spectrum, &product_x, &product_y}) s->resize(spectrum);
    const auto quarter = static_cast<std::size_t>(m + 1) * static_cast<std::size_t>(m + 1);
    spectrum_q.resize(quarter);
    spectrum_fx.resize(quarter);
    const auto chunks = Executor::chunk_count(static_cast<std::size_t>(N), kFftGrain);
    real_scratch.resize(std::max(real_scratch.size(), chunks));
    complex_scratch.resize(std::max(complex_scratch.size(), chunks));
    for (std::size_t c = 0; c < chunks; ++c) {
      real_scratch[c].resize(aligned_stride(N));
      complex_scratch[c].resize(static_cast<std::size_t>(N));
    }
  }

  // 2-D real-to-half-spectrum FFT of an m × m grid (row-major) zero-padded to N × N.
  void forward(const double* grid, Complex* spec, const Executor& ex) {
    const auto n_rows = static_cast<std::size_t>(N), um = static_cast<std::size_t>(m);
    ex.for_chunks(um, kFftGrain, [&](std::size_t chunk, Range r) {
      double* real = real_scratch[chunk].data();
      Complex* cplx = complex_scratch[chunk].data();
      for (std::size_t row = r.begin; row < r.end; ++row) {
        std::copy(grid + row * um, grid + (row + 1) * um, real);
        std::fill(real + m, real + N, 0.0);
        plans->real_to_half(real, cplx);
        for (int c = 0; c < H; ++c) spec[static_cast<std::size_t>(c) * n_rows + row] = cplx[c];
      }
    });
    ex.for_chunks(static_cast<std::size_t>(H), kFftGrain, [&](std::size_t, Range r) {
      for (std::size_t c = r.begin; c < r.end; ++c) {
        Complex* column = spec + c * n_rows;
        std::fill(column + m, column + N, Complex(0, 0));
        plans->forward(column);
      }
    });
  }

  // Inverse of forward (unscaled), keeping the top-left m × m block in out.
  void inverse(Complex* spec, double* out, const Executor& ex) {
    const auto n_rows = static_cast<std::size_t>(N);
    ex.parallel_for(static_cast<std::size_t>(H), kFftGrain, [&](Range r) {
      for (std::size_t c = r.begin; c < r.end; ++c) plans->backward(spec + c * n_rows);
    });
    ex.for_chunks(static_cast<std::size_t>(m), kFftGrain, [&](std::size_t chunk, Range r) {
      double* real = real_scratch[chunk].data();
      auto& cplx = complex_scratch[chunk];
      for (std::size_t row = r.begin; row < r.end; ++row) {
        for (int c = 0; c < H; ++c)
          cplx[static_cast<std::size_t>(c)] = spec[static_cast<std::size_t>(c) * n_rows + row];
        plans->half_to_real(cplx.data(), real);
        std::copy(real, real + m, out + row * static_cast<std::size_t>(m));
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

  // Spread the charges with fixed chunks of points, merged in chunk order.
  const LagrangeBasis basis(p);
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
      const int b0 = std::clamp(static_cast<int>(s0), 0, boxes - 1),
                b1 = std::clamp(static_cast<int>(s1), 0, boxes - 1);
      double* wx = &w.wx[i * static_cast<std::size_t>(p)];
      double* wy = &w.wy[i * static_cast<std::size_t>(p)];
      basis.weights(s0 - b0, wx);
      basis.weights(s1 - b1, wy);
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

  // Kernel spectra. On the padded grid the kernels are q (even in both offsets) and q²·d_x (odd in the
  // row offset, even in the column offset; its value at offset ±m is never used by the m-node
  // convolution, so it is taken as 0, which makes it exactly odd). Their DFTs are a DCT-I of the quarter
  // at offsets 0..m, and −i times a DST-I ⊗ DCT-I; the force kernel q²·d_y is q²·d_x transposed.
  // Both passes run FFTW's (SIMD) real-to-complex transform on the even or odd extension of a row,
  // which is faster than its DCT-I/DST-I: the DFT of an even row is real, of an odd row imaginary.
  {
    const auto len = static_cast<std::size_t>(m + 1), um = static_cast<std::size_t>(m),
               padded = static_cast<std::size_t>(N);
    w.pass_q.resize(len * len);
    w.pass_fx.resize(len * len);
    // Pass 1, along the column offset b (both kernels even): results stored transposed, [c][a].
    ex.for_chunks(len, kFftGrain, [&](std::size_t chunk, Range rows) {
      double* real = w.real_scratch[chunk].data();
      Complex* cplx = w.complex_scratch[chunk].data();
      for (std::size_t a = rows.begin; a < rows.end; ++a) {
        const double da = static_cast<double>(a) * h;
        for (std::size_t b = 0; b <= um; ++b) {
          const double db = static_cast<double>(b) * h;
          real[b] = 1.0 / (1.0 + da * da + db * db);
        }
        for (std::size_t b = um + 1; b < padded; ++b) real[b] = real[padded - b];
        w.plans->real_to_half(real, cplx);
        for (std::size_t c = 0; c < len; ++c) w.pass_q[c * len + a] = cplx[c].real();
        if (a == 0 || a == um) {
          for (std::size_t c = 0; c < len; ++c) w.pass_fx[c * len + a] = 0;
          continue;
        }
        for (std::size_t b = 0; b < padded; ++b) real[b] *= real[b] * da;  // q → q²·d_x, still even in b
        w.plans->real_to_half(real, cplx);
        for (std::size_t c = 0; c < len; ++c) w.pass_fx[c * len + a] = cplx[c].real();
      }
    });
    // Pass 2, along the row offset a: even for q, odd for q²·d_x.
    ex.for_chunks(len, kFftGrain, [&](std::size_t chunk, Range cols) {
      double* real = w.real_scratch[chunk].data();
      Complex* cplx = w.complex_scratch[chunk].data();
      for (std::size_t c = cols.begin; c < cols.end; ++c) {
        const double* q_col = w.pass_q.data() + c * len;
        for (std::size_t a = 0; a <= um; ++a) real[a] = q_col[a];
        for (std::size_t a = um + 1; a < padded; ++a) real[a] = q_col[padded - a];
        w.plans->real_to_half(real, cplx);
        for (std::size_t r = 0; r < len; ++r) w.spectrum_q[r * len + c] = cplx[r].real();
        const double* fx_col = w.pass_fx.data() + c * len;
        real[0] = real[um] = 0;
        for (std::size_t a = 1; a < um; ++a) real[a] = fx_col[a], real[padded - a] = -fx_col[a];
        w.plans->real_to_half(real, cplx);
        for (std::size_t r = 1; r < um; ++r) w.spectrum_fx[(r - 1) * len + c] = -cplx[r].imag();
      }
    });
  }
  w.forward(w.charges.data(), w.charge_spectrum.data(), ex);

  // Σ_i Σ_j q_ij = Σ_nodes w (K * w) = Σ_freq |ŵ|² K̂ / N² (Parseval; half spectrum, inner columns twice).
  const double inv_n2 = 1.0 / (static_cast<double>(N) * static_cast<double>(N));
  const double sum_q_all = ex.reduce(
      static_cast<std::size_t>(H), kFftGrain, 0.0,
      [&](Range r) {
        double s = 0;
        for (std::size_t c = r.begin; c < r.end; ++c) {
          const double weight = (c == 0 || c == static_cast<std::size_t>(N / 2)) ? 1.0 : 2.0;
          double col = 0;
          for (std::size_t row = 0; row < static_cast<std::size_t>(N); ++row) {
            const std::size_t folded = row <= static_cast<std::size_t>(m) ? row : static_cast<std::size_t>(N) - row;
            col += std::norm(w.charge_spectrum[c * static_cast<std::size_t>(N) + row]) *
                   w.spectrum_q[folded * static_cast<std::size_t>(m + 1) + c];
          }
          s += weight * col;
        }
        return s;
      },
      [](double& acc, double part) { acc += part; });
  const double z = sum_q_all * inv_n2 - static_cast<double>(n);

  // Force potentials on the nodes: (q²·d) * charges. Spectra are stored F(r, c) at [c·N + r] for column
  // frequencies c ≤ m. F_x(r, c) = −i·sign(r)·S(|r| − 1, c) with |r| the folded row frequency (0 at
  // |r| = 0 or m); F_y(r, c) = F_x(c, r) = −i·S(c − 1, |r|), zero at c = 0 and c = m.
  const auto un_rows = static_cast<std::size_t>(N), um = static_cast<std::size_t>(m), row_len = um + 1;
  ex.parallel_for(static_cast<std::size_t>(H), kFftGrain, [&](Range cols) {
    for (std::size_t c = cols.begin; c < cols.end; ++c) {
      const bool y_zero = c == 0 || c == um;
      for (std::size_t r = 0; r < un_rows; ++r) {
        const std::size_t k = c * un_rows + r;
        const Complex charge = w.charge_spectrum[k] * inv_n2;
        const std::size_t folded = r <= um ? r : un_rows - r;
        double fx = 0;  // F_x / (−i)
        if (folded != 0 && folded != um) fx = (r < um ? 1.0 : -1.0) * w.spectrum_fx[(folded - 1) * row_len + c];
        const double fy = y_zero ? 0.0 : w.spectrum_fx[(c - 1) * row_len + folded];
        // (−i·f)·(a + ib) = f·b − i·f·a
        w.product_x[k] = Complex(fx * charge.imag(), -fx * charge.real());
        w.product_y[k] = Complex(fy * charge.imag(), -fy * charge.real());
      }
    }
  });
  w.inverse(w.product_x.data(), w.potentials.data(), ex);
  w.inverse(w.product_y.data(), w.potentials.data() + cells, ex);

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
