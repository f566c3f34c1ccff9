#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "clusterbench/cluster/gap_statistic.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

struct GapCase {
  std::string name;
  std::vector<int> ks;
  int true_k;
  bool standardize;  ///< as a grid's `preprocess: scaling: standard` would (wine's proline dwarfs the rest)
};

/// Runs the C++ gap and the numpy one on a benchmark set; compares them.
void compare_with_numpy(const GapCase& c) {
  Dataset data = test::load_benchmark(c.name);
  if (c.standardize) {
    const Eigen::RowVectorXd mean = data.values.colwise().mean();
    data.values.rowwise() -= mean;
    const Eigen::RowVectorXd sd = (data.values.colwise().squaredNorm() / static_cast<double>(data.rows())).cwiseSqrt();
    data.values = data.values.array().rowwise() / sd.array();
  }
  const int B = 20;
  const std::uint64_t seed = 7;
  std::vector<Labels> labels;
  cluster::KMeansOptions kmeans;
  for (const int k : c.ks)
    labels.push_back(k == 1 ? Labels{} : cluster::kmeans(data.values, k, kmeans, 3, serial_executor()).labels);
  cluster::GapOptions options;
  options.references = B;
  options.seed = seed;
  const auto gap = cluster::gap_statistic(data.values, c.ks, labels, options, serial_executor());
  REQUIRE(gap.points.size() == c.ks.size());

  const std::string dir = test::temp_dir("gap_" + c.name);
  const std::string labels_csv = dir + "/labels.csv";
  {
    std::ofstream out(labels_csv);
    for (Index i = 0; i < data.rows(); ++i) {
      std::vector<Label> row;
      for (std::size_t j = 0; j < c.ks.size(); ++j)
        if (c.ks[j] > 1) row.push_back(labels[j][static_cast<std::size_t>(i)]);
      out << fmt::format("{}\n", fmt::join(row, ","));
    }
  }
  const std::string ks_text = fmt::format("{}", fmt::join(c.ks, ","));
  const auto reference = cluster::gap_reference_set(data.values, seed, 0);
  const auto out =
      test::run_python("gap_reference.py", {test::write_matrix_csv(data.values, "gap_points_" + c.name), labels_csv,
                                            ks_text, test::write_matrix_csv(reference, "gap_ref_" + c.name),
                                            std::to_string(B), std::to_string(seed)});
  const auto numbers = test::parse_numbers(out);
  const std::size_t m = c.ks.size();
  REQUIRE(numbers.size() == 3 * m + 4);
  INFO(out);
  // 1. log W_k of the data: the same labels, so the same numbers.
  for (std::size_t i = 0; i < m; ++i) REQUIRE(gap.points[i].log_w == Approx(numbers[i]).epsilon(1e-9));
  // 2. The reference set lies in numpy's PCA-aligned box and fills it.
  REQUIRE(numbers[m] < 1e-9);
  REQUIRE(numbers[m + 1] > 0.9);
  // 3. Gap(k): independent draws and fits, so equal within the simulation error
  //    (two means of B draws: 4 standard errors), plus 0.02 for K-Means optima on uniform data.
  for (std::size_t i = 0; i < m; ++i) {
    const double np_gap = numbers[m + 2 + i], np_s = numbers[2 * m + 2 + i];
    const double se = std::sqrt((gap.points[i].s * gap.points[i].s + np_s * np_s) / B);
    INFO("k = " << c.ks[i] << ": gap " << gap.points[i].gap << " vs numpy " << np_gap << ", se " << se);
    REQUIRE(std::abs(gap.points[i].gap - np_gap) <= 4 * se + 0.02);
  }
  // 4. Both rules choose as numpy does; the global-maximum rule finds the true k.
  REQUIRE(gap.chosen_k == static_cast<int>(numbers[3 * m + 2]));
  REQUIRE(gap.chosen_k_global == static_cast<int>(numbers[3 * m + 3]));
  REQUIRE(gap.chosen_k_global == c.true_k);
}

}  // namespace

TEST_CASE("gap statistic matches an independent numpy implementation on hepta", "[cluster][gap]") {
  compare_with_numpy({"fcps-hepta", {1, 2, 3, 4, 5, 6, 7, 8, 9}, 7, false});
}

TEST_CASE("gap statistic matches an independent numpy implementation on wine", "[cluster][gap]") {
  compare_with_numpy({"uci-wine", {1, 2, 3, 4, 5, 6}, 3, true});
}

TEST_CASE("gap statistic is deterministic from its seed and the 1-SE rule picks the smallest k within one s",
          "[cluster][gap]") {
  const Dataset data = test::load_benchmark("fcps-hepta");
  const std::vector<int> ks{1, 2, 3};
  std::vector<Labels> labels{{}};
  for (const int k : {2, 3}) labels.push_back(cluster::kmeans(data.values, k, {}, 1, serial_executor()).labels);
  cluster::GapOptions options;
  options.references = 5;
  options.seed = 11;
  const auto a = cluster::gap_statistic(data.values, ks, labels, options, serial_executor());
  const auto b = cluster::gap_statistic(data.values, ks, labels, options, serial_executor());
  for (std::size_t i = 0; i < ks.size(); ++i) REQUIRE(a.points[i].gap == b.points[i].gap);
  // Gap 0.3, 0.5, 0.55 with s = 0.1: k = 1 is more than one s below k = 2; k = 2 is within one s of k = 3.
  std::vector<cluster::GapPoint> points{{1, 0, 0, 0, 0.1, 0.3}, {2, 0, 0, 0, 0.1, 0.5}, {3, 0, 0, 0, 0.1, 0.55}};
  REQUIRE(cluster::one_se_choice(points) == 2);
  points[2].gap = 0.9;  // still rising past the last k: the largest k
  REQUIRE(cluster::one_se_choice(points) == 3);
}
