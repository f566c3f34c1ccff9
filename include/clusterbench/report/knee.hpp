#pragma once
// The elbow of a decreasing curve such as K-Means inertia over k.
#include <vector>

namespace cb::report {

/// The x of the point farthest below the chord joining the first and last points,
/// after scaling x and y to [0, 1] (Kneedle's difference curve without smoothing;
/// Satopää et al. 2011). 0 when there are fewer than three points or the curve
/// never drops below its chord (no elbow).
int knee_by_chord(const std::vector<int>& x, const std::vector<double>& y);

}  // namespace cb::report
