#include "labeling_meet.hpp"

#include <algorithm>

namespace cb::metrics::detail {
namespace {

/// Cells of the meet under construction: every point has one (noise included,
/// as a value of its own), numbered in order of first appearance.
struct Refinement {
  std::vector<std::int32_t> cell;
  Index count = 0;
};

/// The meet of `current` and `labels`: cells numbered by first appearance.
Refinement refine(const Refinement& current, const EncodedLabels& labels) {
  const Index values = labels.clusters() + 1;  // codes, then noise
  std::vector<std::int32_t> table(static_cast<std::size_t>(current.count * values), -1);
  Refinement out;
  out.cell.resize(current.cell.size());
  for (std::size_t i = 0; i < current.cell.size(); ++i) {
    const Label code = labels.codes[i];
    auto& slot = table[static_cast<std::size_t>(current.cell[i] * values + (code == kNoise ? values - 1 : code))];
    if (slot < 0) slot = static_cast<std::int32_t>(out.count++);
    out.cell[i] = slot;
  }
  return out;
}

/// The finished group: all-noise cells become kNoise, the others are renumbered
/// in order, and each member's cluster of every cell is recorded.
MeetGroup finish(std::vector<Index> members, const Refinement& meet, const std::vector<EncodedLabels>& encoded) {
  const std::size_t n = meet.cell.size();
  std::vector<std::int32_t> all_noise(static_cast<std::size_t>(meet.count), 1);
  for (std::size_t i = 0; i < n; ++i)
    for (Index l : members)
      if (encoded[static_cast<std::size_t>(l)].codes[i] != kNoise)
        all_noise[static_cast<std::size_t>(meet.cell[i])] = 0;
  std::vector<Label> renumbered(static_cast<std::size_t>(meet.count), kNoise);
  Label next = 0;
  for (Index c = 0; c < meet.count; ++c)
    if (!all_noise[static_cast<std::size_t>(c)]) renumbered[static_cast<std::size_t>(c)] = next++;

  MeetGroup g;
  g.members = std::move(members);
  g.cell_count = next;
  g.cells.resize(n);
  g.cluster_of_cell.assign(g.members.size(), std::vector<Label>(static_cast<std::size_t>(next), kNoise));
  for (std::size_t i = 0; i < n; ++i) {
    const Label c = renumbered[static_cast<std::size_t>(meet.cell[i])];
    g.cells[i] = c;
    if (c == kNoise) continue;
    for (std::size_t m = 0; m < g.members.size(); ++m)
      g.cluster_of_cell[m][static_cast<std::size_t>(c)] = encoded[static_cast<std::size_t>(g.members[m])].codes[i];
  }
  return g;
}

}  // namespace

std::vector<MeetGroup> group_by_meet(const std::vector<EncodedLabels>& encoded, const std::vector<Index>& scored,
                                     const MeetLimits& limits) {
  std::vector<MeetGroup> groups;
  const auto count = static_cast<Index>(scored.size());
  if (count == 0) return groups;
  const auto& first = encoded[static_cast<std::size_t>(scored.front())];
  const auto n = static_cast<Index>(first.codes.size());
  const auto labels_of = [&](Index position) -> const EncodedLabels& {
    return encoded[static_cast<std::size_t>(scored[static_cast<std::size_t>(position)])];
  };
  const Refinement whole{std::vector<std::int32_t>(static_cast<std::size_t>(n), 0), 1};

  // cells[i][j - i]: cells of the meet of positions i..j, while within max_cells (a singleton always counts).
  std::vector<std::vector<Index>> cells(static_cast<std::size_t>(count));
  for (Index i = 0; i < count; ++i) {
    Refinement meet = refine(whole, labels_of(i));
    cells[static_cast<std::size_t>(i)].push_back(meet.count);
    for (Index j = i + 1; j < count && labels_of(j).clusters() + 1 <= limits.max_cells; ++j) {
      meet = refine(meet, labels_of(j));
      if (meet.count > limits.max_cells) break;
      cells[static_cast<std::size_t>(i)].push_back(meet.count);
    }
  }
  // Per point, a group costs one pass (n adds), the folding of its cells into
  // each member (cells × members) and the cells' own sums (zeroed, stored,
  // read back: about one add each). Consecutive groups of least total cost.
  constexpr double kInfinity = 1e300;
  std::vector<double> best(static_cast<std::size_t>(count + 1), kInfinity);
  std::vector<Index> start(static_cast<std::size_t>(count + 1), 0);
  best[0] = 0;
  for (Index i = 0; i < count; ++i) {
    const auto& row = cells[static_cast<std::size_t>(i)];
    for (std::size_t len = 1; len <= row.size(); ++len) {
      const auto m = static_cast<double>(row[len - 1]);
      const double cost = best[static_cast<std::size_t>(i)] + static_cast<double>(n) + m * static_cast<double>(len) + m;
      auto& target = best[static_cast<std::size_t>(i) + len];
      if (cost < target) {  // ties keep the earlier start: fewer, larger groups first found
        target = cost;
        start[static_cast<std::size_t>(i) + len] = i;
      }
    }
  }
  std::vector<std::pair<Index, Index>> segments;  // [begin, end) positions
  for (Index end = count; end > 0; end = start[static_cast<std::size_t>(end)])
    segments.emplace_back(start[static_cast<std::size_t>(end)], end);
  std::reverse(segments.begin(), segments.end());
  for (const auto& [begin, end] : segments) {
    Refinement meet = whole;
    std::vector<Index> members;
    for (Index p = begin; p < end; ++p) {
      meet = refine(meet, labels_of(p));
      members.push_back(scored[static_cast<std::size_t>(p)]);
    }
    groups.push_back(finish(std::move(members), meet, encoded));
  }
  return groups;
}

}  // namespace cb::metrics::detail
