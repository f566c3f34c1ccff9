#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "clusterbench/cluster/dbscan.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "support/test_support.hpp"

using namespace cb;
using namespace cb::cluster;

namespace {

/// Same partition up to renaming, with noise (−1) kept as noise on both sides.
bool same_clustering(const Labels& a, const Labels& b) {
  if (a.size() != b.size()) return false;
  std::map<Label, Label> ab, ba;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] == kNoise) != (b[i] == kNoise)) return false;
    auto [it1, n1] = ab.emplace(a[i], b[i]);
    auto [it2, n2] = ba.emplace(b[i], a[i]);
    if (it1->second != b[i] || it2->second != a[i]) return false;
  }
  return true;
}

double d2(const Matrix& x, Index i, Index j) {
  double s = 0.0;
  for (Index c = 0; c < x.cols(); ++c) s += (x(i, c) - x(j, c)) * (x(i, c) - x(j, c));
  return s;
}

/// All squared distances, for the brute-force oracle.
Matrix distance2_matrix(const Matrix& x) {
  Matrix d(x.rows(), x.rows());
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.rows(); ++j) d(i, j) = d2(x, i, j);
  return d;
}

/// Slow oracle: scikit-learn's algorithm literally (all neighbourhoods, then
/// depth-first expansion from each unlabelled core point in index order).
Labels brute_dbscan_d2(const Matrix& dist2, double eps, int min_samples) {
  const Index n = dist2.rows();
  const double r2 = eps * eps;
  std::vector<bool> core(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) core[std::size_t(i)] = (dist2.row(i).array() <= r2).count() >= min_samples;
  Labels labels(static_cast<std::size_t>(n), kNoise);
  std::vector<Index> stack;
  stack.reserve(std::size_t(n * n));
  Label next = 0;
  for (Index start = 0; start < n; ++start) {
    if (labels[std::size_t(start)] != kNoise || !core[std::size_t(start)]) continue;
    Index i = start;
    for (;;) {
      if (labels[std::size_t(i)] == kNoise) {
        labels[std::size_t(i)] = next;
        if (core[std::size_t(i)])
          for (Index j = 0; j < n; ++j)
            if (dist2(i, j) <= r2 && labels[std::size_t(j)] == kNoise) stack.push_back(j);
      }
      if (stack.empty()) break;
      i = stack.back();
      stack.pop_back();
    }
    ++next;
  }
  return labels;
}

Labels brute_dbscan(const Matrix& x, double eps, int min_samples) {
  return brute_dbscan_d2(distance2_matrix(x), eps, min_samples);
}

int count_clusters(const Labels& labels) {
  return labels.empty() ? 0 : int(*std::max_element(labels.begin(), labels.end()) + 1);
}

Matrix standardised(const Matrix& x) {
  Matrix z = x;
  for (Index j = 0; j < x.cols(); ++j) {
    const double mean = x.col(j).mean();
    const double sd = std::sqrt((x.col(j).array() - mean).square().mean());
    z.col(j) = (x.col(j).array() - mean) / sd;
  }
  return z;
}

std::string text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

Matrix grid_points(Index n, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    x(i, 0) = std::round((rng.normal() + (i % 4 < 2 ? 0.0 : 5.0)) * 4.0) / 4.0;  // ties on purpose
    x(i, 1) = std::round((rng.normal() + (i % 4 == 1 ? 5.0 : 0.0)) * 4.0) / 4.0;
  }
  return x;
}

}  // namespace

TEST_CASE("dbscan equals the brute-force sklearn-algorithm oracle", "[dbscan]") {
  const Matrix x = grid_points(400, 5);
  for (double eps : {0.25, 0.5, 0.6, 1.0, 3.0})
    for (int min_samples : {1, 2, 4, 9}) {
      INFO("eps=" << eps << " min_samples=" << min_samples);
      const Labels expected = brute_dbscan(x, eps, min_samples);
      const auto got = dbscan(x, {eps, min_samples}, serial_executor());
      REQUIRE(got.labels == expected);  // same numbering, not only the same partition
      REQUIRE(got.clusters == count_clusters(expected));
    }
}

TEST_CASE("dbscan on the cell grid and on the kd-tree both equal the oracle in 1 to 4 dimensions", "[dbscan]") {
  for (Index d : {1, 2, 3, 4}) {
    Rng rng(20 + std::uint64_t(d));
    Matrix x(300, d);
    for (Index i = 0; i < x.rows(); ++i)
      for (Index j = 0; j < d; ++j)  // quarter steps: many pairs exactly eps apart
        x(i, j) = std::round((rng.normal() * (j == 0 ? 2.0 : 1.0) + (i % 3 == 0 ? 6.0 : 0.0)) * 4.0) / 4.0;
    const Matrix dist2 = distance2_matrix(x);
    for (double eps : {0.25, 0.5, 0.7, 1.0, 2.5})
      for (int min_samples : {1, 3, 8, 20}) {
        INFO("d=" << d << " eps=" << eps << " min_samples=" << min_samples);
        const Labels expected = brute_dbscan_d2(dist2, eps, min_samples);
        for (DbscanIndex index : {DbscanIndex::automatic, DbscanIndex::kd_tree}) {
          DbscanOptions options{eps, min_samples};
          options.index = index;
          const auto got = dbscan(x, options, serial_executor());
          REQUIRE(got.labels == expected);
          REQUIRE(got.clusters == count_clusters(expected));
          for (Index i = 0; i < x.rows(); ++i)
            REQUIRE(bool(got.core[std::size_t(i)]) == ((dist2.row(i).array() <= eps * eps).count() >= min_samples));
        }
      }
  }
}

TEST_CASE("dbscan falls back to the kd-tree when a far outlier makes the grid too large", "[dbscan]") {
  Matrix x = grid_points(200, 8);
  x(7, 0) = 1e12;
  const Labels expected = brute_dbscan(x, 0.5, 4);
  REQUIRE(dbscan(x, {0.5, 4}, serial_executor()).labels == expected);
}

TEST_CASE("dbscan labels equal scikit-learn on jain, aggregation, hdbscan and s1", "[dbscan][sklearn]") {
  struct Case {
    const char* set;
    double eps;
    int min_samples;
  };
  for (const Case& c : {Case{"sipu-jain", 0.21, 5}, Case{"sipu-aggregation", 0.13, 6}, Case{"other-hdbscan", 0.085, 6},
                        Case{"sipu-s1", 0.09, 10}}) {
    INFO(c.set);
    const Matrix x = standardised(cb::test::load_benchmark(c.set).values);
    const std::string csv = cb::test::write_matrix_csv(x, std::string("dbscan-") + c.set);
    const auto ref = cb::test::parse_numbers(
        cb::test::run_python("dbscan_reference.py", {csv, text(c.eps), std::to_string(c.min_samples)}));
    Labels expected(ref.begin(), ref.end());
    const auto got = dbscan(x, {c.eps, c.min_samples}, serial_executor());
    INFO("clusters " << got.clusters << " noise " << got.noise_points);
    REQUIRE(got.clusters >= 2);
    REQUIRE(same_clustering(got.labels, expected));
    REQUIRE(got.labels == expected);  // sklearn numbers clusters the same way
  }
}

TEST_CASE("dbscan from the mutual-reachability MST equals plain dbscan at every eps", "[dbscan][target-k]") {
  const Matrix x = standardised(cb::test::load_benchmark("other-hdbscan").values);
  for (int min_samples : {1, 5}) {
    const auto h = dbscan_hierarchy(x, {min_samples}, serial_executor());
    REQUIRE(h.mst.size() == std::size_t(x.rows() - 1));
    for (double eps : {0.02, 0.05, 0.085, 0.12, 0.3, 1.0}) {
      const auto plain = dbscan(x, {eps, min_samples}, serial_executor());
      const auto via_mst = dbscan_from_hierarchy(x, h, eps, serial_executor());
      REQUIRE(via_mst.labels == plain.labels);
      REQUIRE(via_mst.core == plain.core);
      REQUIRE(dbscan_cluster_count(h, eps) == plain.clusters);
    }
  }
}

TEST_CASE("dbscan mutual-reachability MST has the weight of a brute-force Prim MST", "[dbscan][target-k]") {
  for (const Matrix& x : {grid_points(300, 4), standardised(cb::test::load_benchmark("sipu-jain").values)}) {
    for (int min_samples : {1, 4, 10}) {
      const auto h = dbscan_hierarchy(x, {min_samples}, serial_executor());
      const Matrix dist2 = distance2_matrix(x);
      const Index n = x.rows();
      std::vector<double> core2(static_cast<std::size_t>(n));
      for (Index i = 0; i < n; ++i) {
        std::vector<double> row(dist2.row(i).data(), dist2.row(i).data() + n);
        std::sort(row.begin(), row.end());
        core2[std::size_t(i)] = row[std::size_t(min_samples - 1)];
        REQUIRE(h.core_distance2[std::size_t(i)] == core2[std::size_t(i)]);
      }
      auto mr = [&](Index a, Index b) { return std::max({core2[std::size_t(a)], core2[std::size_t(b)], dist2(a, b)}); };
      std::vector<double> to_tree(static_cast<std::size_t>(n), INFINITY);
      std::vector<bool> in(static_cast<std::size_t>(n), false);
      std::vector<double> prim;
      Index last = 0;
      in[0] = true;
      for (Index step = 1; step < n; ++step) {
        Index pick = -1;
        for (Index j = 0; j < n; ++j) {
          if (in[std::size_t(j)]) continue;
          to_tree[std::size_t(j)] = std::min(to_tree[std::size_t(j)], mr(last, j));
          if (pick < 0 || to_tree[std::size_t(j)] < to_tree[std::size_t(pick)]) pick = j;
        }
        prim.push_back(to_tree[std::size_t(pick)]);
        in[std::size_t(pick)] = true;
        last = pick;
      }
      std::sort(prim.begin(), prim.end());
      REQUIRE(h.mst.size() == prim.size());
      for (std::size_t e = 0; e < prim.size(); ++e) {
        REQUIRE(h.mst[e].weight2 == prim[e]);  // sorted MST weights are unique to the graph
        REQUIRE(h.mst[e].weight2 == mr(h.mst[e].a, h.mst[e].b));
      }
    }
  }
}

TEST_CASE("dbscan target-k hits every achievable k (brute-force eps scan)", "[dbscan][target-k]") {
  const Matrix iris = standardised(cb::test::load_benchmark("other-iris").values);
  const Matrix agg_full = standardised(cb::test::load_benchmark("sipu-aggregation").values);
  Matrix agg(agg_full.rows() / 4, 2);
  for (Index i = 0; i < agg.rows(); ++i) agg.row(i) = agg_full.row(4 * i);
  const std::vector<int> ks{2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  for (const Matrix* x : std::vector<const Matrix*>{&iris, &agg, nullptr}) {
    const Matrix data = x ? *x : grid_points(150, 9);
    for (int min_samples : {3, 5}) {
      // Oracle: every pairwise distance is a candidate radius; run the brute DBSCAN at each.
      const Matrix dist2 = distance2_matrix(data);
      std::set<double> radii2(dist2.data(), dist2.data() + dist2.size());
      std::set<int> achievable;
      for (double r2 : radii2) {
        double eps = std::sqrt(r2);
        while (eps * eps < r2) eps = std::nextafter(eps, INFINITY);
        achievable.insert(count_clusters(brute_dbscan_d2(dist2, eps, min_samples)));
      }
      const auto results = dbscan_for_cluster_counts(data, ks, {min_samples}, serial_executor());
      REQUIRE(results.size() == ks.size());
      for (const auto& r : results) {
        INFO("k=" << r.k_requested << " min_samples=" << min_samples << " got " << r.clusters);
        REQUIRE(r.exact == (achievable.count(r.k_requested) > 0));
        if (!r.exact) {  // the closest achievable count
          int best = 1 << 30;
          for (int c : achievable) best = std::min(best, std::abs(c - r.k_requested));
          REQUIRE(std::abs(r.clusters - r.k_requested) == best);
        }
        const Labels expected = brute_dbscan_d2(dist2, r.eps, min_samples);
        REQUIRE(r.result.labels == expected);
        REQUIRE(r.clusters == count_clusters(expected));
      }
    }
  }
}

TEST_CASE("dbscan is bit-identical on 1 and 2 threads", "[dbscan][determinism]") {
  const Matrix x = standardised(cb::test::load_benchmark("sipu-s1").values);
  const auto one = make_parallel_executor(1);
  const auto two = make_parallel_executor(2);
  const auto a = dbscan(x, {0.09, 10}, *one);
  const auto b = dbscan(x, {0.09, 10}, *two);
  REQUIRE(a.labels == b.labels);
  const std::vector<int> ks{2, 5, 11};
  const auto ta = dbscan_for_cluster_counts(x, ks, {10}, *one);
  const auto tb = dbscan_for_cluster_counts(x, ks, {10}, *two);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    REQUIRE(ta[i].eps == tb[i].eps);
    REQUIRE(ta[i].result.labels == tb[i].result.labels);
  }
}

TEST_CASE("dbscan on duplicate-heavy data", "[dbscan][degenerate]") {
  Rng rng(3);
  Matrix x(2000, 3);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = i < 1500 ? 1.0 : rng.normal();
  const auto r = dbscan(x, {0.2, 5}, serial_executor());
  REQUIRE(r.clusters >= 1);
  for (Index i = 0; i < 1500; ++i) REQUIRE(r.labels[std::size_t(i)] == r.labels[0]);
  const auto targets = dbscan_for_cluster_counts(x, {2, 3, 11}, {5}, serial_executor());
  for (const auto& t : targets) {
    REQUIRE(std::isfinite(t.eps));
    REQUIRE(t.result.labels == dbscan(x, {t.eps, 5}, serial_executor()).labels);
  }
  const Matrix same = Matrix::Ones(50, 2);
  const auto one = dbscan(same, {0.1, 5}, serial_executor());
  REQUIRE(one.status == DbscanStatus::one_cluster);
  const auto none = dbscan(same, {0.1, 51}, serial_executor());
  REQUIRE(none.status == DbscanStatus::all_noise);
  REQUIRE(none.noise_fraction == 1.0);
  const auto t = dbscan_for_cluster_counts(same, {2}, {5}, serial_executor());
  REQUIRE(t[0].clusters == 1);
  REQUIRE_FALSE(t[0].exact);
}

TEST_CASE("dbscan rejects bad input", "[dbscan][bad-input]") {
  const Matrix x = Matrix::Random(10, 2);
  REQUIRE_THROWS_AS(dbscan(Matrix(0, 2), {}, serial_executor()), InputError);
  REQUIRE_THROWS_AS(dbscan(x, {0.0, 5}, serial_executor()), InputError);
  REQUIRE_THROWS_AS(dbscan(x, {NAN, 5}, serial_executor()), InputError);
  REQUIRE_THROWS_AS(dbscan(x, {0.5, 0}, serial_executor()), InputError);
  REQUIRE_THROWS_AS(dbscan_for_cluster_counts(x, {0}, {}, serial_executor()), InputError);
}
