// GMM entry point with scikit-learn's default initialisation: each restart takes
// the labels of one K-Means run (n_init = 1, seed derived per restart).
#include "clusterbench/cluster/gmm.hpp"

#include <string>

#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/core/rng.hpp"
#include "gmm_detail.hpp"

namespace cb::cluster {

GmmResult gmm(MatrixView points, int k, const GmmOptions& options, std::uint64_t seed, const Executor& executor) {
  if (options.init != GmmInit::kmeans) return gmm_seeded(points, k, options, seed, executor);
  detail::check_gmm_input(points, k, options);
  GmmResult best;
  KMeansOptions kmeans_options;
  kmeans_options.n_init = 1;
  for (int restart = 0; restart < options.n_init; ++restart) {
    const auto km =
        kmeans(points, k, kmeans_options, derive_seed(seed, "gmm-kmeans-" + std::to_string(restart)), executor);
    detail::keep_best(best, gmm_from_labels(points, km.labels, k, options, executor), restart == 0);
  }
  return best;
}

}  // namespace cb::cluster
