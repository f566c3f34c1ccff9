#pragma once
// A uniform grid of cubic cells over the rows of a matrix in 1 to 3 dimensions,
// for exact fixed-radius work in low dimensions. Points are sorted by cell (by
// row id inside a cell); cells are grouped in columns (cells sharing all
// coordinates but the last), each column's cells contiguous and sorted by the
// last coordinate. Near columns come from a hash of column coordinates, and a
// NearCellSweep walks a column's cells with one forward cursor per near column.
// Distances use the same arithmetic as KdTree (squared differences summed in
// coordinate order). The grid is immutable after construction and safe to
// share between threads; a sweep belongs to one thread.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb::neighbors {

class CellGrid {
 public:
  static constexpr Index kMaxDims = 3;
  static constexpr std::int64_t kMaxCellsPerDim = std::int64_t{1} << 21;  ///< 21 bits per coordinate in a 63-bit key

  /// Whether a grid of cell side `side` can be laid over `points`: 1 ≤ d ≤ 3,
  /// every coordinate finite, `side` a positive normal number, and fewer than
  /// kMaxCellsPerDim cells along every axis.
  static bool fits(MatrixView points, double side);

  /// Copies the points (in cell order). Throws InputError unless fits(points, side).
  CellGrid(MatrixView points, double side);

  Index size() const { return n_; }
  Index dims() const { return d_; }
  double side() const { return side_; }
  Index cell_count() const { return Index(cell_start_.size()) - 1; }
  Index cell_begin(Index cell) const { return cell_start_[std::size_t(cell)]; }    ///< first position of a cell
  Index cell_end(Index cell) const { return cell_start_[std::size_t(cell + 1)]; }  ///< one past its last position
  Index id_at(Index position) const { return ids_[std::size_t(position)]; }        ///< original row at a position
  const double* point_at(Index position) const { return data_.data() + position * d_; }
  /// Squared distance from `query` to the point at a position (KdTree's arithmetic).
  double distance2_at(Index position, const double* query) const {
    const double* x = point_at(position);
    double s = 0.0;
    for (Index j = 0; j < d_; ++j) {
      const double t = query[j] - x[j];
      s += t * t;
    }
    return s;
  }

  Index column_count() const { return Index(column_start_.size()) - 1; }
  Index column_begin(Index column) const { return column_start_[std::size_t(column)]; }    ///< first cell of a column
  Index column_end(Index column) const { return column_start_[std::size_t(column + 1)]; }  ///< one past its last cell
  /// Integer coordinate of a cell along the last axis (ascending within a column).
  std::int32_t last_coordinate(Index cell) const { return last_[std::size_t(cell)]; }

  struct NearColumn {
    Index column;
    int chebyshev;  ///< largest coordinate difference over all axes but the last
  };
  /// Non-empty columns whose coordinates (all axes but the last) differ from
  /// those of `column` by at most `reach` along every axis, `column` included.
  void near_columns(Index column, int reach, std::vector<NearColumn>& out) const;

 private:
  static constexpr int kBits = 21;
  Index find_column(std::uint64_t key) const;  ///< −1 when no point has those coordinates
  std::size_t hash_slot(std::uint64_t key) const { return std::size_t((key * 0x9E3779B97F4A7C15ull) >> table_shift_); }

  Index n_ = 0, d_ = 0;
  double side_ = 0.0;
  std::vector<double> data_;              // n × d, cell order
  std::vector<Index> ids_;                // original row of each position
  std::vector<Index> cell_start_;         // cells + 1 positions
  std::vector<std::int32_t> coords_;      // cells × d integer cell coordinates
  std::vector<std::int32_t> last_;        // last coordinate of each cell (for the column searches)
  std::vector<Index> column_start_;       // columns + 1 cells
  std::vector<std::uint64_t> table_key_;  // open addressing: column prefix key per slot
  std::vector<Index> table_column_;       // column per slot, −1 when empty
  int table_shift_ = 64;
};

/// The cells near each cell of one column: every non-empty cell whose integer
/// coordinates differ by at most `reach` along every axis. Cells of a column are
/// taken in ascending order, so each near column is passed over once.
class NearCellSweep {
 public:
  NearCellSweep(const CellGrid& grid, int reach) : grid_(grid), reach_(reach) {}

  /// Begins a column; its cells must then be given to for_each_near in ascending
  /// order. With `up_to_this_column`, later columns are left out: every near cell
  /// with a smaller index than the current one is still visited.
  void start(Index column, bool up_to_this_column = false) {
    grid_.near_columns(column, reach_, near_);
    if (up_to_this_column)
      near_.erase(std::remove_if(near_.begin(), near_.end(), [&](const auto& c) { return c.column > column; }),
                  near_.end());
    cursor_.clear();
    for (const auto& c : near_) cursor_.push_back(grid_.column_begin(c.column));
  }

  /// Calls visit(other, chebyshev) for each near cell (`cell` itself included,
  /// with chebyshev 0); chebyshev is the largest coordinate difference. Stops
  /// early when visit returns false.
  template <class Visit>
  void for_each_near(Index cell, Visit&& visit) {
    const std::int32_t last = grid_.last_coordinate(cell);
    for (std::size_t k = 0; k < near_.size(); ++k) {
      const Index end = grid_.column_end(near_[k].column);
      Index& other = cursor_[k];
      while (other < end && grid_.last_coordinate(other) < last - reach_) ++other;
      for (Index o = other; o < end && grid_.last_coordinate(o) <= last + reach_; ++o) {
        const int along_last = std::abs(grid_.last_coordinate(o) - last);
        if (!visit(o, std::max(near_[k].chebyshev, along_last))) return;
      }
    }
  }

 private:
  const CellGrid& grid_;
  int reach_;
  std::vector<CellGrid::NearColumn> near_;
  std::vector<Index> cursor_;  // per near column: first cell not below the current cell's range
};

}  // namespace cb::neighbors
