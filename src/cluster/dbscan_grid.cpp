// Exact DBSCAN in 1 to 3 dimensions on a grid of cells of side eps/√d (shrunk
// by a relative 1e-6, far above rounding): any two points of one cell are within
// eps, so a cell of ≥ min_samples points is all core with no distance work, the
// core points of a cell form one cluster, and only cells within `reach` along
// every axis can hold neighbours. Steps: core flags (counting in nearby cells
// with early exit), a union-find over cells joined when some core pair across
// them is within eps, clusters numbered by their lowest core row, and border
// points given the lowest-numbered cluster with a core point within eps — the
// cluster scikit-learn's expansion in row order reaches first.
#include <atomic>
#include <cfloat>
#include <cmath>

#include "clusterbench/neighbors/cell_grid.hpp"
#include "dbscan_detail.hpp"

namespace cb::cluster::detail {
namespace {

constexpr std::size_t kColumnGrain = 16;
constexpr double kSideShrink = 1.0 - 1e-6;

/// Union-find safe for concurrent unite/find. Roots are linked larger index
/// under smaller, so paths never cycle; links are permanent, so two nodes seen
/// with one root are connected, and the final partition is the same whatever
/// the thread timing.
class ConcurrentForest {
 public:
  explicit ConcurrentForest(Index n) : parent_(static_cast<std::size_t>(n)) {
    for (Index i = 0; i < n; ++i) parent_[std::size_t(i)].store(i, std::memory_order_relaxed);
  }
  Index find(Index x) {
    for (;;) {
      const Index p = parent_[std::size_t(x)].load(std::memory_order_relaxed);
      if (p == x) return x;
      const Index g = parent_[std::size_t(p)].load(std::memory_order_relaxed);
      if (g != p) parent_[std::size_t(x)].store(g, std::memory_order_relaxed);  // path halving: g is an ancestor
      x = g;
    }
  }
  void unite(Index a, Index b) {
    for (;;) {
      a = find(a), b = find(b);
      if (a == b) return;
      if (a < b) std::swap(a, b);
      Index expected = a;
      if (parent_[std::size_t(a)].compare_exchange_strong(expected, b, std::memory_order_relaxed)) return;
    }
  }

 private:
  std::vector<std::atomic<Index>> parent_;
};

/// Sweeps over the adjacent cells (reach 1) and over all cells within reach.
struct NearSweeps {
  NearSweeps(const neighbors::CellGrid& grid, int reach) : adjacent(grid, 1), all(grid, reach) {}
  neighbors::NearCellSweep adjacent, all;
  std::vector<Index> cells, counts;  // scratch
};

/// Runs body(cell, sweeps) for every cell, in fixed chunks of whole columns,
/// with the sweeps started on the cell's column (see NearCellSweep::start).
template <class Body>
void for_each_cell(const neighbors::CellGrid& grid, int reach, bool up_to_this_column, const Executor& executor,
                   Body&& body) {
  executor.parallel_for(std::size_t(grid.column_count()), kColumnGrain, [&](Range r) {
    NearSweeps sweeps(grid, reach);
    for (Index column = Index(r.begin); column < Index(r.end); ++column) {
      sweeps.adjacent.start(column, up_to_this_column);
      sweeps.all.start(column, up_to_this_column);
      for (Index cell = grid.column_begin(column); cell < grid.column_end(column); ++cell) body(cell, sweeps);
    }
  });
}

/// Cells at Chebyshev distance ≥ `from` that pass `keep`.
template <class Keep>
void collect_from(neighbors::NearCellSweep& sweep, Index cell, int from, std::vector<Index>& out, Keep&& keep) {
  out.clear();
  sweep.for_each_near(cell, [&](Index other, int chebyshev) {
    if (chebyshev >= from && keep(other)) out.push_back(other);
    return true;
  });
}

/// Near cells (not `cell` itself) that pass `keep`, edge/corner neighbours
/// first: they are the likeliest to end a search early.
template <class Keep>
void collect_near(neighbors::NearCellSweep& sweep, Index cell, std::vector<Index>& out, Keep&& keep) {
  out.clear();
  std::size_t adjacent = 0;
  sweep.for_each_near(cell, [&](Index other, int chebyshev) {
    if (other == cell || !keep(other)) return true;
    out.push_back(other);
    if (chebyshev <= 1) std::swap(out[adjacent++], out.back());
    return true;
  });
}

bool core_within(const neighbors::CellGrid& grid, const std::vector<std::uint8_t>& core_at, Index cell,
                 const double* query, double radius2) {
  for (Index p = grid.cell_begin(cell); p < grid.cell_end(cell); ++p)
    if (core_at[std::size_t(p)] && grid.distance2_at(p, query) <= radius2) return true;
  return false;
}

bool cores_within(const neighbors::CellGrid& grid, const std::vector<std::uint8_t>& core_at, Index a, Index b,
                  double radius2) {
  for (Index p = grid.cell_begin(a); p < grid.cell_end(a); ++p)
    if (core_at[std::size_t(p)] && core_within(grid, core_at, b, grid.point_at(p), radius2)) return true;
  return false;
}

}  // namespace

std::optional<DbscanResult> dbscan_on_grid(MatrixView points, double eps, int min_samples, const Executor& executor) {
  const double side = eps / std::sqrt(double(points.cols())) * kSideShrink;
  const double radius2 = eps * eps;
  // Far from underflow, so the margin above rounding holds for squared distances too.
  if (!(radius2 >= DBL_MIN * 0x1p20) || !neighbors::CellGrid::fits(points, side)) return std::nullopt;
  const neighbors::CellGrid grid(points, side);
  int reach = int(std::floor(eps / side)) + 1;  // reach · side > eps: cells farther out hold no neighbour
  while (double(reach) * side * kSideShrink <= eps) ++reach;
  const Index n = grid.size(), cells = grid.cell_count();

  std::vector<std::uint8_t> core_at(static_cast<std::size_t>(n), 0);  // by position
  // Most points find min_samples neighbours in the adjacent cells; only the
  // others look at the outer shell of cells.
  for_each_cell(grid, reach, false, executor, [&](Index cell, NearSweeps& near) {
    const Index begin = grid.cell_begin(cell), end = grid.cell_end(cell);
    if (end - begin >= min_samples) {
      std::fill(core_at.begin() + begin, core_at.begin() + end, std::uint8_t{1});
      return;
    }
    auto count_in = [&](Index p, Index count) {
      const double* q = grid.point_at(p);
      for (std::size_t k = 0; k < near.cells.size() && count < min_samples; ++k)
        for (Index o = grid.cell_begin(near.cells[k]); o < grid.cell_end(near.cells[k]) && count < min_samples; ++o)
          count += grid.distance2_at(o, q) <= radius2;
      return count;
    };
    near.counts.assign(std::size_t(end - begin), end - begin);
    collect_from(near.adjacent, cell, 1, near.cells, [](Index) { return true; });
    bool pending = false;
    for (Index p = begin; p < end; ++p) {
      Index& count = near.counts[std::size_t(p - begin)];
      count = count_in(p, count);
      pending = pending || count < min_samples;
    }
    if (pending) collect_from(near.all, cell, 2, near.cells, [](Index) { return true; });
    for (Index p = begin; p < end; ++p) {
      Index& count = near.counts[std::size_t(p - begin)];
      if (pending && count < min_samples) count = count_in(p, count);
      core_at[std::size_t(p)] = count >= min_samples;
    }
  });
  std::vector<std::uint8_t> has_core(static_cast<std::size_t>(cells), 0);
  for (Index cell = 0; cell < cells; ++cell)
    has_core[std::size_t(cell)] = std::any_of(core_at.begin() + grid.cell_begin(cell),
                                              core_at.begin() + grid.cell_end(cell), [](std::uint8_t c) { return c; });

  // Cells whose core points are eps-connected, each pair tried once (from the
  // later cell); pairs already joined through other cells need no distance work.
  ConcurrentForest forest(cells);
  for_each_cell(grid, reach, true, executor, [&](Index cell, NearSweeps& sweeps) {
    if (!has_core[std::size_t(cell)]) return;
    std::vector<Index>& near = sweeps.cells;
    collect_near(sweeps.all, cell, near, [&](Index o) { return o < cell && has_core[std::size_t(o)]; });
    Index root = forest.find(cell);
    for (Index other : near)
      if (forest.find(other) != root && cores_within(grid, core_at, cell, other, radius2)) {
        forest.unite(cell, other);
        root = forest.find(cell);
      }
  });

  // Clusters numbered in order of their lowest core row, as scikit-learn does.
  DbscanResult result;
  result.labels.assign(std::size_t(n), kNoise);
  result.core.assign(std::size_t(n), 0);
  std::vector<Index> cell_of_row(static_cast<std::size_t>(n));
  for (Index cell = 0; cell < cells; ++cell)
    for (Index p = grid.cell_begin(cell); p < grid.cell_end(cell); ++p) {
      cell_of_row[std::size_t(grid.id_at(p))] = cell;
      result.core[std::size_t(grid.id_at(p))] = core_at[std::size_t(p)];
    }
  std::vector<Label> cell_label(static_cast<std::size_t>(cells), kNoise),
      root_label(static_cast<std::size_t>(cells), kNoise);
  Label next = 0;
  for (Index i = 0; i < n; ++i) {
    if (!result.core[std::size_t(i)]) continue;
    Label& label = cell_label[std::size_t(cell_of_row[std::size_t(i)])];
    if (label == kNoise) {
      Label& root = root_label[std::size_t(forest.find(cell_of_row[std::size_t(i)]))];
      if (root == kNoise) root = next++;
      label = root;
    }
    result.labels[std::size_t(i)] = label;
  }

  for_each_cell(grid, reach, false, executor, [&](Index cell, NearSweeps& sweeps) {
    const Index begin = grid.cell_begin(cell), end = grid.cell_end(cell);
    if (std::all_of(core_at.begin() + begin, core_at.begin() + end, [](std::uint8_t c) { return c; })) return;
    std::vector<Index>& near = sweeps.cells;
    collect_near(sweeps.all, cell, near, [&](Index o) { return has_core[std::size_t(o)] != 0; });
    for (Index p = begin; p < end; ++p) {
      if (core_at[std::size_t(p)]) continue;
      Label best = cell_label[std::size_t(cell)];  // a core point in the same cell is within eps
      for (Index other : near) {
        const Label label = cell_label[std::size_t(other)];
        if ((best == kNoise || label < best) && core_within(grid, core_at, other, grid.point_at(p), radius2))
          best = label;
      }
      result.labels[std::size_t(grid.id_at(p))] = best;
    }
  });
  summarise(result, next);
  return result;
}

}  // namespace cb::cluster::detail
