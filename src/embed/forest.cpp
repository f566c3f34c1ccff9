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
  std::int32_t leaf = -1;     // leaf number
  double value = 0;           // mean target of the leaf's samples
};

class TreeGrower {
 public:
  TreeGrower(MatrixView x, const Vector& y, const TreeEmbeddingOptions& o, Rng rng)
      : x_(x), y_(y), o_(o), rng_(rng), supervised_(y.size() > 0) {}

  std::vector<Node> grow(std::vector<std::int32_t>& samples) {
    nodes_.clear();
    leaves_ = 0;
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
    auto* mid = std::partition(s.data() + lo, s.data() + hi,
                               [&](std::int32_t p) { return x_(p, feature) <= threshold; });
    const auto m = static_cast<std::int32_t>(mid - s.data());
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

  // Best split by variance reduction among a random subset of features.
  bool best_split(const std::vector<std::int32_t>& s, std::int32_t lo, std::int32_t hi, int& feature,
                  double& threshold) {
    const Index d = x_.cols();
    const Index tries = std::clamp<Index>(static_cast<Index>(std::ceil(o_.max_features * static_cast<double>(d))), 1, d);
    std::vector<int> features(static_cast<std::size_t>(d));
    std::iota(features.begin(), features.end(), 0);
    for (Index t = 0; t < tries; ++t) std::swap(features[t], features[t + static_cast<Index>(rng_.below(static_cast<std::uint64_t>(d - t)))]);
    const Index m = hi - lo;
    double total = 0, total2 = 0;
    for (auto p = lo; p < hi; ++p) total += y_(s[p]), total2 += y_(s[p]) * y_(s[p]);
    if (total2 - total * total / static_cast<double>(m) <= 1e-12 * std::max(1.0, total2)) return false;  // pure node
    double best_gain = 0;
    bool found = false;
    std::vector<std::pair<double, double>> vals(static_cast<std::size_t>(m));
    for (Index t = 0; t < tries; ++t) {
      const int f = features[t];
      for (Index q = 0; q < m; ++q) vals[q] = {x_(s[lo + q], f), y_(s[lo + q])};
      std::sort(vals.begin(), vals.end());
      double left_sum = 0;
      for (Index q = 0; q + 1 < m; ++q) {
        left_sum += vals[q].second;
        const Index nl = q + 1, nr = m - nl;
        if (vals[q].first == vals[q + 1].first || nl < o_.min_samples_leaf || nr < o_.min_samples_leaf) continue;
        const double right_sum = total - left_sum;
        // Reduction of the sum of squared errors, up to a constant.
        const double gain = left_sum * left_sum / nl + right_sum * right_sum / nr;
        if (!found || gain > best_gain) {
          best_gain = gain;
          found = true;
          feature = f;
          threshold = 0.5 * (vals[q].first + vals[q + 1].first);
          if (threshold >= vals[q + 1].first) threshold = vals[q].first;
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
};

const Node& route(const std::vector<Node>& tree, MatrixView x, Index i) {
  std::int32_t node = 0;
  while (tree[node].feature >= 0) node = x(i, tree[node].feature) <= tree[node].threshold ? tree[node].left : tree[node].right;
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
    TreeGrower grower(x, y, o, rng.split(1));
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
