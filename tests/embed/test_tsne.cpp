#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "../../src/embed/fft_repulsion.hpp"
#include "../../src/embed/quadtree.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/embed/trustworthiness.hpp"
#include "clusterbench/embed/tsne.hpp"
#include "embed_test_helpers.hpp"

using namespace cb;

namespace {

/// scikit-learn's trustworthiness and ARI on digits, committed with the script that regenerates them
/// (tests/python/embed_tsne_digits_fixture.py), since its TSNE takes minutes on a loaded machine.
std::vector<double> sklearn_digits_reference() {
  std::ifstream in(std::string(CB_SOURCE_DIR) + "/tests/fixtures/embed/tsne_digits_sklearn.txt");
  std::string numbers;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') numbers += line + " ";
  return test::parse_numbers(numbers);
}

/// Clustered 2-D layout: `clusters` Gaussian blobs of std 1 with centres spread over `spread` units.
Matrix clustered_layout(Index n, int clusters, double spread, std::uint64_t seed) {
  Rng rng(seed);
  Matrix centres(clusters, 2);
  for (int c = 0; c < clusters; ++c) centres(c, 0) = spread * rng.uniform(), centres(c, 1) = spread * rng.uniform();
  Matrix y(n, 2);
  for (Index i = 0; i < n; ++i)
    for (Index d = 0; d < 2; ++d) y(i, d) = centres(i % clusters, d) + rng.normal();
  return y;
}

/// Exact O(n²) repulsion: returns Z = Σ_{i≠j} q_ij and writes rep(i, ·) = Σ_j q_ij² (y_i − y_j).
double exact_repulsion(const Matrix& y, Matrix& rep) {
  double z = 0;
  rep = Matrix::Zero(y.rows(), 2);
  for (Index i = 0; i < y.rows(); ++i)
    for (Index j = 0; j < y.rows(); ++j) {
      if (i == j) continue;
      const double dx = y(i, 0) - y(j, 0), dy = y(i, 1) - y(j, 1);
      const double q = 1.0 / (1.0 + dx * dx + dy * dy);
      z += q;
      rep(i, 0) += q * q * dx;
      rep(i, 1) += q * q * dy;
    }
  return z;
}

}  // namespace

TEST_CASE("t-SNE FFT repulsion: Z and forces equal the exact O(n²) sums", "[tsne][fft]") {
  // Small spread: the minimum 50 boxes; large spread: one box per unit (> 50 boxes).
  for (const double spread : {0.5, 8.0, 40.0, 150.0}) {
    const Matrix y = clustered_layout(400, 5, spread, 7);
    Matrix rep_exact;
    const double z_exact = exact_repulsion(y, rep_exact);
    embed::detail::FftRepulsion fft;
    Matrix rep;
    const double z = fft.compute(y, rep, serial_executor());
    INFO("spread " << spread << ": Z " << z << " exact " << z_exact << "; force error "
                   << (rep - rep_exact).norm() / rep_exact.norm());
    // FIt-SNE's default grid (one box per unit, 3 nodes per box) interpolates to ~1e-3 in Z and 1–2% in
    // the forces of blobs with sub-unit neighbour distances; finer with the small (50-box minimum) ranges.
    REQUIRE(std::abs(z - z_exact) <= 2e-3 * z_exact);
    REQUIRE((rep - rep_exact).norm() <= (spread < 10 ? 1e-3 : 3e-2) * rep_exact.norm());
  }
}

TEST_CASE("t-SNE Barnes-Hut group walk: exact at theta 0, at least as exact as the per-point walk at 0.5",
          "[tsne][barnes-hut]") {
  // Includes a duplicated point: its twin must still repel it, itself not.
  Matrix y = clustered_layout(1500, 6, 30.0, 11);
  y.row(7) = y.row(8);
  Matrix rep_exact;
  const double z_exact = exact_repulsion(y, rep_exact);
  const auto ex = make_parallel_executor(2);
  const embed::detail::QuadTree tree(y, *ex);
  Matrix rep;
  const double z0 = tree.repulsion_all(y, 0.0, rep, *ex);
  REQUIRE(std::abs(z0 - z_exact) <= 1e-12 * z_exact);
  REQUIRE((rep - rep_exact).norm() <= 1e-12 * rep_exact.norm());

  const double z = tree.repulsion_all(y, 0.5, rep, *ex);
  double z_walk = 0;
  Matrix rep_walk(y.rows(), 2);
  for (Index i = 0; i < y.rows(); ++i) {
    double fx = 0, fy = 0;
    z_walk += tree.repulsion(y, i, 0.5, fx, fy);
    rep_walk(i, 0) = fx, rep_walk(i, 1) = fy;
  }
  INFO("force error: group " << (rep - rep_exact).norm() / rep_exact.norm() << ", per point "
                             << (rep_walk - rep_exact).norm() / rep_exact.norm());
  REQUIRE((rep - rep_exact).norm() <= (rep_walk - rep_exact).norm());
  REQUIRE(std::abs(z - z_exact) <= std::abs(z_walk - z_exact) + 1e-12 * z_exact);
  REQUIRE((rep - rep_exact).norm() <= 1e-2 * rep_exact.norm());

  Matrix rep_serial;
  REQUIRE(tree.repulsion_all(y, 0.5, rep_serial, serial_executor()) == z);
  REQUIRE(rep_serial == rep);
}

TEST_CASE("t-SNE FFT repulsion: boxes follow the range, at least 50, even with small prime factors", "[tsne][fft]") {
  const embed::detail::FftRepulsion fft;
  REQUIRE(fft.boxes_for_range(1e-4) == 50);
  REQUIRE(fft.boxes_for_range(50.5) == 54);
  REQUIRE(fft.boxes_for_range(97) == 100);
  REQUIRE(fft.boxes_for_range(1e6) == 200);
}

TEST_CASE("t-SNE on digits matches scikit-learn's trustworthiness and K-Means ARI", "[tsne]") {
  const auto digits = test::load_benchmark("sklearn-digits");
  auto ex = make_parallel_executor(2);
  const auto repulsion = GENERATE(embed::TsneRepulsion::barnes_hut, embed::TsneRepulsion::fft);
  embed::TsneOptions options;
  options.repulsion = repulsion;
  const auto result = embed::tsne(digits.values, options, 42, *ex);
  REQUIRE(result.embedding.rows() == digits.rows());
  REQUIRE(result.kl_divergence > 0);
  REQUIRE(result.learning_rate == Approx(std::max(1797.0 / 12.0 / 4.0, 50.0)));
  const double tw = embed::trustworthiness(digits.values, result.embedding, 5, *ex);
  const double ari = test::sklearn_kmeans_ari(result.embedding, *digits.reference, 10);
  const auto ref = sklearn_digits_reference();
  REQUIRE(ref.size() == 2);
  INFO((repulsion == embed::TsneRepulsion::fft ? "fft" : "barnes_hut")
       << ": trustworthiness " << tw << " ARI " << ari << " KL " << result.kl_divergence << "; scikit-learn: " << ref[0]
       << " " << ref[1]);
  REQUIRE(tw >= ref[0] - 0.01);
  REQUIRE(ari >= ref[1] - 0.05);
}

TEST_CASE("t-SNE: 1 thread and 2 threads are bit-identical", "[tsne][determinism]") {
  const Matrix x = test::load_benchmark("sklearn-digits").values.topRows(600);
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  embed::TsneOptions options;
  options.n_iter = 300;
  const auto a = embed::tsne(x, options, 3, *one);
  const auto b = embed::tsne(x, options, 3, *two);
  REQUIRE(a.embedding == b.embedding);
  REQUIRE(a.kl_divergence == b.kl_divergence);
  options.init = embed::TsneInit::random;
  REQUIRE(embed::tsne(x, options, 3, *one).embedding == embed::tsne(x, options, 3, *two).embedding);
  options.repulsion = embed::TsneRepulsion::fft;
  REQUIRE(embed::tsne(x, options, 3, *one).embedding == embed::tsne(x, options, 3, *two).embedding);
}

TEST_CASE("t-SNE: 1 and 2 threads are bit-identical above the parallel thresholds", "[tsne][determinism]") {
  // Above 4,096 points the quadtree's top subtrees are built as parallel tasks and the FFT
  // charges are spread by two chunks.
  Rng rng(11);
  Matrix x(6000, 5);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index c = 0; c < x.cols(); ++c) x(i, c) = rng.normal() + 6.0 * static_cast<double>(i % 4 == c);
  embed::TsneOptions options;
  options.n_iter = options.exploration_iterations = 250;
  auto one = make_parallel_executor(1);
  auto two = make_parallel_executor(2);
  for (const auto repulsion : {embed::TsneRepulsion::fft, embed::TsneRepulsion::barnes_hut}) {
    options.repulsion = repulsion;
    const auto a = embed::tsne(x, options, 5, *one);
    const auto b = embed::tsne(x, options, 5, *two);
    REQUIRE(a.embedding == b.embedding);
    REQUIRE(a.kl_divergence == b.kl_divergence);
  }
}

TEST_CASE("t-SNE automatic repulsion is Barnes-Hut below kTsneFftFromPoints and FFT from there", "[tsne]") {
  using embed::TsneRepulsion;
  STATIC_REQUIRE(embed::resolve_repulsion(TsneRepulsion::automatic, embed::kTsneFftFromPoints - 1) ==
                 TsneRepulsion::barnes_hut);
  STATIC_REQUIRE(embed::resolve_repulsion(TsneRepulsion::automatic, embed::kTsneFftFromPoints) == TsneRepulsion::fft);
  STATIC_REQUIRE(embed::resolve_repulsion(TsneRepulsion::fft, 10) == TsneRepulsion::fft);
  STATIC_REQUIRE(embed::resolve_repulsion(TsneRepulsion::barnes_hut, embed::kTsneFftFromPoints) ==
                 TsneRepulsion::barnes_hut);
  // And tsne follows it: automatic gives the chosen method's embedding bit for bit.
  Rng rng(13);
  embed::TsneOptions automatic, chosen;
  automatic.n_iter = chosen.n_iter = 250;
  automatic.exploration_iterations = chosen.exploration_iterations = 250;
  const auto ex = make_parallel_executor(2);
  const Index n = 600;
  Matrix x(n, 4);
  for (Index i = 0; i < n; ++i)
    for (Index c = 0; c < 4; ++c) x(i, c) = rng.normal() + 6.0 * static_cast<double>(i % 4 == c);
  chosen.repulsion = TsneRepulsion::barnes_hut;
  REQUIRE(embed::tsne(x, automatic, 7, *ex).embedding == embed::tsne(x, chosen, 7, *ex).embedding);
  chosen.repulsion = TsneRepulsion::fft;
  REQUIRE_FALSE(embed::tsne(x, automatic, 7, *ex).embedding == embed::tsne(x, chosen, 7, *ex).embedding);
}

TEST_CASE("t-SNE rejects bad options", "[tsne][bad-input]") {
  const Matrix x = Matrix::Random(20, 3);
  embed::TsneOptions options;
  options.perplexity = 0;
  REQUIRE_THROWS_AS(embed::tsne(x, options, 1, serial_executor()), InputError);
  options = {};
  options.n_iter = 100;
  REQUIRE_THROWS_AS(embed::tsne(x, options, 1, serial_executor()), InputError);
  REQUIRE_THROWS_AS(embed::tsne(Matrix(2, 3), {}, 1, serial_executor()), InputError);
}
