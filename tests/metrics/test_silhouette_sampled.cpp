#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <numeric>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/metrics/silhouette.hpp"
#include "metrics/metrics_fixtures.hpp"

using namespace cb;
using namespace cb::test::metrics;
using cb::metrics::SilhouetteOptions;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::vector<Index> all_rows(Index n) {
  std::vector<Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Index{0});
  return rows;
}

/// Labelings of k = 2..9 with noise in some, and one undefined (one cluster).
std::vector<Labels> labelings_with_noise(const Matrix& x) {
  std::vector<Labels> labelings;
  for (int k = 2; k <= 9; ++k) labelings.push_back(voronoi_labels(x, k, static_cast<std::uint64_t>(k)));
  Rng rng(17);
  for (std::size_t l : {1u, 4u})
    for (auto& label : labelings[l])
      if (rng.uniform() < 0.1) label = kNoise;
  labelings[3][5] = 1000;  // a singleton cluster
  labelings.push_back(Labels(static_cast<std::size_t>(x.rows()), 2));
  return labelings;
}

}  // namespace

TEST_CASE("silhouette_sample is a sorted, distinct, seeded uniform sample", "[silhouette][sampled]") {
  const auto a = cb::metrics::silhouette_sample(1000, 100, 7);
  REQUIRE(a.size() == 100);
  REQUIRE(std::is_sorted(a.begin(), a.end()));
  REQUIRE(std::adjacent_find(a.begin(), a.end()) == a.end());
  REQUIRE(a.front() >= 0);
  REQUIRE(a.back() < 1000);
  REQUIRE(a == cb::metrics::silhouette_sample(1000, 100, 7));
  REQUIRE(a != cb::metrics::silhouette_sample(1000, 100, 8));
  REQUIRE(cb::metrics::silhouette_sample(50, 80, 1) == all_rows(50));
  // Uniform: every row is drawn about equally often (1000 draws of 10 of 20 rows: 500 each).
  std::vector<int> hits(20, 0);
  for (std::uint64_t seed = 0; seed < 1000; ++seed)
    for (Index r : cb::metrics::silhouette_sample(20, 10, seed)) ++hits[static_cast<std::size_t>(r)];
  for (int h : hits) REQUIRE(std::abs(h - 500) < 80);  // ±5 sd
}

TEST_CASE("sampled silhouette over all rows equals the exact one and its interval collapses", "[silhouette][sampled]") {
  auto ex = make_parallel_executor(2);
  const Matrix x = blobs(700, 5, 5, 3, /*duplicates=*/30);
  const auto labelings = labelings_with_noise(x);
  const auto exact = cb::metrics::silhouette_many(x, labelings, {}, *ex);
  const auto rows = all_rows(x.rows());
  SilhouetteOptions options;
  options.sample_rows = rows;
  const auto sampled = cb::metrics::silhouette_many(x, labelings, options, *ex);
  for (std::size_t l = 0; l < labelings.size(); ++l) {
    INFO("labeling " << l);
    REQUIRE(sampled[l].status == exact[l].status);
    REQUIRE(sampled[l].sampled);
    REQUIRE_FALSE(exact[l].sampled);
    REQUIRE(sampled[l].points_scored == exact[l].points_scored);
    REQUIRE(sampled[l].clusters == exact[l].clusters);
    if (exact[l].status != "ok") {
      REQUIRE(std::isnan(sampled[l].mean));
      continue;
    }
    REQUIRE(sampled[l].sample_size == exact[l].points_scored);
    REQUIRE(std::abs(sampled[l].mean - exact[l].mean) <= 1e-12);
    REQUIRE(sampled[l].std_error == 0.0);
    REQUIRE(sampled[l].ci_low == sampled[l].mean);
    REQUIRE(sampled[l].ci_high == sampled[l].mean);
    REQUIRE(exact[l].ci_low == exact[l].mean);
    REQUIRE(exact[l].ci_high == exact[l].mean);
  }
  REQUIRE(sampled.back().status == "undefined");
}

TEST_CASE("sampled silhouette scores each sampled row exactly as the full pass", "[silhouette][sampled]") {
  auto ex = make_parallel_executor(2);
  const Matrix x = blobs(1100, 4, 6, 5, /*duplicates=*/40);
  const auto labelings = labelings_with_noise(x);
  SilhouetteOptions exact_options;
  exact_options.per_sample = true;
  const auto exact = cb::metrics::silhouette_many(x, labelings, exact_options, *ex);
  // Unsorted rows; small tiles so several tiles, panels and ragged blocks occur.
  std::vector<Index> rows = cb::metrics::silhouette_sample(1100, 150, 3);
  std::reverse(rows.begin(), rows.end());
  for (Index tile : {Index{0}, Index{40}}) {
    SilhouetteOptions options;
    options.per_sample = true;
    options.sample_rows = rows;
    options.row_tile = tile;
    options.col_tile = tile == 0 ? 0 : 7;
    const auto sampled = cb::metrics::silhouette_many(x, labelings, options, *ex);
    Index noise_seen = 0;
    for (std::size_t l = 0; l + 1 < labelings.size(); ++l) {
      INFO("labeling " << l << ", tile " << tile);
      REQUIRE(sampled[l].per_sample.size() == static_cast<Index>(rows.size()));
      double sum = 0;
      Index m = 0;
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const double want = exact[l].per_sample(rows[r]);
        const double got = sampled[l].per_sample(static_cast<Index>(r));
        if (std::isnan(want)) {
          REQUIRE(std::isnan(got));
          ++noise_seen;
          continue;
        }
        REQUIRE(std::abs(got - want) <= 1e-12);
        sum += got, ++m;
      }
      REQUIRE(sampled[l].sample_size == m);
      REQUIRE(std::abs(sampled[l].mean - sum / static_cast<double>(m)) <= 1e-15);
      REQUIRE(sampled[l].std_error > 0);
      REQUIRE(sampled[l].ci_low < sampled[l].mean);
      REQUIRE(sampled[l].ci_high > sampled[l].mean);
    }
    REQUIRE(noise_seen > 0);  // the noise labels were sampled too
  }
}

TEST_CASE("the 95% interval of the sampled silhouette covers the exact mean", "[silhouette][sampled][coverage]") {
  auto ex = make_parallel_executor(2);
  const Matrix x = blobs(3000, 4, 5, 12);
  std::vector<Labels> labelings{voronoi_labels(x, 5, 1), voronoi_labels(x, 3, 2)};
  labelings.push_back(perturbed(labelings[0], 0.3, 5, 9));
  const auto exact = cb::metrics::silhouette_many(x, labelings, {}, *ex);
  const int seeds = 200;
  struct Tally {
    int covered = 0;
    int stratified = 0;
    double width = 0;
  };
  std::vector<Tally> plain(labelings.size()), post(labelings.size());
  for (int seed = 0; seed < seeds; ++seed) {
    const auto rows = cb::metrics::silhouette_sample(3000, 300, static_cast<std::uint64_t>(seed));
    for (bool stratify : {false, true}) {
      SilhouetteOptions options;
      options.sample_rows = rows;
      options.post_stratify = stratify;
      const auto sampled = cb::metrics::silhouette_many(x, labelings, options, *ex);
      for (std::size_t l = 0; l < labelings.size(); ++l) {
        Tally& t = (stratify ? post : plain)[l];
        t.covered += sampled[l].ci_low <= exact[l].mean && exact[l].mean <= sampled[l].ci_high;
        t.stratified += sampled[l].post_stratified;
        t.width += sampled[l].ci_high - sampled[l].ci_low;
      }
    }
  }
  for (std::size_t l = 0; l < labelings.size(); ++l) {
    INFO("labeling " << l << ": covered " << plain[l].covered << " (post-stratified " << post[l].covered << ") of "
                     << seeds << ", mean width " << plain[l].width / seeds << " (" << post[l].width / seeds << ")");
    REQUIRE(plain[l].covered >= 180);  // nominal 95%: ≥ 90% required
    REQUIRE(plain[l].covered <
            seeds);  // an interval that always covers is too wide to be the 95% one (P(200/200) ≈ 3e-5)
    REQUIRE(plain[l].stratified == 0);
    REQUIRE(post[l].covered >= 180);
    REQUIRE(post[l].covered < seeds);
    if (l == 1) continue;                     // labeling 1 has a cluster of a few points: mostly the plain fallback
    REQUIRE(post[l].stratified == seeds);     // 300 of 3000 points: every cluster sampled at least twice
    REQUIRE(post[l].width < plain[l].width);  // clusters differ in mean silhouette: stratifying tightens
  }
}

TEST_CASE("post-stratified silhouette is exact over all rows and falls back when a cluster is sampled once",
          "[silhouette][sampled]") {
  auto ex = make_parallel_executor(2);
  const Matrix x = blobs(600, 3, 4, 5);
  Labels labels = voronoi_labels(x, 4, 3);
  const auto exact = cb::metrics::silhouette(x, labels, {}, *ex);
  const auto rows = all_rows(600);
  SilhouetteOptions options;
  options.sample_rows = rows;
  options.post_stratify = true;
  auto r = cb::metrics::silhouette(x, labels, options, *ex);
  REQUIRE(r.post_stratified);
  REQUIRE(std::abs(r.mean - exact.mean) <= 1e-12);
  REQUIRE(r.std_error == 0.0);

  labels[7] = labels[8] = 9;  // a cluster of two, sampled once: no variance of its own
  std::vector<Index> once;
  for (Index row : cb::metrics::silhouette_sample(600, 100, 1))
    if (row != 7 && row != 8) once.push_back(row);
  once.push_back(7);
  options.sample_rows = once;
  r = cb::metrics::silhouette(x, labels, options, *ex);
  REQUIRE_FALSE(r.post_stratified);
  REQUIRE(r.std_error > 0);
}

TEST_CASE("sampled silhouette is bit-identical for 1 and 2 threads", "[silhouette][sampled][determinism]") {
  const Matrix x = blobs(2500, 6, 5, 9, 10);
  const auto labelings = labelings_with_noise(x);
  const auto rows = cb::metrics::silhouette_sample(2500, 300, 11);
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  SilhouetteOptions options;
  options.per_sample = true;
  options.sample_rows = rows;
  options.row_tile = 32;  // several tiles and panels, so the two threads share the work
  options.col_tile = 8;
  const auto a = cb::metrics::silhouette_many(x, labelings, options, *one);
  const auto b = cb::metrics::silhouette_many(x, labelings, options, *two);
  for (std::size_t l = 0; l < labelings.size(); ++l) {
    REQUIRE(same_bits(a[l].mean, b[l].mean));
    REQUIRE(same_bits(a[l].std_error, b[l].std_error));
    REQUIRE(same_bits(a[l].ci_low, b[l].ci_low));
    for (Index r = 0; r < a[l].per_sample.size(); ++r) REQUIRE(same_bits(a[l].per_sample(r), b[l].per_sample(r)));
  }
}

TEST_CASE("sampled silhouette: bad rows throw, an all-noise sample is reported", "[silhouette][sampled][bad-input]") {
  const Matrix x = blobs(20, 2, 2, 1);
  Labels labels = voronoi_labels(x, 2, 1);
  const std::vector<Index> outside{0, 20};
  const std::vector<Index> twice{3, 5, 3};
  SilhouetteOptions options;
  options.sample_rows = outside;
  REQUIRE_THROWS_AS(cb::metrics::silhouette(x, labels, options, serial_executor()), InputError);
  options.sample_rows = twice;
  REQUIRE_THROWS_AS(cb::metrics::silhouette(x, labels, options, serial_executor()), InputError);

  labels[4] = kNoise;
  const std::vector<Index> noise_only{4};
  options.sample_rows = noise_only;
  const auto r = cb::metrics::silhouette(x, labels, options, serial_executor());
  REQUIRE(r.status == "empty_sample");
  REQUIRE(r.sample_size == 0);
  REQUIRE(std::isnan(r.mean));
}
