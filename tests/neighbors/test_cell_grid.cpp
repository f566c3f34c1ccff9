#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/neighbors/cell_grid.hpp"

using namespace cb;
using cb::neighbors::CellGrid;

namespace {

Matrix clumpy_points(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = std::round((rng.normal() * 3.0 + (i % 2 ? 10.0 : 0.0)) * 8.0) / 8.0;
  return x;
}

/// Largest per-axis gap between the points at two positions.
double axis_gap(const CellGrid& grid, Index p, Index q) {
  double gap = 0.0;
  for (Index j = 0; j < grid.dims(); ++j) gap = std::max(gap, std::abs(grid.point_at(p)[j] - grid.point_at(q)[j]));
  return gap;
}

}  // namespace

TEST_CASE("cell grid holds every point once, cells are narrower than the side, and the sweep finds near cells",
          "[cellgrid]") {
  for (Index d : {1, 2, 3}) {
    const Matrix x = clumpy_points(500, d, 40 + std::uint64_t(d));
    const double side = 0.6;
    REQUIRE(CellGrid::fits(x, side));
    const CellGrid grid(x, side);
    REQUIRE(grid.size() == x.rows());
    REQUIRE(grid.cell_begin(0) == 0);
    REQUIRE(grid.cell_end(grid.cell_count() - 1) == x.rows());
    std::vector<Index> cell_of(static_cast<std::size_t>(x.rows()));
    std::set<Index> ids;
    for (Index c = 0; c < grid.cell_count(); ++c) {
      REQUIRE(grid.cell_end(c) > grid.cell_begin(c));
      for (Index p = grid.cell_begin(c); p < grid.cell_end(c); ++p) {
        cell_of[std::size_t(p)] = c;
        ids.insert(grid.id_at(p));
        for (Index j = 0; j < d; ++j) REQUIRE(grid.point_at(p)[j] == x(grid.id_at(p), j));
        if (p > grid.cell_begin(c)) REQUIRE(grid.id_at(p) > grid.id_at(p - 1));  // row order inside a cell
        for (Index q = grid.cell_begin(c); q < grid.cell_end(c); ++q) REQUIRE(axis_gap(grid, p, q) < side);
      }
    }
    REQUIRE(ids.size() == std::size_t(x.rows()));
    for (int reach : {1, 2}) {
      for (Index c = 0; c < grid.cell_count(); c += 3) {
        std::set<Index> visited;
        neighbors::NearCellSweep sweep(grid, reach);
        Index column = 0;
        while (grid.column_end(column) <= c) ++column;
        sweep.start(column);
        for (Index earlier = grid.column_begin(column); earlier < c; earlier += 2)  // cursors only move forward
          sweep.for_each_near(earlier, [](Index, int) { return true; });
        sweep.for_each_near(c, [&](Index other, int chebyshev) {
          REQUIRE(visited.insert(other).second);
          REQUIRE((chebyshev == 0) == (other == c));
          REQUIRE(chebyshev <= reach);
          return true;
        });
        REQUIRE(visited.count(c) == 1);
        std::set<Index> earlier, expected_earlier;
        neighbors::NearCellSweep up_to(grid, reach);
        up_to.start(column, true);
        up_to.for_each_near(c, [&](Index other, int) { return earlier.insert(other).second; });
        for (Index v : visited)
          if (v < grid.column_end(column)) expected_earlier.insert(v);
        REQUIRE(earlier == expected_earlier);
        // Points within (reach − 1) sides along every axis of a point of c must be in a
        // visited cell; points more than reach + 1 sides away along some axis must not.
        const Index p = grid.cell_begin(c);
        for (Index q = 0; q < grid.size(); ++q) {
          const double gap = axis_gap(grid, p, q);
          if (gap <= double(reach - 1) * side) REQUIRE(visited.count(cell_of[std::size_t(q)]) == 1);
          if (gap > double(reach + 1) * side) REQUIRE(visited.count(cell_of[std::size_t(q)]) == 0);
        }
      }
    }
    // Stopping early: the first column's last cell sees itself and at least one other cell here.
    const Index last_of_first = grid.column_end(0) - 1;
    int all = 0, calls = 0;
    neighbors::NearCellSweep full(grid, 2), stopping(grid, 2);
    full.start(0);
    full.for_each_near(last_of_first, [&](Index, int) { return ++all > 0; });
    REQUIRE(all >= 2);
    stopping.start(0);
    stopping.for_each_near(last_of_first, [&](Index, int) { return ++calls < 2; });
    REQUIRE(calls == 2);
  }
}

TEST_CASE("cell grid refuses data it cannot lay a grid over", "[cellgrid][bad-input]") {
  const Matrix x = clumpy_points(50, 2, 3);
  REQUIRE_FALSE(CellGrid::fits(clumpy_points(50, 4, 3), 1.0));
  REQUIRE_FALSE(CellGrid::fits(x, 0.0));
  REQUIRE_FALSE(CellGrid::fits(x, NAN));
  REQUIRE_FALSE(CellGrid::fits(x, 1e-9));  // too many cells along an axis
  Matrix with_nan = x;
  with_nan(3, 1) = NAN;
  REQUIRE_FALSE(CellGrid::fits(with_nan, 1.0));
  REQUIRE_THROWS_AS(CellGrid(with_nan, 1.0), InputError);
}
