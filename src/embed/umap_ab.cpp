// Fit of umap-learn's output-space membership curve 1 / (1 + a·x^(2b)) to the
// target curve (1 below min_dist, exp(-(x - min_dist)/spread) beyond), on 300
// points of [0, 3·spread], by Levenberg–Marquardt from (1, 1) as scipy's curve_fit.
#include <cmath>
#include <utility>
#include <vector>

#include "clusterbench/embed/umap.hpp"

namespace cb::embed {

std::pair<double, double> fit_umap_ab(double spread, double min_dist) {
  constexpr int kPoints = 300;
  std::vector<double> xs(kPoints), ys(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    xs[i] = 3.0 * spread * i / (kPoints - 1);
    ys[i] = xs[i] < min_dist ? 1.0 : std::exp(-(xs[i] - min_dist) / spread);
  }
  auto cost = [&](double a, double b) {
    double s = 0;
    for (int i = 0; i < kPoints; ++i) {
      const double r = 1.0 / (1.0 + a * std::pow(xs[i], 2 * b)) - ys[i];
      s += r * r;
    }
    return s;
  };
  double a = 1.0, b = 1.0, lambda = 1e-3;
  double current = cost(a, b);
  for (int iter = 0; iter < 500; ++iter) {
    // Normal equations JᵀJ δ = -Jᵀr of the 2-parameter problem.
    double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (int i = 0; i < kPoints; ++i) {
      const double x = xs[i];
      const double p = x > 0 ? std::pow(x, 2 * b) : 0.0;
      const double f = 1.0 / (1.0 + a * p);
      const double r = f - ys[i];
      const double da = -p * f * f;
      const double db = x > 0 ? -a * p * 2.0 * std::log(x) * f * f : 0.0;
      jaa += da * da, jab += da * db, jbb += db * db, ga += da * r, gb += db * r;
    }
    bool improved = false;
    for (int tries = 0; tries < 30 && !improved; ++tries) {
      const double m00 = jaa * (1 + lambda), m11 = jbb * (1 + lambda);
      const double det = m00 * m11 - jab * jab;
      if (det == 0) break;
      const double step_a = -(m11 * ga - jab * gb) / det;
      const double step_b = -(m00 * gb - jab * ga) / det;
      const double trial = cost(a + step_a, b + step_b);
      if (trial < current) {
        const double change = std::abs(step_a) + std::abs(step_b);
        a += step_a, b += step_b;
        const double gain = current - trial;
        current = trial;
        lambda = std::max(lambda / 10, 1e-12);
        improved = true;
        if (change < 1e-13 * (std::abs(a) + std::abs(b)) || gain < 1e-16 * current) return {a, b};
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return {a, b};
}

}  // namespace cb::embed
