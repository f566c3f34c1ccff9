#pragma once
// Seeded, portable random numbers. std:: distributions differ between standard
// libraries, so results would not be reproducible across machines; these are
// defined bit for bit here.
#include <cmath>
#include <cstdint>
#include <string_view>

namespace cb {

/// SplitMix64 step: a good 64-bit mixer, used to expand seeds.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// A stable 64-bit hash (FNV-1a) of text, identical on every platform.
constexpr std::uint64_t stable_hash(std::string_view text, std::uint64_t basis = 0xcbf29ce484222325ULL) {
  std::uint64_t h = basis;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// The seed of one unit of work, from the global seed and the unit's identity
/// (e.g. a run key): independent of thread count, rank count and run order.
constexpr std::uint64_t derive_seed(std::uint64_t global_seed, std::string_view identity) {
  std::uint64_t state = global_seed ^ stable_hash(identity);
  return splitmix64(state);
}

/// xoshiro256** generator with portable uniform, integer and normal draws.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
    has_spare_normal_ = false;
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n), unbiased (rejects the short top range).
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) return 0;
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t x = next();
      if (x >= threshold) return x % n;
    }
  }

  /// Standard normal draw (Marsaglia polar method).
  double normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_normal_ = v * f;
    has_spare_normal_ = true;
    return u * f;
  }

  /// A child generator whose stream is independent of this one's future draws.
  Rng split(std::uint64_t stream) const {
    std::uint64_t state = s_[0] ^ (stream * 0xD1B54A32D192ED03ULL);
    return Rng(splitmix64(state));
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace cb
