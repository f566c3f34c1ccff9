// Grid construction: integer cell coordinates floor((x − min) / side) packed into
// one 63-bit key per point, points sorted by (key, id), then the cell and column
// tables and the column hash.
#include "clusterbench/neighbors/cell_grid.hpp"

#include <bit>
#include <cfloat>
#include <cmath>
#include <string>
#include <utility>

#include "clusterbench/core/error.hpp"

namespace cb::neighbors {
namespace {

/// Stable LSD radix sort on the low `bits` bits of the keys, 16 bits a pass;
/// rows enter in id order, so equal keys stay in id order.
void sort_by_key(std::vector<std::pair<std::uint64_t, Index>>& keyed, int bits) {
  constexpr int kDigit = 16;
  std::vector<std::pair<std::uint64_t, Index>> buffer(keyed.size());
  std::vector<std::size_t> start(std::size_t{1} << kDigit);
  for (int shift = 0; shift < bits; shift += kDigit) {
    std::fill(start.begin(), start.end(), 0);
    for (const auto& k : keyed) ++start[(k.first >> shift) & 0xFFFF];
    std::size_t sum = 0;
    for (auto& s : start) sum += std::exchange(s, sum);
    for (const auto& k : keyed) buffer[start[(k.first >> shift) & 0xFFFF]++] = k;
    keyed.swap(buffer);
  }
}

}  // namespace

bool CellGrid::fits(MatrixView points, double side) {
  const Index d = points.cols();
  if (points.rows() == 0 || d < 1 || d > kMaxDims) return false;
  if (!(side >= DBL_MIN) || !std::isfinite(side)) return false;
  for (Index j = 0; j < d; ++j) {
    double lo = points(0, j), hi = points(0, j);
    for (Index i = 0; i < points.rows(); ++i) {
      const double x = points(i, j);
      if (!std::isfinite(x)) return false;
      lo = std::min(lo, x), hi = std::max(hi, x);
    }
    // (hi − lo) may overflow to infinity, which fails the comparison as wanted.
    if (!((hi - lo) / side < double(kMaxCellsPerDim - 1))) return false;
  }
  return true;
}

CellGrid::CellGrid(MatrixView points, double side) : n_(points.rows()), d_(points.cols()), side_(side) {
  if (!fits(points, side))
    throw InputError("cell grid needs 1 to 3 finite columns, a positive cell side and fewer than 2^21 cells per axis");
  std::vector<double> lo(static_cast<std::size_t>(d_));
  for (Index j = 0; j < d_; ++j) lo[std::size_t(j)] = points.col(j).minCoeff();
  std::vector<std::pair<std::uint64_t, Index>> keyed(static_cast<std::size_t>(n_));
  for (Index i = 0; i < n_; ++i) {
    std::uint64_t key = 0;
    for (Index j = 0; j < d_; ++j)
      key = (key << kBits) | std::uint64_t(std::floor((points(i, j) - lo[std::size_t(j)]) / side));
    keyed[std::size_t(i)] = {key, i};
  }
  sort_by_key(keyed, int(d_) * kBits);

  ids_.resize(std::size_t(n_));
  data_.resize(std::size_t(n_ * d_));
  const std::uint64_t mask = std::uint64_t(kMaxCellsPerDim - 1);
  for (Index p = 0; p < n_; ++p) {
    const auto [key, id] = keyed[std::size_t(p)];
    ids_[std::size_t(p)] = id;
    for (Index j = 0; j < d_; ++j) data_[std::size_t(p * d_ + j)] = points(id, j);
    if (p > 0 && key == keyed[std::size_t(p - 1)].first) continue;
    cell_start_.push_back(p);
    for (Index j = 0; j < d_; ++j) coords_.push_back(std::int32_t((key >> (kBits * (d_ - 1 - j))) & mask));
    last_.push_back(std::int32_t(key & mask));
    const std::uint64_t column_key = key >> kBits;
    if (p == 0 || column_key != (keyed[std::size_t(p - 1)].first >> kBits))
      column_start_.push_back(Index(cell_start_.size()) - 1);
  }
  cell_start_.push_back(n_);
  const Index columns = Index(column_start_.size());
  column_start_.push_back(cell_count());

  const std::size_t slots = std::bit_ceil(std::size_t(2 * columns + 2));
  table_shift_ = 64 - std::countr_zero(slots);
  table_key_.assign(slots, 0);
  table_column_.assign(slots, -1);
  for (Index column = 0; column < columns; ++column) {
    const Index cell = column_start_[std::size_t(column)];
    std::uint64_t key = 0;
    for (Index j = 0; j + 1 < d_; ++j) key = (key << kBits) | std::uint64_t(coords_[std::size_t(cell * d_ + j)]);
    std::size_t slot = hash_slot(key);
    while (table_column_[slot] >= 0) slot = (slot + 1) & (slots - 1);
    table_key_[slot] = key;
    table_column_[slot] = column;
  }
}

Index CellGrid::find_column(std::uint64_t key) const {
  for (std::size_t slot = hash_slot(key);; slot = (slot + 1) & (table_key_.size() - 1)) {
    if (table_column_[slot] < 0) return -1;
    if (table_key_[slot] == key) return table_column_[slot];
  }
}

void CellGrid::near_columns(Index column, int reach, std::vector<NearColumn>& out) const {
  out.clear();
  const Index prefix = d_ - 1;
  const std::int32_t* c = coords_.data() + column_begin(column) * d_;
  std::int32_t offset[kMaxDims - 1] = {};
  for (Index j = 0; j < prefix; ++j) offset[j] = -reach;
  for (;;) {
    std::uint64_t key = 0;
    int chebyshev = 0;
    bool inside = true;
    for (Index j = 0; j < prefix; ++j) {
      const std::int64_t cj = std::int64_t(c[j]) + offset[j];
      inside = inside && cj >= 0 && cj < kMaxCellsPerDim;
      key = (key << kBits) | std::uint64_t(cj & (kMaxCellsPerDim - 1));
      chebyshev = std::max(chebyshev, std::abs(offset[j]));
    }
    const Index found = inside ? find_column(key) : -1;
    if (found >= 0) out.push_back({found, chebyshev});
    Index j = 0;  // next offset, odometer style
    while (j < prefix && offset[j] == reach) offset[j++] = -reach;
    if (j == prefix) return;
    ++offset[j];
  }
}

}  // namespace cb::neighbors
