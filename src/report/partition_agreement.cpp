#include "clusterbench/report/partition_agreement.hpp"

#include <unordered_map>

#include "clusterbench/metrics/scores.hpp"

namespace cb::report {
namespace {

/// True when every label of `from` maps to one label of `to` (noise only to noise).
bool maps_one_way(const Labels& from, const Labels& to) {
  std::unordered_map<Label, Label> image;
  for (std::size_t i = 0; i < from.size(); ++i) {
    if ((from[i] < 0) != (to[i] < 0)) return false;
    if (from[i] < 0) continue;  // noise carries no cluster id to match
    const auto [it, inserted] = image.emplace(from[i], to[i]);
    if (!inserted && it->second != to[i]) return false;
  }
  return true;
}

}  // namespace

PartitionAgreement partition_agreement(const Labels& a, const Labels& b) {
  PartitionAgreement out;
  if (a.empty() || a.size() != b.size()) return out;
  out.ari = metrics::adjusted_rand_index(a, b);
  // Exact check rather than ari == 1 in floating point; both directions make the map a bijection.
  out.same_partition = maps_one_way(a, b) && maps_one_way(b, a);
  return out;
}

}  // namespace cb::report
