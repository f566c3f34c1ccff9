// Single linkage from a minimum spanning tree built with Prim's algorithm,
// distances computed on the fly: O(n²·d) time, O(n·d) memory. The sorted MST
// edges are exactly the single-linkage merges.
#include <cmath>
#include <limits>

#include "hierarchical_detail.hpp"

namespace cb::cluster::detail {
namespace {
constexpr std::size_t kGrain = 4096;
}

std::vector<RawMerge> prim_single_linkage(MatrixView points, const Executor& executor) {
  const Index n = points.rows();
  const Index d = points.cols();
  // Points not yet in the tree, compact; row p of `rest` is point id_at[p].
  Matrix rest = points;
  std::vector<Index> id_at(n);
  for (Index i = 0; i < n; ++i) id_at[i] = i;
  std::vector<double> to_tree(n, std::numeric_limits<double>::infinity());  // squared

  std::vector<RawMerge> merges;
  merges.reserve(n - 1);
  Index m = n;
  // Start the tree at point 0 (position 0): remove it from `rest`.
  Vector newest = rest.row(0).transpose();
  Index newest_id = 0;
  auto remove_position = [&](Index p) {
    const Index last = m - 1;
    if (p != last) {
      rest.row(p) = rest.row(last);
      id_at[p] = id_at[last];
      to_tree[p] = to_tree[last];
    }
    --m;
  };
  remove_position(0);
  while (m > 0) {
    const double* q = newest.data();
    const Candidate best = parallel_argmin(executor, std::size_t(m), kGrain, [&](std::size_t b, std::size_t e) {
      Candidate c;
      for (std::size_t p = b; p < e; ++p) {
        const double s = squared_distance(q, &rest(Index(p), 0), d);
        if (s < to_tree[p]) to_tree[p] = s;
        const Candidate here{to_tree[p], Index(p)};
        if (here.beats(c)) c = here;
      }
      return c;
    });
    // Candidate ids are positions here (ties go to the first position). The edge is
    // recorded from the newest tree point, as SciPy does: every point added since
    // p's true tree neighbour joined at a height ≤ p's, so the relabelled
    // dendrogram is the same.
    const Index p = best.id;
    merges.push_back({newest_id, id_at[p], std::sqrt(best.value)});
    newest = rest.row(p).transpose();
    newest_id = id_at[p];
    remove_position(p);
  }
  return merges;
}

}  // namespace cb::cluster::detail
