#pragma once
// Helpers shared by the embedding tests: scikit-learn checks of an embedding.
#include <string>

#include "clusterbench/core/dataset.hpp"
#include "support/test_support.hpp"

namespace cb::test {

/// ARI with the reference labels of scikit-learn's KMeans (n_init 10, seed 0) on the embedding.
inline double sklearn_kmeans_ari(const Matrix& embedding, const Labels& labels, int k) {
  const auto out =
      parse_numbers(run_python("embed_kmeans_ari.py", {write_matrix_csv(embedding, "emb"),
                                                       write_labels_csv(labels, "emb-labels"), std::to_string(k)}));
  if (out.size() != 1) throw std::runtime_error("embed_kmeans_ari.py: unexpected output");
  return out[0];
}

}  // namespace cb::test
