// Shared driver of the algorithms that fit every k on its own (K-Means, GMM).
#include <chrono>
#include <string>

#include "builtin.hpp"
#include "clusterbench/core/rng.hpp"

namespace cb::grid {

std::vector<RunOutcome> fit_each_k(const FamilyRequest& request, const OneKFit& fit_one) {
  std::vector<std::function<void()>> tasks;
  for (const int k : request.ks) {
    tasks.emplace_back([&request, &fit_one, k] {
      const auto start = std::chrono::steady_clock::now();
      RunOutcome out = fit_one(k, derive_seed(request.seed, "k=" + std::to_string(k)));
      out.k = k;
      out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      request.emit(std::move(out));
    });
  }
  request.executor.run_all(tasks);
  return {};  // every k was emitted
}

}  // namespace cb::grid
