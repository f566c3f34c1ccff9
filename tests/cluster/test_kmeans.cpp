// K-Means against slow oracles (plain Lloyd, a sequential k-means++, brute-force
// assignment), invariants (inertia never rises, 1 thread == 2 threads) and
// scikit-learn (inertia of its best-of-n_init fit, computed on the fly).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/rng.hpp"
#include "support/test_support.hpp"

using namespace cb;
using cluster::KMeansMethod;
using cluster::KMeansOptions;
using cluster::KMeansResult;

namespace {

/// Adjusted Rand index (Hubert & Arabie), from the contingency table.
double adjusted_rand_index(const Labels& a, const Labels& b) {
  std::map<std::pair<Label, Label>, double> joint;
  std::map<Label, double> rows, cols;
  for (std::size_t i = 0; i < a.size(); ++i) {
    joint[{a[i], b[i]}] += 1;
    rows[a[i]] += 1;
    cols[b[i]] += 1;
  }
  auto pairs = [](double m) { return m * (m - 1) / 2; };
  double index = 0, sum_rows = 0, sum_cols = 0;
  for (const auto& [key, m] : joint) index += pairs(m);
  for (const auto& [key, m] : rows) sum_rows += pairs(m);
  for (const auto& [key, m] : cols) sum_cols += pairs(m);
  const double expected = sum_rows * sum_cols / pairs(static_cast<double>(a.size()));
  const double max_index = (sum_rows + sum_cols) / 2;
  return (index - expected) / (max_index - expected);
}

/// Σ squared distance of each point to its labelled centroid, in plain order.
double brute_inertia(const Matrix& x, const Matrix& c, const Labels& labels) {
  double s = 0;
  for (Index i = 0; i < x.rows(); ++i) s += (x.row(i) - c.row(labels[static_cast<std::size_t>(i)])).squaredNorm();
  return s;
}

Labels brute_nearest(const Matrix& x, const Matrix& c) {
  Labels out(static_cast<std::size_t>(x.rows()));
  for (Index i = 0; i < x.rows(); ++i) {
    Index best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (Index j = 0; j < c.rows(); ++j) {
      double s = 0;
      for (Index f = 0; f < x.cols(); ++f) s += (x(i, f) - c(j, f)) * (x(i, f) - c(j, f));
      if (s < best_d) {
        best_d = s;
        best = j;
      }
    }
    out[static_cast<std::size_t>(i)] = static_cast<Label>(best);
  }
  return out;
}

/// scikit-learn's _kmeans_plusplus written the obvious way (full cumsum,
/// linear search), drawing from the Rng in the same order as ours.
std::vector<Index> oracle_plusplus(const Matrix& x, int k, Rng& rng) {
  const Index n = x.rows();
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  auto sq = [&](Index i, Index j) { return (x.row(i) - x.row(j)).squaredNorm(); };
  std::vector<Index> centres{static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)))};
  std::vector<double> closest(static_cast<std::size_t>(n));
  double pot = 0;
  for (Index i = 0; i < n; ++i) pot += closest[static_cast<std::size_t>(i)] = sq(i, centres[0]);
  for (int c = 1; c < k; ++c) {
    std::vector<double> cumsum(closest.size());
    double run = 0;
    for (std::size_t i = 0; i < closest.size(); ++i) cumsum[i] = run += closest[i];
    std::vector<Index> cand;
    for (int t = 0; t < trials; ++t) {
      const double r = rng.uniform() * pot;
      const auto it = std::lower_bound(cumsum.begin(), cumsum.end(), r);
      cand.push_back(std::min<Index>(n - 1, it - cumsum.begin()));
    }
    double best_pot = std::numeric_limits<double>::infinity();
    std::vector<double> best_closest;
    Index best = -1;
    for (Index cid : cand) {
      std::vector<double> next(closest.size());
      double p = 0;
      for (Index i = 0; i < n; ++i)
        p += next[static_cast<std::size_t>(i)] = std::min(closest[static_cast<std::size_t>(i)], sq(i, cid));
      if (p < best_pot) {
        best_pot = p;
        best = cid;
        best_closest = std::move(next);
      }
    }
    pot = best_pot;
    closest = std::move(best_closest);
    centres.push_back(best);
  }
  return centres;
}

Matrix rows_of(const Matrix& x, const std::vector<Index>& rows) {
  Matrix m(static_cast<Index>(rows.size()), x.cols());
  for (std::size_t j = 0; j < rows.size(); ++j) m.row(static_cast<Index>(j)) = x.row(rows[j]);
  return m;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void require_identical(const KMeansResult& a, const KMeansResult& b) {
  REQUIRE(a.labels == b.labels);
  REQUIRE(same_bits(a.inertia, b.inertia));
  REQUIRE(a.centroids.rows() == b.centroids.rows());
  REQUIRE(std::memcmp(a.centroids.data(), b.centroids.data(),
                      sizeof(double) * static_cast<std::size_t>(a.centroids.size())) == 0);
  REQUIRE(a.iterations == b.iterations);
  REQUIRE(a.converged == b.converged);
  REQUIRE(a.restart == b.restart);
  REQUIRE(a.seeds == b.seeds);
}

double sklearn_inertia(const Matrix& x, int k, int n_init, const std::string& stem) {
  const std::string path = test::write_matrix_csv(x, stem);
  const auto values =
      test::parse_numbers(test::run_python("kmeans_reference.py", {path, std::to_string(k), std::to_string(n_init)}));
  REQUIRE(values.size() == 1);
  return values[0];
}

}  // namespace

TEST_CASE("k-means++ seeding matches a sequential oracle of scikit-learn's algorithm", "[kmeans]") {
  const Dataset s1 = test::load_benchmark("sipu-s1");
  for (int k : {1, 2, 15, 40}) {
    Rng ours_rng(11 + k), oracle_rng(11 + k);
    const auto ours = cluster::kmeans_plusplus(s1.values, k, ours_rng, *make_parallel_executor(2));
    const auto oracle = oracle_plusplus(s1.values, k, oracle_rng);
    REQUIRE(ours == oracle);
  }
}

TEST_CASE("Hamerly gives plain Lloyd's labels, centroids and inertia bit for bit", "[kmeans]") {
  for (const std::string name : {"sipu-s1", "sklearn-digits", "sipu-birch1"}) {
    const Dataset data = test::load_benchmark(name);
    const int k = name == "sipu-birch1" ? 100 : name == "sipu-s1" ? 15 : 10;
    Rng rng(3);
    const auto ex = make_parallel_executor(2);
    const Matrix init = rows_of(data.values, cluster::kmeans_plusplus(data.values, k, rng, *ex));
    KMeansOptions lloyd, hamerly;
    lloyd.method = KMeansMethod::lloyd;
    hamerly.method = KMeansMethod::hamerly;
    for (double tol : {1e-4, 0.0}) {
      lloyd.tol = hamerly.tol = tol;
      const auto a = cluster::kmeans_from_centroids(data.values, init, lloyd, *ex);
      const auto b = cluster::kmeans_from_centroids(data.values, init, hamerly, *ex);
      INFO(name << " tol " << tol << " iterations " << a.iterations);
      require_identical(a, b);
      REQUIRE(b.distance_evaluations < a.distance_evaluations);
      // The inertia is what it says, and the labels are the nearest centroids.
      REQUIRE(a.inertia == Approx(brute_inertia(data.values, a.centroids, a.labels)).epsilon(1e-12));
      REQUIRE(a.labels == brute_nearest(data.values, a.centroids));
    }
  }
}

TEST_CASE("inertia never rises across Lloyd iterations", "[kmeans]") {
  // Stepping max_iter replays the same run one more iteration each time (plus
  // the final assignment): the inertia after step t+1 is never above step t's.
  const Matrix x = test::load_benchmark("sipu-birch1").values.topRows(4000);
  Rng rng(5);
  const Matrix init = rows_of(x, cluster::kmeans_plusplus(x, 30, rng, serial_executor()));
  for (auto method : {KMeansMethod::lloyd, KMeansMethod::hamerly}) {
    KMeansOptions options;
    options.method = method;
    options.tol = 0;
    double previous = std::numeric_limits<double>::infinity();
    int steps_seen = 0;
    for (int max_iter = 1; max_iter <= 100; ++max_iter) {
      options.max_iter = max_iter;
      const auto r = cluster::kmeans_from_centroids(x, init, options, serial_executor());
      INFO("max_iter " << max_iter);
      REQUIRE(r.inertia <= previous);
      previous = r.inertia;
      if (r.converged) break;
      REQUIRE(r.iterations == max_iter);
      ++steps_seen;
    }
    INFO("steps " << steps_seen);
    REQUIRE(steps_seen >= 5);  // the check covered several real steps
  }
}

TEST_CASE("s1 and digits: inertia within 0.5 % of scikit-learn's best of 10 restarts", "[kmeans][sklearn]") {
  struct Case {
    std::string name;
    int k;
    double tolerance;
  };
  const auto ex = make_parallel_executor(2);
  for (const Case& c : {Case{"sipu-s1", 15, 0.005}, Case{"sklearn-digits", 10, 0.005}}) {
    const Dataset data = test::load_benchmark(c.name);
    KMeansOptions options;
    options.n_init = 10;
    const auto ours = cluster::kmeans(data.values, c.k, options, 2024, *ex);
    const double reference = sklearn_inertia(data.values, c.k, options.n_init, "kmeans-" + c.name);
    INFO(c.name << ": ours " << ours.inertia << " scikit-learn " << reference);
    REQUIRE(ours.inertia <= reference * (1 + c.tolerance));
    REQUIRE(ours.inertia >= reference * (1 - c.tolerance));
    REQUIRE(ours.converged);
  }
}

TEST_CASE("birch1: median best-of-10 inertia over 5 seeds is within 0.5 % of scikit-learn's or lower",
          "[kmeans][sklearn]") {
  // birch1 (k = 100): best-of-10 inertia is bimodal in the seed, ≈ 9.52e13 or
  // ≈ 9.75e13 (2.4 % apart), for scikit-learn and for us alike, so one fit
  // against one fit tests which mode each seed hit, not the algorithm.
  // Measured: single restarts (150 seeds each) have the same distribution
  // (median 1.0027e14 scikit-learn, 1.0020e14 ours); best-of-10 over 20 seeds
  // lands in the lower mode 8 times for scikit-learn and 14 times for us. So
  // this compares the medians over seeds 0..4 of both, and accepts ours when
  // it is within 0.5 % of scikit-learn's or better (lower).
  const Dataset data = test::load_benchmark("sipu-birch1");
  const auto ex = make_parallel_executor(2);
  KMeansOptions options;
  options.n_init = 10;
  std::vector<double> ours;
  for (std::uint64_t seed = 0; seed < 5; ++seed)
    ours.push_back(cluster::kmeans(data.values, 100, options, seed, *ex).inertia);
  const std::string path = test::write_matrix_csv(data.values, "kmeans-birch1-seeds");
  auto theirs = test::parse_numbers(test::run_python("kmeans_reference.py", {path, "100", "10", "0", "5"}));
  REQUIRE(theirs.size() == 5);
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + 2, v.end());
    return v[2];
  };
  INFO("ours " << median(ours) << " scikit-learn " << median(theirs));
  REQUIRE(median(ours) <= median(theirs) * 1.005);
}

TEST_CASE("from the same seeds, scikit-learn's Lloyd reaches the same labels and inertia", "[kmeans][sklearn]") {
  const auto ex = make_parallel_executor(2);
  for (const std::string name : {"sipu-s1", "sklearn-digits", "sipu-birch1"}) {
    const Dataset data = test::load_benchmark(name);
    const int k = name == "sipu-birch1" ? 100 : name == "sipu-s1" ? 15 : 10;
    Rng rng(17);
    const Matrix init = rows_of(data.values, cluster::kmeans_plusplus(data.values, k, rng, *ex));
    const auto ours = cluster::kmeans_from_centroids(data.values, init, KMeansOptions{}, *ex);
    const auto out = test::parse_numbers(
        test::run_python("kmeans_from_init.py", {test::write_matrix_csv(data.values, "kmeans-x-" + name),
                                                 test::write_matrix_csv(init, "kmeans-init-" + name)}));
    REQUIRE(out.size() == 2 + ours.labels.size());
    std::size_t agree = 0;
    for (std::size_t i = 0; i < ours.labels.size(); ++i) agree += ours.labels[i] == static_cast<Label>(out[2 + i]);
    INFO(name << ": ours " << ours.inertia << " in " << ours.iterations << " iterations, scikit-learn " << out[0]
              << " in " << out[1] << "; labels agree on " << agree << " of " << ours.labels.size());
    // scikit-learn's distances (|x|² − 2x·c + |c|²) may break an exact tie differently: allow 1 in 10⁴.
    REQUIRE(static_cast<double>(agree) >= 0.9999 * static_cast<double>(ours.labels.size()));
    REQUIRE(ours.inertia == Approx(out[0]).epsilon(1e-9));
  }
}

TEST_CASE("K-Means (k = 15) recovers s1's reference partition: ARI >= 0.95", "[kmeans]") {
  const Dataset s1 = test::load_benchmark("sipu-s1");
  REQUIRE(s1.reference.has_value());
  const auto r = cluster::kmeans(s1.values, 15, KMeansOptions{}, 7, *make_parallel_executor(2));
  const double ari = adjusted_rand_index(r.labels, *s1.reference);
  INFO("ARI " << ari);
  REQUIRE(ari >= 0.95);
}

TEST_CASE("1 thread and 2 threads give bit-identical results", "[kmeans][determinism]") {
  const Dataset birch = test::load_benchmark("sipu-birch1");
  const Matrix x = birch.values.topRows(30000);
  const auto one = make_parallel_executor(1);
  const auto two = make_parallel_executor(2);
  for (auto method : {KMeansMethod::hamerly, KMeansMethod::lloyd}) {
    KMeansOptions options;
    options.n_init = 3;
    options.method = method;
    const auto a = cluster::kmeans(x, 25, options, 99, *one);
    const auto b = cluster::kmeans(x, 25, options, 99, *two);
    const auto s = cluster::kmeans(x, 25, options, 99, serial_executor());
    require_identical(a, b);
    require_identical(a, s);
  }
  const std::vector<int> ks{3, 8, 20};
  KMeansOptions options;
  options.n_init = 2;
  const auto all_one = cluster::kmeans_all_k(x, ks, options, 5, *one);
  const auto all_two = cluster::kmeans_all_k(x, ks, options, 5, *two);
  for (std::size_t t = 0; t < ks.size(); ++t) require_identical(all_one[t], all_two[t]);
}

TEST_CASE("restarts: the lowest inertia wins and the seed decides everything", "[kmeans]") {
  const Dataset s1 = test::load_benchmark("sipu-s1");
  const auto ex = make_parallel_executor(2);
  KMeansOptions one_restart;
  one_restart.n_init = 1;
  KMeansOptions four;
  four.n_init = 4;
  const auto best = cluster::kmeans(s1.values, 15, four, 123, *ex);
  require_identical(best, cluster::kmeans(s1.values, 15, four, 123, *ex));
  // Restart 0 of the 4 is the single-restart run with the same seed.
  const auto first = cluster::kmeans(s1.values, 15, one_restart, 123, *ex);
  REQUIRE(best.inertia <= first.inertia);
  // The winner is reproducible from its seeds alone.
  const auto again = cluster::kmeans_from_centroids(s1.values, rows_of(s1.values, best.seeds), one_restart, *ex);
  REQUIRE(same_bits(again.inertia, best.inertia));
  REQUIRE(again.labels == best.labels);
  REQUIRE(best.seeds.size() == 15);
}

TEST_CASE("kmeans_all_k: every k starts from the prefix of one seeding", "[kmeans]") {
  const Dataset s1 = test::load_benchmark("sipu-s1");
  const auto ex = make_parallel_executor(2);
  KMeansOptions options;
  options.n_init = 3;
  const std::vector<int> ks{15, 4, 9};
  const auto all = cluster::kmeans_all_k(s1.values, ks, options, 8, *ex);
  REQUIRE(all.size() == ks.size());
  for (std::size_t t = 0; t < ks.size(); ++t) {
    const auto& r = all[t];
    REQUIRE(r.centroids.rows() == ks[t]);
    REQUIRE(r.seeds.size() == static_cast<std::size_t>(ks[t]));
    // Same seeding as kmeans_plusplus for the largest k in that restart's stream.
    Rng rng = Rng(8).split(static_cast<std::uint64_t>(r.restart));
    const auto full = cluster::kmeans_plusplus(s1.values, 15, rng, *ex);
    REQUIRE(std::equal(r.seeds.begin(), r.seeds.end(), full.begin()));
    // And the run itself is a plain restart from those seeds.
    KMeansOptions single = options;
    single.n_init = 1;
    const auto again = cluster::kmeans_from_centroids(s1.values, rows_of(s1.values, r.seeds), single, *ex);
    REQUIRE(again.labels == r.labels);
    REQUIRE(same_bits(again.inertia, r.inertia));
  }
  REQUIRE(all[0].inertia < all[2].inertia);
  REQUIRE(all[2].inertia < all[1].inertia);
}

TEST_CASE("assign_nearest matches brute force", "[kmeans]") {
  const Dataset digits = test::load_benchmark("sklearn-digits");
  const Matrix centres = digits.values.middleRows(100, 13);
  REQUIRE(cluster::assign_nearest(digits.values, centres, *make_parallel_executor(2)) ==
          brute_nearest(digits.values, centres));
}

TEST_CASE("convergence follows scikit-learn's tol rule", "[kmeans]") {
  const Dataset s1 = test::load_benchmark("sipu-s1");
  Rng rng(1);
  const Matrix init = rows_of(s1.values, cluster::kmeans_plusplus(s1.values, 15, rng, serial_executor()));
  KMeansOptions options;
  options.max_iter = 1;
  options.tol = 0;
  auto r = cluster::kmeans_from_centroids(s1.values, init, options, serial_executor());
  REQUIRE_FALSE(r.converged);
  REQUIRE(r.iterations == 1);
  options.tol = 1e9;  // any centre shift is within tolerance: stop after the first step
  options.max_iter = 300;
  r = cluster::kmeans_from_centroids(s1.values, init, options, serial_executor());
  REQUIRE(r.converged);
  REQUIRE(r.iterations == 1);
  options.tol = 0;  // only strict convergence (labels unchanged) stops
  r = cluster::kmeans_from_centroids(s1.values, init, options, serial_executor());
  REQUIRE(r.converged);
  REQUIRE(r.labels == brute_nearest(s1.values, r.centroids));
}

TEST_CASE("bad input throws InputError", "[kmeans][bad-input]") {
  const auto ex = make_parallel_executor(2);
  Matrix x(5, 2);
  x << 0, 0, 1, 1, 2, 2, 3, 3, 4, 4;
  REQUIRE_THROWS_AS(cluster::kmeans(x, 6, {}, 0, *ex), InputError);
  REQUIRE_THROWS_AS(cluster::kmeans(x, 0, {}, 0, *ex), InputError);
  REQUIRE_THROWS_AS(cluster::kmeans(x, -2, {}, 0, *ex), InputError);
  REQUIRE_THROWS_AS(cluster::kmeans(Matrix(0, 2), 1, {}, 0, *ex), InputError);
  REQUIRE_THROWS_AS(cluster::kmeans(Matrix(4, 0), 1, {}, 0, *ex), InputError);
  Rng rng(0);
  REQUIRE_THROWS_AS(cluster::kmeans_plusplus(x, 6, rng, *ex), InputError);
  REQUIRE_THROWS_AS(cluster::kmeans_plusplus(Matrix(0, 3), 1, rng, *ex), InputError);
  const std::vector<int> ks{2, 9};
  REQUIRE_THROWS_AS(cluster::kmeans_all_k(x, ks, {}, 0, *ex), InputError);
  KMeansOptions bad;
  bad.n_init = 0;
  REQUIRE_THROWS_AS(cluster::kmeans(x, 2, bad, 0, *ex), InputError);
  bad = {};
  bad.max_iter = 0;
  REQUIRE_THROWS_AS(cluster::kmeans(x, 2, bad, 0, *ex), InputError);
  bad = {};
  bad.tol = -1;
  REQUIRE_THROWS_AS(cluster::kmeans(x, 2, bad, 0, *ex), InputError);
  Matrix with_nan = x;
  with_nan(3, 1) = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(cluster::kmeans(with_nan, 2, {}, 0, *ex), InputError);
  REQUIRE_THROWS_AS(cluster::assign_nearest(x, Matrix(2, 3), *ex), InputError);
}

TEST_CASE("identical points with k = 3: no crash, no NaN, empty clusters reported", "[kmeans]") {
  const auto ex = make_parallel_executor(2);
  for (Index n : {3, 50, 10000}) {
    Matrix x(n, 4);
    x.rowwise() = Eigen::RowVector4d(1.5, -2.0, 0.0, 7.25);
    for (auto method : {KMeansMethod::hamerly, KMeansMethod::lloyd}) {
      KMeansOptions options;
      options.method = method;
      options.n_init = 2;
      const auto r = cluster::kmeans(x, 3, options, 1, *ex);
      INFO("n " << n);
      REQUIRE(r.centroids.allFinite());
      REQUIRE(r.inertia == 0.0);
      REQUIRE(r.labels.size() == static_cast<std::size_t>(n));
      for (Label l : r.labels) REQUIRE((l >= 0 && l < 3));
      REQUIRE(r.empty_clusters_fixed > 0);  // re-seeding happened and is counted
      REQUIRE(r.empty_clusters == 2);       // all points share one centroid in the end
      REQUIRE(r.converged);
    }
  }
}

TEST_CASE("k = n puts every point in its own cluster", "[kmeans]") {
  Matrix x(6, 2);
  x << 0, 0, 10, 0, 0, 10, 10, 10, 5, 5, 20, 20;
  const auto r = cluster::kmeans(x, 6, {}, 3, *make_parallel_executor(2));
  REQUIRE(r.inertia == 0.0);
  std::vector<Label> sorted = r.labels;
  std::sort(sorted.begin(), sorted.end());
  REQUIRE(std::unique(sorted.begin(), sorted.end()) == sorted.end());
}
