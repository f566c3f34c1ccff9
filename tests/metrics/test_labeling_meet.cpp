// The grouping of labelings by their meet (src/metrics/labeling_meet.hpp):
// nested labelings share one group whose cells are the finest cut; labelings
// with unrelated boundaries are not grouped when their meet would cost more
// than it saves; each member's cluster of a cell is the cluster of the cell's points.
#include <catch2/catch.hpp>

#include "../../src/metrics/labeling_meet.hpp"
#include "clusterbench/core/rng.hpp"

using namespace cb;
using namespace cb::metrics::detail;

namespace {

std::vector<EncodedLabels> encode_all(const std::vector<Labels>& labelings) {
  std::vector<EncodedLabels> out;
  for (const auto& l : labelings) out.push_back(encode_labels(l, true));
  return out;
}

std::vector<Index> all_of(std::size_t count) {
  std::vector<Index> v(count);
  for (std::size_t i = 0; i < count; ++i) v[i] = static_cast<Index>(i);
  return v;
}

}  // namespace

TEST_CASE("meet: cuts of one hierarchy form one group with the finest cut's cells", "[silhouette][meet]") {
  Rng rng(1);
  const Index n = 1000;
  Labels finest(static_cast<std::size_t>(n));
  for (auto& l : finest) l = static_cast<Label>(rng.below(12));
  finest[5] = kNoise;  // noise in every cut: in no cell
  std::vector<Labels> cuts;
  for (int k = 2; k <= 12; ++k) {
    Labels cut(finest.size());
    for (std::size_t i = 0; i < finest.size(); ++i) cut[i] = finest[i] == kNoise ? kNoise : finest[i] % k;
    cuts.push_back(cut);
  }
  const auto encoded = encode_all(cuts);
  const auto groups = group_by_meet(encoded, all_of(cuts.size()), {});
  REQUIRE(groups.size() == 1);
  REQUIRE(groups[0].members.size() == cuts.size());
  REQUIRE(groups[0].cell_count == 12);
  REQUIRE(groups[0].cells[5] == kNoise);
  for (std::size_t m = 0; m < cuts.size(); ++m)
    for (Index i = 0; i < n; ++i) {
      const Label cell = groups[0].cells[static_cast<std::size_t>(i)];
      if (cell == kNoise) continue;
      REQUIRE(groups[0].cluster_of_cell[m][static_cast<std::size_t>(cell)] ==
              encoded[m].codes[static_cast<std::size_t>(i)]);
    }
}

TEST_CASE("meet: unrelated labelings stay apart, limits split groups", "[silhouette][meet]") {
  Rng rng(2);
  const Index n = 200;
  std::vector<Labels> random(3, Labels(static_cast<std::size_t>(n)));
  for (auto& labels : random)
    for (auto& l : labels) l = static_cast<Label>(rng.below(10));
  const auto encoded = encode_all(random);
  // Two random 10-cluster labelings meet in ~100 cells: one pass plus folding (200 + 100 × 3 per point) costs more than
  // two passes (2 × (200 + 10 × 2)).
  REQUIRE(group_by_meet(encoded, all_of(3), {}).size() == 3);

  Labels coarse(static_cast<std::size_t>(n)), fine(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i)
    fine[static_cast<std::size_t>(i)] = static_cast<Label>(i % 8),
    coarse[static_cast<std::size_t>(i)] = static_cast<Label>(i % 2);
  const auto nested = encode_all({coarse, fine});
  REQUIRE(group_by_meet(nested, all_of(2), {}).size() == 1);
  MeetLimits tight;
  tight.max_cells = 4;  // the meet has 8 cells
  REQUIRE(group_by_meet(nested, all_of(2), tight).size() == 2);
}
