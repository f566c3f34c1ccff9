// The K-Means distance kernels: a tile of points (feature-major) against a set
// of centres, vectorised across 8 points with GCC vector types.
//
// Built for several instruction sets (target_clones; the loader picks the best
// the CPU has). Results do not depend on the clone: every lane does the same
// IEEE operations in the same order as the scalar squared_distance() (sub,
// mul, add in feature order, from 0), and no multiply-add is fused
// (forbidden below).
#include <algorithm>
#include <cstring>
#include <limits>

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

/// Squared distances of the lane group at xt (stride kTile between features)
/// to centres c[0..NB).
template <int NB>
__attribute__((always_inline)) inline void lane_distances(const double* xt, Index d, const double* c, Lanes* acc) {
  for (int b = 0; b < NB; ++b) acc[b] = Lanes{};
  for (Index f = 0; f < d; ++f) {
    const Lanes x = load(xt + static_cast<std::size_t>(f) * kTile);
    for (int b = 0; b < NB; ++b) {
      const Lanes t = x - splat(c[b * d + f]);
      acc[b] += t * t;
    }
  }
}

}  // namespace

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CB_KERNEL_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CB_KERNEL_CLONES
#endif

CB_KERNEL_CLONES
void tile_distances(const double* xt, Index d, const double* centres, Index m, double* out) {
  for (std::size_t i0 = 0; i0 < kTile; i0 += kLanes) {
    Index j = 0;
    for (; j + kBlock <= m; j += kBlock) {
      Lanes acc[kBlock];
      lane_distances<kBlock>(xt + i0, d, centres + j * d, acc);
      for (Index b = 0; b < kBlock; ++b) store(out + static_cast<std::size_t>(j + b) * kTile + i0, acc[b]);
    }
    for (; j < m; ++j) {
      Lanes acc[1];
      lane_distances<1>(xt + i0, d, centres + j * d, acc);
      store(out + static_cast<std::size_t>(j) * kTile + i0, acc[0]);
    }
  }
}

CB_KERNEL_CLONES
void tile_nearest(const double* xt, Index d, const double* centres, Index k, Label* label, double* best,
                  double* second) {
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
      lane_distances<kBlock>(xt + i0, d, centres + j * d, acc);
      for (Index b = 0; b < kBlock; ++b) take(acc[b], j + b);
    }
    for (; j < k; ++j) {
      Lanes acc[1];
      lane_distances<1>(xt + i0, d, centres + j * d, acc);
      take(acc[0], j);
    }
    store(best + i0, lo);
    store(second + i0, lo2);
    for (std::size_t b = 0; b < kLanes; ++b) label[i0 + b] = static_cast<Label>(arg[b]);
  }
}

}  // namespace cb::cluster::detail
