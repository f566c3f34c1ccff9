#pragma once
// A bounded, sorted list of the k best (distance, index) pairs of one point.
// Ordering is by distance, then index, so the kept set is a function of the
// offered candidates only, never of the order they were offered in.
#include <cstdint>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::neighbors::detail {

inline void check_knn_input(MatrixView points, Index k) {
  if (points.rows() == 0 || points.cols() == 0) throw InputError("kNN: the data is empty");
  if (k < 1) throw InputError("kNN: k must be at least 1, got " + std::to_string(k));
  if (k >= points.rows())
    throw InputError("kNN: k (" + std::to_string(k) + ") must be smaller than the number of points (" +
                     std::to_string(points.rows()) + ")");
}

inline bool closer(double da, std::int32_t ia, double db, std::int32_t ib) { return da < db || (da == db && ia < ib); }

/// View of k slots (dist[], idx[]) holding `count` sorted entries.
struct KnnList {
  double* dist;
  std::int32_t* idx;
  int k;
  int count;

  bool full() const { return count == k; }
  /// True if (d, j) would enter the list.
  bool accepts(double d, std::int32_t j) const { return count < k || closer(d, j, dist[k - 1], idx[k - 1]); }

  /// Inserts (d, j) if it enters; returns the slot used or -1. No duplicate check.
  int insert(double d, std::int32_t j) {
    if (!accepts(d, j)) return -1;
    int pos = count < k ? count++ : k - 1;
    while (pos > 0 && closer(d, j, dist[pos - 1], idx[pos - 1])) {
      dist[pos] = dist[pos - 1];
      idx[pos] = idx[pos - 1];
      --pos;
    }
    dist[pos] = d;
    idx[pos] = j;
    return pos;
  }
};

}  // namespace cb::neighbors::detail
