#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/metrics/scores.hpp"
#include "support/test_support.hpp"

using namespace cb;
using namespace cb::cluster;

namespace {

/// True when two labelings are the same partition (a bijection between labels).
bool same_partition(const Labels& a, const Labels& b) {
  if (a.size() != b.size()) return false;
  std::map<Label, Label> ab, ba;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto [it1, new1] = ab.emplace(a[i], b[i]);
    auto [it2, new2] = ba.emplace(b[i], a[i]);
    if (it1->second != b[i] || it2->second != a[i]) return false;
  }
  return true;
}

/// Slow oracle: naive agglomeration on a full distance matrix, O(n³).
std::vector<double> naive_heights(const Matrix& x, Linkage linkage) {
  const Index n = x.rows();
  std::vector<std::vector<Index>> members(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) members[std::size_t(i)] = {i};
  auto cluster_distance = [&](const std::vector<Index>& a, const std::vector<Index>& b) {
    if (linkage == Linkage::ward) {
      Vector ca = Vector::Zero(x.cols()), cb = Vector::Zero(x.cols());
      for (Index i : a) ca += x.row(i).transpose();
      for (Index i : b) cb += x.row(i).transpose();
      ca /= double(a.size());
      cb /= double(b.size());
      const double na = double(a.size()), nb = double(b.size());
      return std::sqrt(2.0 * na * nb / (na + nb)) * (ca - cb).norm();
    }
    double best = linkage == Linkage::complete ? 0.0 : INFINITY, sum = 0.0;
    for (Index i : a)
      for (Index j : b) {
        const double dij = (x.row(i) - x.row(j)).norm();
        sum += dij;
        best = linkage == Linkage::complete ? std::max(best, dij) : std::min(best, dij);
      }
    return linkage == Linkage::average ? sum / double(a.size() * b.size()) : best;
  };
  std::vector<double> heights;
  while (members.size() > 1) {
    double best = INFINITY;
    std::size_t bi = 0, bj = 1;
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = i + 1; j < members.size(); ++j) {
        const double dij = cluster_distance(members[i], members[j]);
        if (dij < best) best = dij, bi = i, bj = j;
      }
    heights.push_back(best);
    members[bi].insert(members[bi].end(), members[bj].begin(), members[bj].end());
    members.erase(members.begin() + std::ptrdiff_t(bj));
  }
  std::sort(heights.begin(), heights.end());
  return heights;
}

/// `centroid_ties`: the set has exactly tied Ward costs (coordinates on a grid);
/// the centroid form and SciPy's Lance–Williams form round those ties
/// differently, so the low-memory tree may legitimately break them otherwise.
void check_against_scipy_and_sklearn(const std::string& set, bool centroid_ties = false) {
  const Dataset data = cb::test::load_benchmark(set);
  const std::string csv = cb::test::write_matrix_csv(data.values, "hier-" + set);
  const Index n = data.rows();
  const auto all = cb::test::parse_numbers(
      cb::test::run_python("hier_reference.py", {csv, "ward", "complete", "average", "single"}));
  const std::size_t per_linkage = std::size_t((n - 1) + 10 * n);
  REQUIRE(all.size() == 4 * per_linkage);
  std::size_t offset = 0;
  for (Linkage linkage : {Linkage::ward, Linkage::complete, Linkage::average, Linkage::single}) {
    INFO(set << " " << linkage_name(linkage));
    const std::vector<double> reference(all.begin() + std::ptrdiff_t(offset),
                                        all.begin() + std::ptrdiff_t(offset + per_linkage));
    offset += per_linkage;
    HierarchicalOptions options;
    options.linkage = linkage;
    const auto tree = hierarchical_tree(data.values, options, serial_executor());
    REQUIRE(tree.merges.rows() == n - 1);
    for (Index i = 0; i < n - 1; ++i) {
      const double ref = reference[std::size_t(i)];
      INFO("merge " << i);
      REQUIRE(std::abs(tree.merges(i, 2) - ref) <= 1e-9 * std::max(1.0, std::abs(ref)));
    }
    REQUIRE(tree.merges(n - 2, 3) == double(n));
    for (int k = 2; k <= 11; ++k) {
      INFO("k=" << k);
      Labels ref(static_cast<std::size_t>(n));
      for (Index i = 0; i < n; ++i) ref[std::size_t(i)] = Label(reference[std::size_t((n - 1) + (k - 2) * n + i)]);
      const Labels ours = cut_tree(tree, k);
      REQUIRE(same_partition(ours, ref));
    }
    if (linkage == Linkage::ward && !centroid_ties) {  // the O(n·d) memory mode gives the same tree
      options.method = HierarchyMethod::ward_centroids;
      const auto low_memory = hierarchical_tree(data.values, options, serial_executor());
      for (Index i = 0; i < n - 1; ++i) {
        const double ref = reference[std::size_t(i)];
        REQUIRE(std::abs(low_memory.merges(i, 2) - ref) <= 1e-9 * std::max(1.0, std::abs(ref)));
      }
      for (int k = 2; k <= 11; ++k) REQUIRE(same_partition(cut_tree(low_memory, k), cut_tree(tree, k)));
    }
  }
}

/// A labeling of n points into exactly k clusters numbered 0..k−1 by first appearance.
void require_valid_cut(const Labels& labels, std::size_t n, int k) {
  REQUIRE(labels.size() == n);
  Label next = 0;
  for (const Label l : labels) {
    REQUIRE(l >= 0);
    REQUIRE(l <= next);  // first appearance order
    if (l == next) ++next;
  }
  REQUIRE(next == k);
}

}  // namespace

TEST_CASE("hierarchical heights equal a naive O(n^3) agglomeration", "[hierarchical]") {
  Rng rng(7);
  Matrix x(60, 3);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = rng.normal() + (i % 3) * 4.0;
  for (Linkage linkage : {Linkage::ward, Linkage::complete, Linkage::average, Linkage::single}) {
    INFO(linkage_name(linkage));
    const auto expected = naive_heights(x, linkage);
    HierarchicalOptions options;
    options.linkage = linkage;
    const auto tree = hierarchical_tree(x, options, serial_executor());
    for (Index i = 0; i < x.rows() - 1; ++i)
      REQUIRE(tree.merges(i, 2) == Approx(expected[std::size_t(i)]).epsilon(1e-12));
  }
}

TEST_CASE("hierarchical matches scipy linkage and sklearn cuts on iris", "[hierarchical][sklearn]") {
  check_against_scipy_and_sklearn("other-iris");
}
TEST_CASE("hierarchical matches scipy linkage and sklearn cuts on hepta", "[hierarchical][sklearn]") {
  check_against_scipy_and_sklearn("fcps-hepta");
}
TEST_CASE("hierarchical matches scipy linkage and sklearn cuts on aggregation", "[hierarchical][sklearn]") {
  check_against_scipy_and_sklearn("sipu-aggregation", /*centroid_ties=*/true);
}
TEST_CASE("hierarchical matches scipy linkage and sklearn cuts on s1", "[hierarchical][sklearn]") {
  check_against_scipy_and_sklearn("sipu-s1");
}

TEST_CASE("hierarchical is bit-identical on 1 and 2 threads", "[hierarchical][determinism]") {
  const Dataset data = cb::test::load_benchmark("sipu-s1");
  const auto one = make_parallel_executor(1);
  const auto two = make_parallel_executor(2);
  for (Linkage linkage : {Linkage::ward, Linkage::complete, Linkage::average, Linkage::single}) {
    for (auto method : {HierarchyMethod::automatic, HierarchyMethod::ward_centroids}) {
      if (method == HierarchyMethod::ward_centroids && linkage != Linkage::ward) continue;
      HierarchicalOptions options;
      options.linkage = linkage;
      options.method = method;
      const auto a = hierarchical_tree(data.values, options, *one);
      const auto b = hierarchical_tree(data.values, options, *two);
      REQUIRE(a.merges == b.merges);
    }
  }
}

TEST_CASE("hierarchical on duplicate-heavy data", "[hierarchical][degenerate]") {
  Rng rng(3);
  Matrix x(2000, 3);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = i < 1500 ? 1.0 : rng.normal();
  for (Linkage linkage : {Linkage::ward, Linkage::complete, Linkage::average, Linkage::single}) {
    HierarchicalOptions options;
    options.linkage = linkage;
    const auto tree = hierarchical_tree(x, options, serial_executor());
    REQUIRE(tree.merges.allFinite());
    for (Index i = 0; i < 1499; ++i) REQUIRE(tree.merges(i, 2) == 0.0);
    for (int k = 2; k <= 11; ++k) {
      const Labels labels = cut_tree(tree, k);
      REQUIRE(*std::max_element(labels.begin(), labels.end()) == k - 1);
    }
  }
}

TEST_CASE("hierarchical rejects bad input and picks methods from the budget", "[hierarchical][bad-input]") {
  Matrix empty(0, 2);
  REQUIRE_THROWS_AS(hierarchical_tree(empty, {}, serial_executor()), InputError);
  Matrix x = Matrix::Random(50, 2);
  const auto tree = hierarchical_tree(x, {}, serial_executor());
  REQUIRE(tree.method == HierarchyMethod::distance_matrix);
  REQUIRE_THROWS_AS(cut_tree(tree, 0), InputError);
  REQUIRE_THROWS_AS(cut_tree(tree, 51), InputError);
  REQUIRE(cut_tree(tree, 50).back() == 49);
  HierarchicalOptions small;
  small.memory_budget_bytes = 100;
  REQUIRE(hierarchical_tree(x, small, serial_executor()).method == HierarchyMethod::ward_centroids);
  small.linkage = Linkage::average;
  REQUIRE_THROWS_AS(hierarchical_tree(x, small, serial_executor()), InputError);
  small.linkage = Linkage::single;
  REQUIRE(hierarchical_tree(x, small, serial_executor()).method == HierarchyMethod::minimum_spanning_tree);
  REQUIRE_THROWS_AS(parse_linkage("median"), InputError);
}

TEST_CASE("weighted Ward with unit weights is the unweighted tree", "[hierarchical][weighted]") {
  const Dataset data = cb::test::load_benchmark("fcps-hepta");
  HierarchicalOptions options;
  options.method = HierarchyMethod::ward_centroids;
  const auto unweighted = hierarchical_tree(data.values, options, serial_executor());
  const std::vector<double> ones(std::size_t(data.rows()), 1.0);
  const auto weighted = weighted_ward_tree(data.values, ones, serial_executor());
  REQUIRE(weighted.leaves == data.rows());
  REQUIRE_FALSE(weighted.approximate());
  REQUIRE(weighted.merges == unweighted.merges);
}

TEST_CASE("weighted Ward equals Ward on the points repeated by their weights", "[hierarchical][weighted]") {
  // Distinct random points with multiplicities 1..4: the expanded data first
  // merges every group of copies at height 0, which leaves exactly the weighted
  // starting state, so the rest of its tree is the weighted tree.
  Rng rng(17);
  const Index m = 40;
  Matrix x(m, 3);
  std::vector<double> weights(static_cast<std::size_t>(m));
  std::vector<Index> origin;  // expanded row -> weighted point
  for (Index i = 0; i < m; ++i) {
    for (Index j = 0; j < 3; ++j) x(i, j) = rng.normal() + double(i % 4) * 3.0;
    weights[std::size_t(i)] = double(1 + rng.below(4));
    for (int c = 0; c < int(weights[std::size_t(i)]); ++c) origin.push_back(i);
  }
  const Index n = Index(origin.size());
  Matrix expanded(n, 3);
  for (Index r = 0; r < n; ++r) expanded.row(r) = x.row(origin[std::size_t(r)]);

  const auto weighted = weighted_ward_tree(x, weights, serial_executor());
  const auto exact = hierarchical_tree(expanded, {}, serial_executor());
  REQUIRE(weighted.merges.rows() == m - 1);
  REQUIRE(weighted.merges(m - 2, 3) == double(n));  // sizes are weight sums
  for (Index r = 0; r < n - m; ++r) REQUIRE(exact.merges(r, 2) == 0.0);
  for (Index i = 0; i < m - 1; ++i) {
    INFO("merge " << i);
    const double expected = exact.merges(n - m + i, 2);
    REQUIRE(std::abs(weighted.merges(i, 2) - expected) <= 1e-9 * std::max(1.0, expected));
    REQUIRE(weighted.merges(i, 3) == exact.merges(n - m + i, 3));
  }
  for (int k = 1; k <= 11; ++k) {
    INFO("k=" << k);
    const Labels per_point = cut_tree(weighted, k);
    Labels spread(static_cast<std::size_t>(n));
    for (Index r = 0; r < n; ++r) spread[std::size_t(r)] = per_point[std::size_t(origin[std::size_t(r)])];
    REQUIRE(same_partition(spread, cut_tree(exact, k)));
  }
}

TEST_CASE("weighted Ward rejects bad weights", "[hierarchical][weighted][bad-input]") {
  Matrix x = Matrix::Random(5, 2);
  REQUIRE_THROWS_AS(weighted_ward_tree(x, std::vector<double>(4, 1.0), serial_executor()), InputError);
  REQUIRE_THROWS_AS(weighted_ward_tree(x, std::vector<double>{1, 1, 0, 1, 1}, serial_executor()), InputError);
  REQUIRE_THROWS_AS(weighted_ward_tree(x, std::vector<double>{1, 1, NAN, 1, 1}, serial_executor()), InputError);
}

namespace {

/// ARI of the micro-cluster Ward cut against the exact Ward cut at the set's true k.
void check_micro_against_exact(const std::string& set, Index micro_clusters, int k) {
  const Dataset data = cb::test::load_benchmark(set);
  HierarchicalOptions options;
  options.method = HierarchyMethod::micro_clusters;
  options.micro_clusters = micro_clusters;
  options.seed = 5;
  const auto micro = hierarchical_tree(data.values, options, serial_executor());
  REQUIRE(micro.method == HierarchyMethod::micro_clusters);
  REQUIRE(micro.approximate());
  REQUIRE(micro.points == data.rows());
  REQUIRE(micro.leaves <= micro_clusters);
  REQUIRE(micro.merges.rows() == micro.leaves - 1);
  REQUIRE(micro.merges(micro.leaves - 2, 3) == double(data.rows()));
  REQUIRE(micro.summary_inertia > 0.0);
  const auto exact = hierarchical_tree(data.values, {}, serial_executor());
  const double ari = metrics::adjusted_rand_index(cut_tree(micro, k), cut_tree(exact, k));
  INFO(set << " ARI " << ari);
  REQUIRE(ari >= 0.95);
}

}  // namespace

TEST_CASE("micro-cluster Ward cuts agree with exact Ward on hepta", "[hierarchical][micro]") {
  check_micro_against_exact("fcps-hepta", 48, 7);
}
TEST_CASE("micro-cluster Ward cuts agree with exact Ward on s1", "[hierarchical][micro]") {
  check_micro_against_exact("sipu-s1", 256, 15);
}

TEST_CASE("micro-cluster Ward is bit-identical on 1 and 2 threads", "[hierarchical][micro][determinism]") {
  const Dataset data = cb::test::load_benchmark("sipu-s1");
  HierarchicalOptions options;
  options.method = HierarchyMethod::micro_clusters;
  options.micro_clusters = 300;
  options.seed = 11;
  const auto one = make_parallel_executor(1);
  const auto two = make_parallel_executor(2);
  const auto a = hierarchical_tree(data.values, options, *one);
  const auto b = hierarchical_tree(data.values, options, *two);
  REQUIRE(a.merges == b.merges);
  REQUIRE(a.point_to_leaf == b.point_to_leaf);
  REQUIRE(a.summary_inertia == b.summary_inertia);
}

TEST_CASE("micro-cluster Ward cuts label every point for every k", "[hierarchical][micro]") {
  const Dataset data = cb::test::load_benchmark("sipu-s1");
  HierarchicalOptions options;
  options.method = HierarchyMethod::micro_clusters;
  options.micro_clusters = 200;
  const auto tree = hierarchical_tree(data.values, options, serial_executor());
  double previous = 0.0;
  for (int k = 11; k >= 2; --k) {
    INFO("k=" << k);
    const Labels labels = cut_tree(tree, k);
    require_valid_cut(labels, std::size_t(data.rows()), k);
    std::map<Index, Label> label_of_leaf;  // points of one micro-cluster stay together
    for (Index i = 0; i < data.rows(); ++i) {
      const auto [it, inserted] = label_of_leaf.emplace(tree.point_to_leaf[std::size_t(i)], labels[std::size_t(i)]);
      REQUIRE(it->second == labels[std::size_t(i)]);
    }
    REQUIRE(cut_height(tree, k) >= previous);
    previous = cut_height(tree, k);
  }
  REQUIRE_THROWS_AS(cut_tree(tree, int(tree.leaves) + 1), InputError);
  REQUIRE_THROWS_AS(cut_height(tree, 1), InputError);
}

TEST_CASE("automatic Ward switches to micro-clusters above exact_ward_max_points", "[hierarchical][micro]") {
  Rng rng(9);
  Matrix x(600, 2);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = rng.normal() + double(i % 3) * 6.0;
  HierarchicalOptions options;
  REQUIRE(hierarchical_tree(x, options, serial_executor()).method == HierarchyMethod::distance_matrix);
  options.exact_ward_max_points = 599;
  options.memory_budget_bytes = 1000;  // no matrix: the exact alternative is the centroid chain
  // In up to kWardExactLowDims dimensions the chain's kd-tree keeps Ward exact up to the low-dims limit.
  REQUIRE(resolve_hierarchy_method(600, 2, options) == HierarchyMethod::ward_centroids);
  REQUIRE(resolve_hierarchy_method(600, kWardExactLowDims + 1, options) == HierarchyMethod::micro_clusters);
  options.exact_ward_low_dims_max_points = 599;
  REQUIRE(resolve_hierarchy_method(600, 2, options) == HierarchyMethod::micro_clusters);
  options.memory_budget_bytes = HierarchicalOptions{}.memory_budget_bytes;
  options.micro_clusters = 64;
  const auto tree = hierarchical_tree(x, options, serial_executor());
  REQUIRE(tree.method == HierarchyMethod::micro_clusters);
  REQUIRE(tree.leaves == 64);
  options.micro_clusters = 600;  // no fewer points than micro-clusters: the exact tree
  const auto exact = hierarchical_tree(x, options, serial_executor());
  REQUIRE(exact.method == HierarchyMethod::ward_centroids);
  REQUIRE_FALSE(exact.approximate());
  options.micro_clusters = 1;
  REQUIRE_THROWS_AS(hierarchical_tree(x, options, serial_executor()), InputError);
  options.micro_clusters = 64;
  options.linkage = Linkage::average;  // micro-clusters only summarise for Ward
  options.method = HierarchyMethod::micro_clusters;
  REQUIRE_THROWS_AS(hierarchical_tree(x, options, serial_executor()), InputError);
}
