#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/metrics/silhouette.hpp"
#include "metrics/metrics_fixtures.hpp"

using namespace cb;
using namespace cb::test::metrics;
using cb::metrics::SilhouetteOptions;

namespace {

void require_matches_oracle(const Matrix& x, const Labels& labels, const SilhouetteOptions& base, const Executor& ex) {
  SilhouetteOptions options = base;
  options.per_sample = true;
  const auto result = cb::metrics::silhouette(x, labels, options, ex);
  const auto oracle = naive_silhouette(x, labels);
  REQUIRE(result.status == "ok");
  for (std::size_t i = 0; i < oracle.size(); ++i) {
    if (std::isnan(oracle[i])) {
      REQUIRE(std::isnan(result.per_sample(static_cast<Index>(i))));
    } else {
      REQUIRE(std::abs(result.per_sample(static_cast<Index>(i)) - oracle[i]) <= 1e-9);
    }
  }
  REQUIRE(std::abs(result.mean - mean_ignoring_nan(oracle)) <= 1e-9);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("silhouette equals the naive O(n^2) oracle, duplicates and singletons included", "[silhouette][oracle]") {
  auto ex = make_parallel_executor(2);
  struct Shape {
    Index n, d;
    int k;
  };
  for (const auto& s : {Shape{300, 3, 4}, Shape{257, 1, 2}, Shape{130, 17, 7}}) {
    const Matrix x = blobs(s.n, s.d, s.k, 11 + static_cast<std::uint64_t>(s.n), /*duplicates=*/s.n / 5);
    Labels labels = voronoi_labels(x, s.k, 5);
    labels[3] = 1000;  // singleton clusters, with a label value far from the others
    labels[10] = 77;
    for (auto& l : labels) l = l * 3 + 5;  // non-contiguous label values
    for (Index tile : {Index{0}, Index{1}, Index{37}}) {
      SilhouetteOptions options;
      options.row_tile = tile;
      options.col_tile = tile == 0 ? 0 : tile + 4;
      require_matches_oracle(x, labels, options, *ex);
    }
  }
}

TEST_CASE("silhouette of identical points in two clusters is 0 (sklearn's nan_to_num)", "[silhouette][oracle]") {
  Matrix x = Matrix::Zero(6, 2);
  const Labels labels{0, 0, 0, 1, 1, 1};
  SilhouetteOptions options;
  options.per_sample = true;
  const auto result = cb::metrics::silhouette(x, labels, options, serial_executor());
  REQUIRE(result.status == "ok");
  REQUIRE(result.mean == 0.0);
  REQUIRE(result.per_sample.cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("silhouette_many equals individual calls", "[silhouette]") {
  auto ex = make_parallel_executor(2);
  const Matrix x = blobs(500, 5, 6, 3, 20);
  std::vector<Labels> labelings;
  for (int k = 2; k <= 9; ++k) labelings.push_back(voronoi_labels(x, k, static_cast<std::uint64_t>(k)));
  labelings[2][7] = kNoise;  // different noise per labeling
  labelings[2][8] = kNoise;
  labelings[5] = Labels(500, 4);  // one cluster: undefined, must not disturb the others
  SilhouetteOptions options;
  options.per_sample = true;
  const auto many = cb::metrics::silhouette_many(x, labelings, options, *ex);
  REQUIRE(many.size() == labelings.size());
  for (std::size_t l = 0; l < labelings.size(); ++l) {
    const auto one = cb::metrics::silhouette(x, labelings[l], options, *ex);
    REQUIRE(many[l].status == one.status);
    REQUIRE(many[l].clusters == one.clusters);
    REQUIRE(many[l].points_scored == one.points_scored);
    REQUIRE(many[l].noise_excluded == one.noise_excluded);
    if (one.status != "ok") continue;
    // Exact integer sums: the same bits whichever labelings share the pass.
    REQUIRE(same_bits(many[l].mean, one.mean));
    for (Index i = 0; i < x.rows(); ++i) REQUIRE(same_bits(many[l].per_sample(i), one.per_sample(i)));
  }
  REQUIRE(many[5].status == "undefined");
}

TEST_CASE("silhouette is bit-identical for 1 and 2 threads", "[silhouette][determinism]") {
  const Matrix x = blobs(700, 6, 5, 9, 10);
  const std::vector<Labels> labelings{voronoi_labels(x, 5, 1), voronoi_labels(x, 3, 2), voronoi_labels(x, 12, 3)};
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  SilhouetteOptions options;
  options.per_sample = true;
  options.row_tile = 48;
  const auto a = cb::metrics::silhouette_many(x, labelings, options, *one);
  const auto b = cb::metrics::silhouette_many(x, labelings, options, *two);
  for (std::size_t l = 0; l < labelings.size(); ++l) {
    REQUIRE(same_bits(a[l].mean, b[l].mean));
    for (Index i = 0; i < x.rows(); ++i) REQUIRE(same_bits(a[l].per_sample(i), b[l].per_sample(i)));
  }
}

TEST_CASE("noise points are excluded as samples and as neighbours", "[silhouette][noise]") {
  const Matrix x = blobs(400, 3, 4, 21, 0);
  Labels labels = voronoi_labels(x, 4, 8);
  Rng rng(4);
  Index noise = 0;
  for (auto& l : labels)
    if (rng.uniform() < 0.15) l = kNoise, ++noise;
  SilhouetteOptions options;
  options.per_sample = true;
  const auto result = cb::metrics::silhouette(x, labels, options, *make_parallel_executor(2));
  REQUIRE(result.noise_excluded == noise);
  REQUIRE(result.points_scored == 400 - noise);
  REQUIRE(result.clusters == 4);

  // The oracle on the data with the noise rows dropped.
  Matrix kept(400 - noise, 3);
  Labels kept_labels;
  for (Index i = 0, r = 0; i < 400; ++i)
    if (labels[static_cast<std::size_t>(i)] != kNoise)
      kept.row(r++) = x.row(i), kept_labels.push_back(labels[static_cast<std::size_t>(i)]);
  const auto oracle = naive_silhouette(kept, kept_labels);
  for (Index i = 0, r = 0; i < 400; ++i) {
    if (labels[static_cast<std::size_t>(i)] == kNoise) {
      REQUIRE(std::isnan(result.per_sample(i)));
    } else {
      REQUIRE(std::abs(result.per_sample(i) - oracle[static_cast<std::size_t>(r++)]) <= 1e-9);
    }
  }
  // And scikit-learn on the same data (its script drops the noise rows itself).
  const auto reference = sklearn_scores(x, {labels});
  REQUIRE(std::abs(result.mean - reference[0].silhouette) <= 1e-9);
}

TEST_CASE("silhouette is undefined with fewer than 2 or more than n-1 clusters", "[silhouette]") {
  const Matrix x = blobs(10, 2, 2, 1);
  const auto& ex = serial_executor();
  Labels one_cluster(10, 3);
  auto r = cb::metrics::silhouette(x, one_cluster, {}, ex);
  REQUIRE(r.status == "undefined");
  REQUIRE(std::isnan(r.mean));
  REQUIRE(r.clusters == 1);

  Labels all_own(10);
  for (int i = 0; i < 10; ++i) all_own[static_cast<std::size_t>(i)] = i;
  REQUIRE(cb::metrics::silhouette(x, all_own, {}, ex).status == "undefined");

  // 2 clusters among 3 scored points is defined; the noise does not count as a point.
  Labels with_noise(10, kNoise);
  with_noise[0] = 0, with_noise[1] = 0, with_noise[2] = 1;
  r = cb::metrics::silhouette(x, with_noise, {}, ex);
  REQUIRE(r.status == "ok");
  REQUIRE(r.points_scored == 3);
  with_noise[1] = 2;  // 3 clusters among 3 points
  REQUIRE(cb::metrics::silhouette(x, with_noise, {}, ex).status == "undefined");
  REQUIRE(cb::metrics::silhouette(x, Labels(10, kNoise), {}, ex).status == "undefined");
}

TEST_CASE("silhouette rejects bad input", "[silhouette][bad-input]") {
  const Matrix x = blobs(10, 2, 2, 1);
  REQUIRE_THROWS_AS(cb::metrics::silhouette(x, Labels(9, 0), {}, serial_executor()), InputError);
  SilhouetteOptions options;
  options.row_tile = -1;
  REQUIRE_THROWS_AS(cb::metrics::silhouette(x, Labels(10, 0), options, serial_executor()), InputError);
  REQUIRE_THROWS_AS(cb::metrics::silhouette(Matrix(0, 2), Labels{}, {}, serial_executor()), InputError);
}

TEST_CASE("silhouette equals scikit-learn on iris, wine, digits and s1", "[silhouette][sklearn]") {
  auto ex = make_parallel_executor(2);
  for (const std::string name : {"other-iris", "uci-wine", "sklearn-digits", "sipu-s1"}) {
    INFO(name);
    const Dataset data = cb::test::load_benchmark(name);
    const Matrix x = name == "uci-wine" ? standardised(data.values) : data.values;
    REQUIRE(data.reference.has_value());
    const Labels& reference = *data.reference;
    const int k = *std::max_element(reference.begin(), reference.end()) + 1;
    const std::vector<Labels> labelings{reference, perturbed(reference, 0.3, k, 7), voronoi_labels(x, k, 13)};
    const auto expected = sklearn_scores(x, labelings);
    REQUIRE(expected.size() == labelings.size());
    const auto got = cb::metrics::silhouette_many(x, labelings, {}, *ex);
    for (std::size_t l = 0; l < labelings.size(); ++l) {
      INFO("labeling " << l);
      REQUIRE(std::abs(got[l].mean - expected[l].silhouette) <= 1e-6);
    }
  }
}

TEST_CASE("labelings sharing a meet: each equals the oracle and its own call, bit for bit", "[silhouette][meet]") {
  auto ex = make_parallel_executor(2);
  const Matrix x = blobs(600, 4, 8, 31, 30);
  const Labels finest = voronoi_labels(x, 11, 4);
  std::vector<Labels> labelings;
  for (int k = 2; k <= 11; ++k) {  // nested cuts (one group), as a hierarchy's
    Labels cut(finest.size());
    for (std::size_t i = 0; i < finest.size(); ++i) cut[i] = finest[i] % k;
    labelings.push_back(cut);
  }
  labelings[3][10] = kNoise;  // noise in one member only: its cell maps to noise for that member alone
  for (int k = 3; k <= 5; ++k) labelings.push_back(voronoi_labels(x, k, 50 + static_cast<std::uint64_t>(k)));
  SilhouetteOptions options;
  options.per_sample = true;
  options.row_tile = 64;  // several tiles, so cross-tile sums and the transposed blocks are used
  const auto many = cb::metrics::silhouette_many(x, labelings, options, *ex);
  for (std::size_t l = 0; l < labelings.size(); ++l) {
    const auto one = cb::metrics::silhouette(x, labelings[l], options, *ex);
    REQUIRE(same_bits(many[l].mean, one.mean));
    const auto oracle = naive_silhouette(x, labelings[l]);
    for (std::size_t i = 0; i < oracle.size(); ++i) {
      if (std::isnan(oracle[i])) {
        REQUIRE(std::isnan(many[l].per_sample(static_cast<Index>(i))));
      } else {
        REQUIRE(std::abs(many[l].per_sample(static_cast<Index>(i)) - oracle[i]) <= 1e-12);
      }
    }
  }
}
