// Ward's centroid chain with its kd-tree search gives the same merges, bit for
// bit, as the scan of every cluster: continuous data, integer grids full of
// ties and duplicates, weighted starts, 1 to 12 dimensions (above the tree's
// limit both scan), and 1 or 2 threads.
#include <catch2/catch.hpp>

#include <cstring>

#include "../../src/cluster/hierarchical_detail.hpp"
#include "clusterbench/core/rng.hpp"

using namespace cb;
using namespace cb::cluster::detail;

namespace {

/// The merges as sort_and_label lays them out (SciPy's Z), compared bitwise.
bool same_tree(const std::vector<RawMerge>& a, const std::vector<RawMerge>& b, Index n) {
  const Matrix za = sort_and_label(a, n), zb = sort_and_label(b, n);
  return za.rows() == zb.rows() && std::memcmp(za.data(), zb.data(), sizeof(double) * std::size_t(za.size())) == 0;
}

}  // namespace

TEST_CASE("Ward's centroid chain: the kd-tree search merges exactly as the full scan", "[cluster][hierarchical]") {
  Rng rng(20261207);
  const auto parallel = make_parallel_executor(2);
  for (int trial = 0; trial < 60; ++trial) {
    const Index n = 2 + Index(rng.below(1500));
    const Index d = 1 + Index(rng.below(12));
    const bool grid = trial % 3 == 0;  // few distinct values: ties and duplicate points
    Matrix x(n, d);
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < d; ++j) x(i, j) = grid ? double(rng.below(4)) : rng.normal() * double(j + 1);
    std::vector<double> weights;
    if (trial % 4 == 1)
      for (Index i = 0; i < n; ++i) weights.push_back(double(1 + rng.below(9)));
    INFO("trial " << trial << ": n = " << n << ", d = " << d << (grid ? ", grid" : "")
                  << (weights.empty() ? "" : ", weighted"));
    const auto scanned = nn_chain_ward_centroids(x, weights, serial_executor(), /*max_tree_dims=*/0);
    REQUIRE(same_tree(nn_chain_ward_centroids(x, weights, serial_executor()), scanned, n));
    REQUIRE(same_tree(nn_chain_ward_centroids(x, weights, *parallel), scanned, n));
  }
}
