#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
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
  const auto all = cb::test::parse_numbers(cb::test::run_python("hier_reference.py", {csv, "ward", "complete", "average", "single"}));
  const std::size_t per_linkage = std::size_t((n - 1) + 10 * n);
  REQUIRE(all.size() == 4 * per_linkage);
  std::size_t offset = 0;
  for (Linkage linkage : {Linkage::ward, Linkage::complete, Linkage::average, Linkage::single}) {
    INFO(set << " " << linkage_name(linkage));
    const std::vector<double> reference(all.begin() + std::ptrdiff_t(offset), all.begin() + std::ptrdiff_t(offset + per_linkage));
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
    for (Index i = 0; i < x.rows() - 1; ++i) REQUIRE(tree.merges(i, 2) == Approx(expected[std::size_t(i)]).epsilon(1e-12));
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
