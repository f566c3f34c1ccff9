#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/core/sampling.hpp"
#include "clusterbench/metrics/partition_stability.hpp"
#include "support/test_support.hpp"

using namespace cb;

TEST_CASE("subsample agreement of a hand case: ARI 8/57, Jaccard 2/3 and 1/2, a cluster absent from the subsample",
          "[stability]") {
  const Labels full{0, 0, 0, 1, 1, 1, 2, 2, kNoise, kNoise};
  const std::vector<Index> rows{0, 1, 3, 4, 5, 8, 9};  // cluster 2 left out; restricted: 0 0 1 1 1 -1 -1
  const Labels refit{0, 0, 0, 1, 1, 1, kNoise};
  const auto agreement = metrics::compare_on_subsample(full, rows, refit);
  // Pairs together in both: 2; within the restriction 5, within the refit 6, of 21: (2 - 30/21) / (11/2 - 30/21).
  REQUIRE(agreement.ari == Approx(8.0 / 57.0).epsilon(1e-15));
  REQUIRE(agreement.cluster_jaccard.size() == 3);
  REQUIRE(agreement.cluster_jaccard[0] == Approx(2.0 / 3.0));  // {0,1} against the refit's {0,1,3}
  REQUIRE(agreement.cluster_jaccard[1] == Approx(0.5));        // {3,4,5} against {4,5,8}: 2 of 4
  REQUIRE(std::isnan(agreement.cluster_jaccard[2]));

  const auto same = metrics::compare_on_subsample(full, rows, Labels{5, 5, 7, 7, 7, kNoise, kNoise});
  REQUIRE(same.ari == 1.0);  // the same partition under other names
  REQUIRE(same.cluster_jaccard[0] == 1.0);
  REQUIRE(same.cluster_jaccard[1] == 1.0);
  const auto all_noise = metrics::compare_on_subsample(full, rows, Labels(rows.size(), kNoise));
  REQUIRE(all_noise.cluster_jaccard[0] == 0.0);  // its points all became noise: dissolved

  REQUIRE_THROWS_AS(metrics::compare_on_subsample(full, rows, Labels{0, 1}), InputError);
}

TEST_CASE(
    "summarised stability: mean and n-1 standard deviation of the ARIs, Jaccard means over the resamples a cluster was "
    "in",
    "[stability]") {
  const double nan = std::nan("");
  const std::vector<metrics::SubsampleAgreement> resamples{{1.0, {1.0, 0.5}}, {0.5, {nan, 0.7}}, {0.0, {0.4, 0.0}}};
  const auto summary = metrics::summarize_stability(resamples, 3);
  REQUIRE(summary.ari_mean == Approx(0.5));
  REQUIRE(summary.ari_sd == Approx(0.5));  // deviations ±0.5, 0: sqrt(0.5 / 2)
  REQUIRE(summary.cluster_jaccard[0] == Approx(0.7));
  REQUIRE(summary.cluster_jaccard[1] == Approx(0.4));
  REQUIRE(std::isnan(summary.cluster_jaccard[2]));
  REQUIRE(std::isnan(metrics::summarize_stability(std::span(resamples).first(1), 2).ari_sd));
}

TEST_CASE("subsample agreement equals scikit-learn's ARI and a numpy Jaccard on random partitions with noise",
          "[stability][sklearn]") {
  Rng rng(7);
  for (int round = 0; round < 3; ++round) {
    const Index n = 400;
    Labels full(static_cast<std::size_t>(n));
    for (auto& l : full) l = static_cast<Label>(rng.below(6)) - 1;  // clusters 0..4 and noise
    const auto rows = uniform_row_sample(n, 320, derive_seed(11, std::to_string(round)));
    Labels refit(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)  // mostly the full label, sometimes another
      refit[i] = rng.uniform() < 0.7 ? full[static_cast<std::size_t>(rows[i])] : static_cast<Label>(rng.below(5)) - 1;
    const auto agreement = metrics::compare_on_subsample(full, rows, refit);
    const std::string dir = test::temp_dir("stability_reference_" + std::to_string(round));
    std::ofstream(dir + "/rows.csv") << [&] {
      std::string text;
      for (const Index r : rows) text += std::to_string(r) + "\n";
      return text;
    }();
    const auto expected = test::parse_numbers(
        test::run_python("stability_reference.py",
                         {test::write_labels_csv(full, "stability_full_" + std::to_string(round)), dir + "/rows.csv",
                          test::write_labels_csv(refit, "stability_refit_" + std::to_string(round))}));
    REQUIRE(expected.size() == 1 + agreement.cluster_jaccard.size());
    REQUIRE(agreement.ari == Approx(expected[0]).epsilon(1e-12));
    for (std::size_t c = 0; c < agreement.cluster_jaccard.size(); ++c)
      REQUIRE(agreement.cluster_jaccard[c] == Approx(expected[c + 1]).epsilon(1e-12));
  }
}
