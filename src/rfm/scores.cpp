#include "clusterbench/rfm/scores.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::rfm {
namespace {

/// numpy's 'linear' quantile of sorted data (its lerp form, to the last bit).
double numpy_quantile(const std::vector<double>& sorted, double p) {
  const std::size_t n = sorted.size();
  const double h = static_cast<double>(n - 1) * p;
  const double lo_f = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_f);
  const std::size_t hi = std::min(lo + 1, n - 1);
  const double g = h - lo_f;
  const double a = sorted[lo], b = sorted[hi];
  const double diff = b - a;
  return g >= 0.5 ? b - diff * (1.0 - g) : a + diff * g;
}

/// R's quantile(type = 7) of sorted data, with R's arithmetic.
double r_quantile(const std::vector<double>& sorted, double p) {
  const std::size_t n = sorted.size();
  const double index = 1.0 + static_cast<double>(n - 1) * p;
  const double lo_f = std::floor(index);
  const auto lo = static_cast<std::size_t>(lo_f) - 1;  // 0-based
  const auto hi = static_cast<std::size_t>(std::ceil(index)) - 1;
  double q = sorted[lo];
  if (index > lo_f && sorted[hi] != q) {
    const double h = index - lo_f;
    q = (1.0 - h) * q + h * sorted[hi];
  }
  return q;
}

std::vector<std::size_t> stable_order(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  return order;
}

/// Largest value of each of the first bins-1 levels (empty levels repeat the previous threshold).
DimensionCuts level_maxima(std::span<const double> values, const std::vector<int>& scores, int bins) {
  DimensionCuts cuts;
  std::vector<double> max_of(static_cast<std::size_t>(bins) + 1, -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < values.size(); ++i)
    max_of[static_cast<std::size_t>(scores[i])] = std::max(max_of[static_cast<std::size_t>(scores[i])], values[i]);
  double running = -std::numeric_limits<double>::infinity();
  for (int j = 1; j < bins; ++j) {
    running = std::max(running, max_of[static_cast<std::size_t>(j)]);
    cuts.thresholds.push_back(running);
  }
  return cuts;
}

std::span<const double> column(const Dataset& d, const std::string& name, std::vector<double>& storage) {
  const auto it = std::find(d.columns.begin(), d.columns.end(), name);
  if (it == d.columns.end()) throw InputError(fmt::format("{}: RFM scores need a column named '{}'", d.source, name));
  const auto j = static_cast<Index>(it - d.columns.begin());
  storage.resize(static_cast<std::size_t>(d.rows()));
  for (Index i = 0; i < d.rows(); ++i) storage[static_cast<std::size_t>(i)] = d.values(i, j);
  return storage;
}

void check_bins(int bins) {
  if (bins < 2 || bins > 9) throw InputError(fmt::format("RFM bins must be in 2..9, got {}", bins));
}

RfmScores combine(std::vector<int> r_asc, std::vector<int> f, std::vector<int> m, ScoreCuts cuts) {
  RfmScores s;
  const std::size_t n = r_asc.size();
  s.r.resize(n);
  s.code.resize(n);
  s.fm.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.r[i] = cuts.bins + 1 - r_asc[i];
    s.code[i] = 100 * s.r[i] + 10 * f[i] + m[i];
    s.fm[i] = (f[i] + m[i]) / 2.0;
  }
  s.f = std::move(f);
  s.m = std::move(m);
  s.cuts = std::move(cuts);
  return s;
}

}  // namespace

int DimensionCuts::ascending_score(double x) const {
  int s = 1;
  for (double t : thresholds) s += at_or_above ? (x >= t) : (x > t);
  return s;
}

TiePolicy parse_tie_policy(const std::string& name) {
  if (const auto policy = value_of(kTiePolicyNames, name)) return *policy;
  throw ConfigError(fmt::format("unknown tie policy '{}' (expected {})", name, listed_names(kTiePolicyNames)));
}

std::vector<int> ascending_scores(std::span<const double> values, int bins, TiePolicy ties, DimensionCuts* cuts_out) {
  check_bins(bins);
  const std::size_t n = values.size();
  if (n == 0) throw InputError("RFM scores need at least one customer");
  std::vector<int> scores(n, 1);
  DimensionCuts cuts;
  switch (ties) {
    case TiePolicy::cut_le:
    case TiePolicy::r_rfm: {
      std::vector<double> sorted(values.begin(), values.end());
      std::sort(sorted.begin(), sorted.end());
      const bool r_rule = ties == TiePolicy::r_rfm;
      const double step = 1.0 / bins;  // R: seq(0, 1, length.out = bins + 1) = j * step
      for (int j = 1; j < bins; ++j)
        cuts.thresholds.push_back(r_rule ? r_quantile(sorted, j * step) + 1.0
                                         : numpy_quantile(sorted, static_cast<double>(j) / bins));
      cuts.at_or_above = r_rule;
      for (std::size_t i = 0; i < n; ++i) scores[i] = cuts.ascending_score(values[i]);
      break;
    }
    case TiePolicy::rank_first: {
      // pandas 1.5: qcut(x.rank(method="first"), bins); edges = np.quantile of the
      // ranks at np.linspace(0, 1, bins + 1) (= j * (1 / bins)); (a, b] bins.
      const auto order = stable_order(values);
      std::vector<double> ranks(n);
      for (std::size_t k = 0; k < n; ++k) ranks[order[k]] = static_cast<double>(k + 1);
      std::vector<double> sorted_ranks(n);
      std::iota(sorted_ranks.begin(), sorted_ranks.end(), 1.0);
      const double step = 1.0 / bins;
      DimensionCuts rank_cuts;
      for (int j = 1; j < bins; ++j) rank_cuts.thresholds.push_back(numpy_quantile(sorted_ranks, j * step));
      for (std::size_t i = 0; i < n; ++i) scores[i] = rank_cuts.ascending_score(ranks[i]);
      cuts = level_maxima(values, scores, bins);
      break;
    }
    case TiePolicy::ntile: {
      const auto order = stable_order(values);
      const std::size_t base = n / static_cast<std::size_t>(bins), extra = n % static_cast<std::size_t>(bins);
      const std::size_t big = extra * (base + 1);  // rows in the first `extra` (larger) groups
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t group = k < big ? k / (base + 1) : extra + (k - big) / base;
        scores[order[k]] = static_cast<int>(group) + 1;
      }
      cuts = level_maxima(values, scores, bins);
      break;
    }
  }
  if (cuts_out) *cuts_out = std::move(cuts);
  return scores;
}

RfmScores score(const Dataset& features, const ScoreOptions& options) {
  check_bins(options.bins);
  std::vector<double> buffer;
  ScoreCuts cuts;
  cuts.bins = options.bins;
  auto r = ascending_scores(column(features, "recency", buffer), options.bins, options.ties, &cuts.recency);
  auto f = ascending_scores(column(features, "frequency", buffer), options.bins, options.ties, &cuts.frequency);
  auto m = ascending_scores(column(features, "monetary", buffer), options.bins, options.ties, &cuts.monetary);
  return combine(std::move(r), std::move(f), std::move(m), std::move(cuts));
}

RfmScores score_pinned(const Dataset& features, const ScoreCuts& cuts) {
  check_bins(cuts.bins);
  std::vector<double> buffer;
  auto apply = [&](const std::string& name, const DimensionCuts& c) {
    const auto values = column(features, name, buffer);
    std::vector<int> s(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) s[i] = c.ascending_score(values[i]);
    return s;
  };
  auto r = apply("recency", cuts.recency);
  auto f = apply("frequency", cuts.frequency);
  auto m = apply("monetary", cuts.monetary);
  return combine(std::move(r), std::move(f), std::move(m), cuts);
}

}  // namespace cb::rfm
