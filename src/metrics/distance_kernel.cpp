#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports a false "may be used uninitialized" for _mm512_undefined_pd inside AVX-512 intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "distance_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "clusterbench/core/error.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CB_DISPATCH_AVX512 1
#endif

namespace cb::metrics::detail {

void distance_block_portable(const double* xt, Index rp, const double* ys, Index count, Index d, double* out) {
  using Block = Eigen::Array<double, kDistanceRowBlock, 1>;  // fixed size: Eigen emits whole SIMD packets
  for (Index j = 0; j < count; ++j) {
    const double* y = ys + j * d;
    double* o = out + j * rp;
    for (Index r0 = 0; r0 < rp; r0 += kDistanceRowBlock) {
      Block acc = Block::Zero();
      for (Index f = 0; f < d; ++f) acc += (Eigen::Map<const Block>(xt + f * rp + r0) - y[f]).square();
      Eigen::Map<Block>(o + r0) = acc.sqrt();
    }
  }
}

namespace {

#ifdef CB_DISPATCH_AVX512
__attribute__((target("avx512f"))) void distance_block_avx512(const double* xt, Index rp, const double* ys, Index count,
                                                              Index d, double* out) {
  for (Index j = 0; j < count; ++j) {
    const double* y = ys + j * d;
    double* o = out + j * rp;
    for (Index r0 = 0; r0 < rp; r0 += kDistanceRowBlock) {
      __m512d acc0 = _mm512_setzero_pd();
      __m512d acc1 = _mm512_setzero_pd();
      for (Index f = 0; f < d; ++f) {
        const __m512d yf = _mm512_set1_pd(y[f]);
        const double* p = xt + f * rp + r0;
        const __m512d t0 = _mm512_sub_pd(_mm512_loadu_pd(p), yf);
        const __m512d t1 = _mm512_sub_pd(_mm512_loadu_pd(p + 8), yf);
        acc0 = _mm512_fmadd_pd(t0, t0, acc0);
        acc1 = _mm512_fmadd_pd(t1, t1, acc1);
      }
      _mm512_storeu_pd(o + r0, _mm512_sqrt_pd(acc0));
      _mm512_storeu_pd(o + r0 + 8, _mm512_sqrt_pd(acc1));
    }
  }
}

__attribute__((target("avx512f"))) void add_row_sum_avx512(const double* source, Index stride,
                                                           const std::int32_t* members, Index count, Index width,
                                                           double* target) {
  for (Index c0 = 0; c0 < width; c0 += kRowSumChunk) {
    __m512d acc[4] = {_mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd()};
    for (Index m = 0; m < count; ++m) {
      const double* row = source + members[m] * stride + c0;
      for (int v = 0; v < 4; ++v) acc[v] = _mm512_add_pd(acc[v], _mm512_loadu_pd(row + 8 * v));
    }
    for (int v = 0; v < 4; ++v)
      _mm512_storeu_pd(target + c0 + 8 * v, _mm512_add_pd(_mm512_loadu_pd(target + c0 + 8 * v), acc[v]));
  }
}

/// out[i] = nearest integer (ties to even: the default MXCSR mode, as std::nearbyint) to distances[i] · scale.
__attribute__((target("avx512f,avx512dq"))) void to_fixed_avx512(const double* distances, Index size, double scale,
                                                                 std::int64_t* out) {
  const __m512d s = _mm512_set1_pd(scale);
  Index i = 0;
  for (; i + 8 <= size; i += 8)
    _mm512_storeu_si512(out + i, _mm512_cvtpd_epi64(_mm512_mul_pd(_mm512_loadu_pd(distances + i), s)));
  for (; i < size; ++i) out[i] = static_cast<std::int64_t>(std::nearbyint(distances[i] * scale));
}

__attribute__((target("avx512f"))) void add_row_sum_fixed_avx512(const std::int64_t* source, Index stride,
                                                                 const std::int32_t* members, Index count, Index width,
                                                                 std::int64_t* target) {
  for (Index c0 = 0; c0 < width; c0 += kRowSumChunk) {
    __m512i acc[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    for (Index m = 0; m < count; ++m) {
      const std::int64_t* row = source + members[m] * stride + c0;
      for (int v = 0; v < 4; ++v) acc[v] = _mm512_add_epi64(acc[v], _mm512_loadu_si512(row + 8 * v));
    }
    for (int v = 0; v < 4; ++v)
      _mm512_storeu_si512(target + c0 + 8 * v, _mm512_add_epi64(_mm512_loadu_si512(target + c0 + 8 * v), acc[v]));
  }
}

bool cpu_has_avx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}

bool cpu_has_avx512dq() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  return has;
}
#endif

}  // namespace

void distance_block(const double* xt, Index rp, const double* ys, Index count, Index d, double* out) {
#ifdef CB_DISPATCH_AVX512
  if (cpu_has_avx512()) return distance_block_avx512(xt, rp, ys, count, d, out);
#endif
  distance_block_portable(xt, rp, ys, count, d, out);
}

void add_row_sum_portable(const double* source, Index stride, const std::int32_t* members, Index count, Index width,
                          double* target) {
  using Wide = Eigen::Array<double, kRowSumChunk, 1>;
  for (Index c0 = 0; c0 < width; c0 += kRowSumChunk) {
    Wide acc = Wide::Zero();
    for (Index m = 0; m < count; ++m) acc += Eigen::Map<const Wide>(source + members[m] * stride + c0);
    Eigen::Map<Wide>(target + c0) += acc;
  }
}

void add_row_sum(const double* source, Index stride, const std::int32_t* members, Index count, Index width,
                 double* target) {
#ifdef CB_DISPATCH_AVX512
  if (cpu_has_avx512()) return add_row_sum_avx512(source, stride, members, count, width, target);
#endif
  add_row_sum_portable(source, stride, members, count, width, target);
}

namespace {

void to_fixed_portable(const double* distances, Index size, double scale, std::int64_t* out) {
  for (Index i = 0; i < size; ++i) out[i] = static_cast<std::int64_t>(std::nearbyint(distances[i] * scale));
}

/// The distances of a block as doubles first (one kernel for both forms), then scaled and rounded.
thread_local std::vector<double> fixed_scratch;

}  // namespace

void distance_block_fixed_portable(const double* xt, Index rp, const double* ys, Index count, Index d, double scale,
                                   std::int64_t* out) {
  fixed_scratch.resize(static_cast<std::size_t>(count * rp));
  distance_block_portable(xt, rp, ys, count, d, fixed_scratch.data());
  to_fixed_portable(fixed_scratch.data(), count * rp, scale, out);
}

void distance_block_fixed(const double* xt, Index rp, const double* ys, Index count, Index d, double scale,
                          std::int64_t* out) {
  fixed_scratch.resize(static_cast<std::size_t>(count * rp));
  distance_block(xt, rp, ys, count, d, fixed_scratch.data());
#ifdef CB_DISPATCH_AVX512
  if (cpu_has_avx512dq()) return to_fixed_avx512(fixed_scratch.data(), count * rp, scale, out);
#endif
  to_fixed_portable(fixed_scratch.data(), count * rp, scale, out);
}

void add_row_sum_fixed_portable(const std::int64_t* source, Index stride, const std::int32_t* members, Index count,
                                Index width, std::int64_t* target) {
  using Wide = Eigen::Array<std::int64_t, kRowSumChunk, 1>;
  for (Index c0 = 0; c0 < width; c0 += kRowSumChunk) {
    Wide acc = Wide::Zero();
    for (Index m = 0; m < count; ++m) acc += Eigen::Map<const Wide>(source + members[m] * stride + c0);
    Eigen::Map<Wide>(target + c0) += acc;
  }
}

void add_row_sum_fixed(const std::int64_t* source, Index stride, const std::int32_t* members, Index count, Index width,
                       std::int64_t* target) {
#ifdef CB_DISPATCH_AVX512
  if (cpu_has_avx512()) return add_row_sum_fixed_avx512(source, stride, members, count, width, target);
#endif
  add_row_sum_fixed_portable(source, stride, members, count, width, target);
}

double fixed_point_scale(Index n, double diameter) {
  if (!std::isfinite(diameter)) throw InputError("silhouette: the points contain NaN or Inf");
  if (diameter <= 0) return 1.0;
  int diameter_exponent = 0;  // diameter < 2^diameter_exponent
  std::frexp(diameter, &diameter_exponent);
  int n_bits = 0;  // n <= 2^n_bits
  while ((Index{1} << n_bits) < n) ++n_bits;
  const int exponent = std::clamp(62 - n_bits - diameter_exponent, -1000, 1000);
  return std::ldexp(1.0, exponent);
}

const char* distance_kernel_name() {
#ifdef CB_DISPATCH_AVX512
  if (cpu_has_avx512()) return "avx512";
#endif
  return "portable";
}

}  // namespace cb::metrics::detail
