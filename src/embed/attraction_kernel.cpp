// t-SNE attraction kernel (see attraction_kernel.hpp). The division dominates; its lanes are built
// in registers from gathered coordinates (writing scalars to a buffer and reading it back as a
// vector stalls on store forwarding). Built for several instruction sets (target_clones).
#include "attraction_kernel.hpp"

#include <cstring>

// Helpers pass vector types by value; they are internal and inlined.
#pragma GCC diagnostic ignored "-Wpsabi"
// The FMA-capable clones must not fuse multiply-adds: results would then depend on the clone.
#pragma GCC optimize("fp-contract=off")

namespace cb::embed::detail {
namespace {

constexpr int kLanes = 8;
typedef double Lanes __attribute__((vector_size(kLanes * sizeof(double))));

}  // namespace

// Built for AVX-512 already (e.g. -DCB_NATIVE=ON on such a CPU): no clones
// (GCC 12 also fails with an internal error on clones under -march=native).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__AVX512F__)
#define CB_ATTRACTION_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CB_ATTRACTION_CLONES
#endif

CB_ATTRACTION_CLONES
void attraction_rows(const std::int64_t* row_ptr, const std::int32_t* cols, const double* weights, const double* y,
                     std::size_t begin, std::size_t end, double* out) {
  for (std::size_t i = begin; i < end; ++i) {
    const double yi0 = y[2 * i], yi1 = y[2 * i + 1];
    Lanes sx = {}, sy = {};
    std::int64_t e = row_ptr[i];
    const std::int64_t last = row_ptr[i + 1];
    for (; e + kLanes <= last; e += kLanes) {
      Lanes dx, dy, w;
      for (int t = 0; t < kLanes; ++t) {
        const std::int64_t j = cols[e + t];
        dx[t] = yi0 - y[2 * j];
        dy[t] = yi1 - y[2 * j + 1];
      }
      std::memcpy(&w, weights + e, sizeof(w));
      const Lanes wq = w / (1.0 + dx * dx + dy * dy);
      sx += wq * dx;
      sy += wq * dy;
    }
    double ax = 0, ay = 0;
    for (int t = 0; t < kLanes; ++t) ax += sx[t], ay += sy[t];
    for (; e < last; ++e) {
      const std::int64_t j = cols[e];
      const double dx = yi0 - y[2 * j], dy = yi1 - y[2 * j + 1];
      const double wq = weights[e] / (1.0 + dx * dx + dy * dy);
      ax += wq * dx;
      ay += wq * dy;
    }
    out[2 * i] = ax;
    out[2 * i + 1] = ay;
  }
}

}  // namespace cb::embed::detail
