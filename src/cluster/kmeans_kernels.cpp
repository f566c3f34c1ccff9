// The K-Means distance kernels: a tile of points (feature-major) against a set
// of centres, vectorised across 8 points with GCC vector types.
//
// Built for several instruction sets (target_clones; the loader picks the best
// the CPU has). Results do not depend on the clone: every lane does the same
// IEEE operations in the same order as the scalar squared_distance() (sub,
// mul, add in feature order, from 0), and no multiply-add is fused
// (forbidden below).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "clusterbench/cluster/kmeans_kernels.hpp"

// The helpers below pass vector types by value; they are internal and inlined,
// so the psABI note about AVX-512 argument passing does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
// The FMA-capable clones must not fuse (t * t) + acc: results would then depend
// on the clone. (GCC contracts by default in C++, even with -std=c++20.)
#pragma GCC optimize("fp-contract=off")

namespace cb::cluster::detail {
namespace {

typedef double Lanes __attribute__((vector_size(kLanes * sizeof(double))));
typedef long long LaneMask __attribute__((vector_size(kLanes * sizeof(double))));
static_assert(kTile % kLanes == 0);

__attribute__((always_inline)) inline Lanes load(const double* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
__attribute__((always_inline)) inline void store(double* p, Lanes v) { std::memcpy(p, &v, sizeof v); }
__attribute__((always_inline)) inline Lanes splat(double x) { return Lanes{} + x; }

// Centres handled together: their accumulators stay in registers.
constexpr Index kBlock = 4;

/// Squared distances of the lane group at xt (`stride` between features)
/// to centres c[0..NB).
template <int NB>
__attribute__((always_inline)) inline void lane_distances(const double* xt, std::size_t stride, Index d,
                                                          const double* c, Lanes* acc) {
  for (int b = 0; b < NB; ++b) acc[b] = Lanes{};
  for (Index f = 0; f < d; ++f) {
    const Lanes x = load(xt + static_cast<std::size_t>(f) * stride);
    for (int b = 0; b < NB; ++b) {
      const Lanes t = x - splat(c[b * d + f]);
      acc[b] += t * t;
    }
  }
}

}  // namespace

// Built for AVX-512 already (e.g. -DCB_NATIVE=ON on such a CPU): no clones
// (GCC 12 also fails with an internal error on clones under -march=native).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__AVX512F__)
#define CB_KERNEL_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CB_KERNEL_CLONES
#endif

CB_KERNEL_CLONES
void tile_nearest(const double* xt, std::size_t stride, Index d, const double* centres, Index k, Label* label,
                  double* best, double* second) {
  const Lanes inf = splat(std::numeric_limits<double>::infinity());
  for (std::size_t i0 = 0; i0 < kTile; i0 += kLanes) {
    Lanes lo = inf, lo2 = inf, arg = Lanes{};
    // Strict < keeps the first minimum, as a scalar loop over j would.
    auto take = [&](Lanes v, Index j) {
      const LaneMask lt = v < lo;
      lo2 = lt ? lo : (v < lo2 ? v : lo2);
      arg = lt ? splat(static_cast<double>(j)) : arg;
      lo = lt ? v : lo;
    };
    Index j = 0;
    for (; j + kBlock <= k; j += kBlock) {
      Lanes acc[kBlock];
      lane_distances<kBlock>(xt + i0, stride, d, centres + j * d, acc);
      for (Index b = 0; b < kBlock; ++b) take(acc[b], j + b);
    }
    for (; j < k; ++j) {
      Lanes acc[1];
      lane_distances<1>(xt + i0, stride, d, centres + j * d, acc);
      take(acc[0], j);
    }
    store(best + i0, lo);
    store(second + i0, lo2);
    for (std::size_t b = 0; b < kLanes; ++b) label[i0 + b] = static_cast<Label>(arg[b]);
  }
}

namespace {

// Bounds are stored as floats: v · (1 ± 2^-22) rounded to the nearest float
// stays on the same side of v (relative rounding ≤ 2^-24); the tiny addend
// covers denormals.
constexpr double kFloatUp = 1.0 + 0x1.0p-22;
constexpr double kFloatDown = 1.0 - 0x1.0p-22;
constexpr double kFloatTiny = 0x1.0p-140;

typedef float FloatLanes __attribute__((vector_size(kLanes * sizeof(float))));

__attribute__((always_inline)) inline FloatLanes load_floats(const float* p) {
  FloatLanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
__attribute__((always_inline)) inline void store_floats(float* p, FloatLanes v) { std::memcpy(p, &v, sizeof v); }

/// Floats ≥ u and ≤ l (l may be negative).
__attribute__((always_inline)) inline FloatLanes floats_up(Lanes u) {
  return __builtin_convertvector(u * kFloatUp + kFloatTiny, FloatLanes);
}
__attribute__((always_inline)) inline FloatLanes floats_down(Lanes l) {
  const Lanes below = l * kFloatDown - kFloatTiny;
  const Lanes float_max = splat(std::numeric_limits<float>::max());
  return __builtin_convertvector(float_max < below ? float_max : below, FloatLanes);
}

/// Correctly rounded square roots (vectorised: this file is built without errno).
__attribute__((always_inline)) inline Lanes lane_sqrt(Lanes v) {
  Lanes r;
  for (std::size_t b = 0; b < kLanes; ++b) r[b] = std::sqrt(v[b]);
  return r;
}

/// update_bounds() for one lane group of kLanes points.
__attribute__((always_inline)) inline void update_lane_group(const Label* labels, float* upper, float* lower,
                                                             const CentreMotion& motion, std::int64_t* decided,
                                                             double* bound) {
  Lanes shift, gap, other_shift;
  for (std::size_t b = 0; b < kLanes; ++b) {
    const Label a = labels[b];
    shift[b] = motion.shift[a];
    gap[b] = motion.half_gap[a];
    other_shift[b] = a == motion.max_shift_label ? motion.second_max_shift : motion.max_shift;
  }
  const Lanes zero = Lanes{};
  const Lanes u = (__builtin_convertvector(load_floats(upper), Lanes) + shift) * kRoundUp;
  const Lanes moved = (__builtin_convertvector(load_floats(lower), Lanes) - other_shift) * kRoundDown;
  const Lanes l = zero < moved ? moved : zero;  // std::max(0, moved)
  const Lanes beat = gap < l ? l : gap;         // std::max(gap, l)
  store_floats(upper, floats_up(u));
  store_floats(lower, floats_down(l));
  store(bound, beat);
  const LaneMask proven = u * motion.margin < beat;  // −1 where the label is proven, else 0
  std::memcpy(decided, &proven, sizeof proven);
}

}  // namespace

CB_KERNEL_CLONES
void update_bounds(const Label* labels, float* upper, float* lower, std::size_t count, const CentreMotion& motion,
                   std::int64_t* decided, double* bound) {
  std::size_t t = 0;
  for (; t + kLanes <= count; t += kLanes)
    update_lane_group(labels + t, upper + t, lower + t, motion, decided + t, bound + t);
  if (t == count) return;
  // The tail through the same lanes (padding: label 0, zero bounds).
  const std::size_t rest = count - t;
  Label tail_labels[kLanes] = {};
  float tail_upper[kLanes] = {}, tail_lower[kLanes] = {};
  std::int64_t tail_decided[kLanes];
  double tail_bound[kLanes];
  std::copy(labels + t, labels + count, tail_labels);
  std::copy(upper + t, upper + count, tail_upper);
  std::copy(lower + t, lower + count, tail_lower);
  update_lane_group(tail_labels, tail_upper, tail_lower, motion, tail_decided, tail_bound);
  std::copy(tail_upper, tail_upper + rest, upper + t);
  std::copy(tail_lower, tail_lower + rest, lower + t);
  std::copy(tail_decided, tail_decided + rest, decided + t);
  std::copy(tail_bound, tail_bound + rest, bound + t);
}

CB_KERNEL_CLONES
void bounds_from_squared(const double* best, const double* second, std::size_t count, double rel, float* upper,
                         float* lower) {
  for (std::size_t t0 = 0; t0 < count; t0 += kLanes) {
    const std::size_t m = std::min(kLanes, count - t0);
    double b[kLanes] = {}, s[kLanes] = {};
    std::copy(best + t0, best + t0 + m, b);
    std::copy(second + t0, second + t0 + m, s);
    const FloatLanes up = floats_up(lane_sqrt(load(b)) * (1.0 + rel));
    const FloatLanes lo = floats_down(lane_sqrt(load(s)) * (1.0 - rel));
    for (std::size_t i = 0; i < m; ++i) {
      upper[t0 + i] = up[i];
      lower[t0 + i] = lo[i];
    }
  }
}

CB_KERNEL_CLONES
void tile_potentials(const double* xt, std::size_t stride, Index d, const double* pending, const double* candidates,
                     Index m, double* closest, std::size_t count, double* lane_sums) {
  double dmin[kTile];  // D per tile point; 0 in unused lanes adds nothing to the sums
  std::copy(closest, closest + count, dmin);
  std::fill(dmin + count, dmin + kTile, 0.0);
  for (std::size_t i0 = 0; i0 < count; i0 += kLanes) {
    Lanes dl = load(dmin + i0);
    if (pending != nullptr) {
      Lanes acc[1];
      lane_distances<1>(xt + i0, stride, d, pending, acc);
      dl = acc[0] < dl ? acc[0] : dl;  // std::min(D, distance)
      store(dmin + i0, dl);
    }
    Index j = 0;
    for (; j + kBlock <= m; j += kBlock) {
      Lanes acc[kBlock];
      lane_distances<kBlock>(xt + i0, stride, d, candidates + j * d, acc);
      for (Index b = 0; b < kBlock; ++b) {
        double* sum = lane_sums + static_cast<std::size_t>(j + b) * kLanes;
        store(sum, load(sum) + (acc[b] < dl ? acc[b] : dl));
      }
    }
    for (; j < m; ++j) {
      Lanes acc[1];
      lane_distances<1>(xt + i0, stride, d, candidates + j * d, acc);
      double* sum = lane_sums + static_cast<std::size_t>(j) * kLanes;
      store(sum, load(sum) + (acc[0] < dl ? acc[0] : dl));
    }
  }
  if (pending != nullptr) std::copy(dmin, dmin + count, closest);
}

Columns columns_of(const PointsRef& p, const Executor& executor) {
  Columns c;
  const auto n = static_cast<std::size_t>(p.n);
  // One spare tile: a tile may start at any point (chunks need not start at
  // a multiple of kTile) and is always read at full width.
  c.stride = (n + kTile - 1) / kTile * kTile + kTile;
  const std::size_t size = c.stride * static_cast<std::size_t>(p.d);
  c.data.reserve(size);
  advise_huge_pages(c.data.data(), size * sizeof(double));
  c.data.resize(size);  // zero padding included
  executor.for_chunks(n, chunk_grain(p.n), [&](std::size_t, Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const double* x = p.row(static_cast<Index>(i));
      for (Index f = 0; f < p.d; ++f) c.data[static_cast<std::size_t>(f) * c.stride + i] = x[f];
    }
  });
  return c;
}

void advise_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (data != nullptr && end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace cb::cluster::detail
