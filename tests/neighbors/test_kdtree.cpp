#include <catch2/catch.hpp>

#include <algorithm>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/neighbors/kdtree.hpp"

using namespace cb;
using cb::neighbors::KdTree;

namespace {

Matrix random_points(Index n, Index d, std::uint64_t seed, bool duplicates) {
  Rng rng(seed);
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = duplicates && i % 3 == 0 ? 0.5 : std::round(rng.normal() * 8.0) / 8.0;
  return x;
}

double brute_distance2(const Matrix& x, Index i, const double* q) {
  double s = 0.0;
  for (Index j = 0; j < x.cols(); ++j) s += (q[j] - x(i, j)) * (q[j] - x(i, j));
  return s;
}

}  // namespace

TEST_CASE("kd-tree radius and kNN queries equal brute force", "[kdtree]") {
  for (Index d : {1, 2, 3, 7}) {
    for (bool duplicates : {false, true}) {
      const Matrix x = random_points(700, d, 11 + std::uint64_t(d), duplicates);
      neighbors::KdTreeOptions options;
      options.leaf_size = 5;
      const KdTree tree(x, options);
      for (Index qi = 0; qi < x.rows(); qi += 7) {
        const double* q = x.row(qi).data();
        std::vector<std::pair<double, Index>> all;
        for (Index i = 0; i < x.rows(); ++i) all.push_back({brute_distance2(x, i, q), i});
        std::sort(all.begin(), all.end());
        for (double r2 : {0.0, 0.05, 0.3, 2.0}) {
          std::vector<Index> expected;
          for (const auto& [s, i] : all)
            if (s <= r2) expected.push_back(i);
          std::sort(expected.begin(), expected.end());
          auto got = tree.within(q, r2);
          std::sort(got.begin(), got.end());
          REQUIRE(got == expected);
          REQUIRE(tree.count_within(q, r2, x.rows()) == Index(expected.size()));
          REQUIRE(tree.count_within(q, r2, 3) == std::min<Index>(3, Index(expected.size())));
        }
        for (Index k : {1, 5, 20}) {
          const auto got = tree.nearest(q, k);
          REQUIRE(got.size() == std::size_t(k));
          for (Index t = 0; t < k; ++t) REQUIRE(got[std::size_t(t)] == all[std::size_t(t)]);
          REQUIRE(tree.kth_distance2(q, k) == all[std::size_t(k - 1)].first);
        }
      }
    }
  }
}

TEST_CASE("kd-tree rejects bad input", "[kdtree][bad-input]") {
  REQUIRE_THROWS_AS(KdTree(Matrix(0, 2)), InputError);
  const Matrix x = Matrix::Zero(5, 2);
  neighbors::KdTreeOptions bad;
  bad.leaf_size = 0;
  REQUIRE_THROWS_AS(KdTree(x, bad), InputError);
  const KdTree tree(x);
  REQUIRE_THROWS_AS(tree.nearest(x.row(0).data(), 6), InputError);
  REQUIRE(tree.count_within(x.row(0).data(), 0.0, 100) == 5);
}
