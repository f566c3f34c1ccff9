// Growing the forests of the tree embedding. A tree is grown on a list of
// sample indices (a bootstrap sample may repeat points), then every point is
// routed down it to find its leaf.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "clusterbench/core/rng.hpp"
#include "forest.hpp"

namespace cb::embed::detail {
namespace {

struct Node {
  std::int32_t feature = -1;  // -1: leaf
  double threshold = 0;       // go left when x ≤ threshold
  std::int32_t left = -1, right = -1;
  std::int32_t leaf = -1;  // leaf number
  double value = 0;        // mean target of the leaf's samples
};

class TreeGrower {
 public:
  /// `feature_order` (supervised): per feature, all point ids sorted by (value, id).
  TreeGrower(MatrixView x, const Vector& y, const TreeEmbeddingOptions& o, Rng rng,
             const std::vector<std::vector<std::int32_t>>* feature_order = nullptr)
      : x_(x), y_(y), o_(o), rng_(rng), supervised_(y.size() > 0), feature_order_(feature_order) {}

  std::vector<Node> grow(std::vector<std::int32_t>& samples) {
    nodes_.clear();
    leaves_ = 0;
    if (supervised_) presort(samples);
    build(samples, 0, static_cast<std::int32_t>(samples.size()), 0);
    return std::move(nodes_);
  }
  std::int32_t leaves() const { return leaves_; }

 private:
  std::int32_t make_leaf(const std::vector<std::int32_t>& s, std::int32_t lo, std::int32_t hi, std::int32_t id) {
    nodes_[id].leaf = leaves_++;
    if (supervised_) {
      double sum = 0;
      for (auto p = lo; p < hi; ++p) sum += y_(s[p]);
      nodes_[id].value = sum / (hi - lo);
    }
    return id;
  }

  std::int32_t build(std::vector<std::int32_t>& s, std::int32_t lo, std::int32_t hi, int depth) {
    const auto id = static_cast<std::int32_t>(nodes_.size());
    nodes_.emplace_back();
    const Index size = hi - lo;
    if (depth >= o_.max_depth || size < o_.min_samples_split || size < 2 * o_.min_samples_leaf)
      return make_leaf(s, lo, hi, id);
    int feature = -1;
    double threshold = 0;
    if (!(supervised_ ? best_split(s, lo, hi, feature, threshold) : random_split(s, lo, hi, feature, threshold)))
      return make_leaf(s, lo, hi, id);
    auto* mid =
        std::partition(s.data() + lo, s.data() + hi, [&](std::int32_t p) { return x_(p, feature) <= threshold; });
    const auto m = static_cast<std::int32_t>(mid - s.data());
    if (supervised_) split_sorted(lo, hi, feature, threshold);
    nodes_[id].feature = feature;
    nodes_[id].threshold = threshold;
    const auto left = build(s, lo, m, depth + 1);
    const auto right = build(s, m, hi, depth + 1);
    nodes_[id].left = left;
    nodes_[id].right = right;
    return id;
  }

  // Totally random split: a random non-constant feature, a uniform threshold in [min, max).
  bool random_split(const std::vector<std::int32_t>& s, std::int32_t lo, std::int32_t hi, int& feature,
                    double& threshold) {
    const Index d = x_.cols();
    std::vector<int> candidates(static_cast<std::size_t>(d));
    std::iota(candidates.begin(), candidates.end(), 0);
    for (Index left = d; left > 0; --left) {  // draw features without replacement until one varies
      const auto pick = static_cast<Index>(rng_.below(static_cast<std::uint64_t>(left)));
      const int f = candidates[pick];
      std::swap(candidates[pick], candidates[left - 1]);
      double mn = std::numeric_limits<double>::infinity(), mx = -mn;
      for (auto p = lo; p < hi; ++p) mn = std::min(mn, x_(s[p], f)), mx = std::max(mx, x_(s[p], f));
      if (mx > mn) {
        feature = f;
        threshold = mn + rng_.uniform() * (mx - mn);
        if (threshold >= mx) threshold = mn;
        if (o_.min_samples_leaf <= 1) return true;
        Index n_left = 0;
        for (auto p = lo; p < hi; ++p) n_left += x_(s[p], f) <= threshold;
        return n_left >= o_.min_samples_leaf && (hi - lo) - n_left >= o_.min_samples_leaf;
      }
    }
    return false;
  }

  // The samples sorted by each feature (ties by sample id), once per tree:
  // a node's range of each list stays sorted when split (stable partition),
  // so no node sorts again. The forest sorts all points once per feature; a
  // tree's lists are that order with each point repeated as often as it was
  // drawn (a counting pass, no sort).
  void presort(const std::vector<std::int32_t>& samples) {
    const auto& global = *feature_order_;
    std::vector<std::int32_t> draws(global.empty() ? 0 : global.front().size(), 0);
    for (const std::int32_t sample : samples) ++draws[static_cast<std::size_t>(sample)];
    sorted_.resize(global.size());
    for (std::size_t f = 0; f < global.size(); ++f) {
      auto& order = sorted_[f];
      order.clear();
      order.reserve(samples.size());
      for (const std::int32_t point : global[f])
        for (std::int32_t c = 0; c < draws[static_cast<std::size_t>(point)]; ++c) order.push_back(point);
    }
    scratch_.resize(samples.size());
  }

  // Splits [lo, hi) of every sorted list into the samples going left, then
  // right, keeping each part's order.
  void split_sorted(std::int32_t lo, std::int32_t hi, int feature, double threshold) {
    for (auto& order : sorted_) {
      std::int32_t left_end = lo;
      std::size_t right = 0;
      for (auto p = lo; p < hi; ++p) {
        const std::int32_t sample = order[static_cast<std::size_t>(p)];
        if (x_(sample, feature) <= threshold) order[static_cast<std::size_t>(left_end++)] = sample;
        else scratch_[right++] = sample;
      }
      std::copy(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(right), order.begin() + left_end);
    }
  }

  // Best split by variance reduction among a random subset of features.
  bool best_split(const std::vector<std::int32_t>& s, std::int32_t lo, std::int32_t hi, int& feature,
                  double& threshold) {
    const Index d = x_.cols();
    const Index tries =
        std::clamp<Index>(static_cast<Index>(std::ceil(o_.max_features * static_cast<double>(d))), 1, d);
    std::vector<int> features(static_cast<std::size_t>(d));
    std::iota(features.begin(), features.end(), 0);
    for (Index t = 0; t < tries; ++t)
      std::swap(features[t], features[t + static_cast<Index>(rng_.below(static_cast<std::uint64_t>(d - t)))]);
    const Index m = hi - lo;
    double total = 0, total2 = 0;
    for (auto p = lo; p < hi; ++p) total += y_(s[p]), total2 += y_(s[p]) * y_(s[p]);
    if (total2 - total * total / static_cast<double>(m) <= 1e-12 * std::max(1.0, total2)) return false;  // pure node
    double best_gain = 0;
    bool found = false;
    for (Index t = 0; t < tries; ++t) {
      const int f = features[t];
      const std::int32_t* order = sorted_[static_cast<std::size_t>(f)].data() + lo;
      double left_sum = 0;
      double next_x = x_(order[0], f);
      for (Index q = 0; q + 1 < m; ++q) {
        const double here_x = next_x;
        next_x = x_(order[q + 1], f);
        left_sum += y_(order[q]);
        const Index nl = q + 1, nr = m - nl;
        if (here_x == next_x || nl < o_.min_samples_leaf || nr < o_.min_samples_leaf) continue;
        const double right_sum = total - left_sum;
        // Reduction of the sum of squared errors, up to a constant.
        const double gain = left_sum * left_sum / nl + right_sum * right_sum / nr;
        if (!found || gain > best_gain) {
          best_gain = gain;
          found = true;
          feature = f;
          threshold = 0.5 * (here_x + next_x);
          if (threshold >= next_x) threshold = here_x;
        }
      }
    }
    return found;
  }

  MatrixView x_;
  const Vector& y_;
  const TreeEmbeddingOptions& o_;
  Rng rng_;
  bool supervised_;
  std::vector<Node> nodes_;
  std::int32_t leaves_ = 0;
  const std::vector<std::vector<std::int32_t>>* feature_order_;
  std::vector<std::vector<std::int32_t>> sorted_;  // supervised: per feature, the samples in feature order
  std::vector<std::int32_t> scratch_;
};

const Node& route(const std::vector<Node>& tree, MatrixView x, Index i) {
  std::int32_t node = 0;
  while (tree[node].feature >= 0)
    node = x(i, tree[node].feature) <= tree[node].threshold ? tree[node].left : tree[node].right;
  return tree[node];
}

}  // namespace

ForestLeaves grow_forest(MatrixView x, const Vector& y, const TreeEmbeddingOptions& o, std::uint64_t seed,
                         const Executor& executor) {
  const Index n = x.rows();
  const int trees = o.n_estimators;
  const bool supervised = y.size() > 0;
  ForestLeaves out;
  out.leaves.resize(n, trees);
  out.leaf_counts.assign(static_cast<std::size_t>(trees), 0);
  // Out-of-bag predictions per tree (NaN where in bag), summed in tree order afterwards.
  Matrix oob = supervised ? Matrix(n, trees) : Matrix();
  // Supervised trees split on sorted features: every point sorted by each feature once, for all trees.
  std::vector<std::vector<std::int32_t>> feature_order(supervised ? static_cast<std::size_t>(x.cols()) : 0);
  executor.for_chunks(feature_order.size(), 1, [&](std::size_t f, Range) {
    auto& order = feature_order[f];
    order.resize(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    const auto column = static_cast<Index>(f);
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      const double xa = x(a, column), xb = x(b, column);
      return xa < xb || (xa == xb && a < b);
    });
  });
  executor.for_chunks(static_cast<std::size_t>(trees), 1, [&](std::size_t t, Range) {
    Rng rng = Rng(seed).split(t);
    std::vector<std::int32_t> samples(static_cast<std::size_t>(n));
    std::vector<char> in_bag(static_cast<std::size_t>(n), 1);
    if (supervised && o.bootstrap) {
      std::fill(in_bag.begin(), in_bag.end(), 0);
      for (auto& s : samples) {
        s = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(n)));
        in_bag[s] = 1;
      }
    } else {
      std::iota(samples.begin(), samples.end(), 0);
    }
    TreeGrower grower(x, y, o, rng.split(1), &feature_order);
    const auto tree = grower.grow(samples);
    out.leaf_counts[t] = grower.leaves();
    for (Index i = 0; i < n; ++i) {
      const Node& leaf = route(tree, x, i);
      out.leaves(i, static_cast<Index>(t)) = leaf.leaf;
      if (supervised) oob(i, static_cast<Index>(t)) = in_bag[i] ? std::numeric_limits<double>::quiet_NaN() : leaf.value;
    }
  });
  out.oob_r2 = std::numeric_limits<double>::quiet_NaN();
  if (supervised) {
    double sse = 0, mean = 0;
    Index counted = 0;
    std::vector<double> pred(static_cast<std::size_t>(n), 0.0);
    std::vector<char> has(static_cast<std::size_t>(n), 0);
    for (Index i = 0; i < n; ++i) {
      double sum = 0;
      int count = 0;
      for (int t = 0; t < trees; ++t)
        if (!std::isnan(oob(i, t))) sum += oob(i, t), ++count;
      if (count > 0) pred[i] = sum / count, has[i] = 1, ++counted, mean += y(i);
    }
    if (counted > 1) {
      mean /= static_cast<double>(counted);
      double sst = 0;
      for (Index i = 0; i < n; ++i)
        if (has[i]) sse += (y(i) - pred[i]) * (y(i) - pred[i]), sst += (y(i) - mean) * (y(i) - mean);
      out.oob_r2 = sst > 0 ? 1.0 - sse / sst : std::numeric_limits<double>::quiet_NaN();
    }
    out.oob_points = counted;
  }
  return out;
}

}  // namespace cb::embed::detail
