#include "clusterbench/report/knee.hpp"

#include <algorithm>
#include <cmath>

namespace cb::report {

int knee_by_chord(const std::vector<int>& x, const std::vector<double>& y) {
  if (x.size() < 3 || x.size() != y.size()) return 0;
  const double x0 = x.front(), x1 = x.back();
  const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
  if (x1 == x0 || *hi == *lo) return 0;
  const double y0 = (y.front() - *lo) / (*hi - *lo), y1 = (y.back() - *lo) / (*hi - *lo);
  int best = 0;
  double best_gap = 1e-9;  // a straight line sags by rounding only: no elbow
  for (std::size_t i = 1; i + 1 < x.size(); ++i) {
    const double t = (x[i] - x0) / (x1 - x0);
    const double chord = y0 + t * (y1 - y0);
    const double gap = chord - (y[i] - *lo) / (*hi - *lo);  // how far the curve sags below the chord
    if (gap > best_gap) {
      best_gap = gap;
      best = x[i];
    }
  }
  return best;
}

}  // namespace cb::report
