// Trustworthiness: for each point, the rank (in the original space) of each of
// its k embedded neighbours; ranks beyond k are penalised.
#include "clusterbench/embed/trustworthiness.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "clusterbench/core/error.hpp"
#include "clusterbench/neighbors/knn.hpp"

namespace cb::embed {

double trustworthiness(MatrixView original, MatrixView embedded, Index n_neighbors, const Executor& executor) {
  const Index n = original.rows();
  const Index k = n_neighbors;
  if (n == 0 || original.cols() == 0 || embedded.cols() == 0) throw InputError("trustworthiness: the data is empty");
  if (embedded.rows() != n)
    throw InputError("trustworthiness: the embedding has " + std::to_string(embedded.rows()) +
                     " rows but the data has " + std::to_string(n));
  if (k < 1 || 2 * k >= n)
    throw InputError("trustworthiness: n_neighbors (" + std::to_string(k) + ") must be at least 1 and less than n/2");
  const auto embedded_knn = neighbors::knn_exact(embedded, k, executor);

  const std::int64_t penalty = executor.reduce(
      static_cast<std::size_t>(n), 64, std::int64_t{0},
      [&](Range r) {
        std::int64_t sum = 0;
        std::vector<double> dist(static_cast<std::size_t>(n));
        for (std::size_t ii = r.begin; ii < r.end; ++ii) {
          const Index i = static_cast<Index>(ii);
          for (Index l = 0; l < n; ++l) dist[l] = (original.row(i) - original.row(l)).squaredNorm();
          for (Index c = 0; c < k; ++c) {
            const Index j = embedded_knn.indices(i, c);
            const double dj = dist[j];
            std::int64_t rank = 1;  // 1-based rank of j among i's neighbours in the original space
            for (Index l = 0; l < n; ++l)
              if (l != i && (dist[l] < dj || (dist[l] == dj && l < j))) ++rank;
            if (rank > k) sum += rank - k;
          }
        }
        return sum;
      },
      [](std::int64_t& acc, std::int64_t part) { acc += part; });

  const double nd = static_cast<double>(n), kd = static_cast<double>(k);
  return 1.0 - static_cast<double>(penalty) * (2.0 / (nd * kd * (2.0 * nd - 3.0 * kd - 1.0)));
}

}  // namespace cb::embed
