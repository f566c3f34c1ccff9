// The grid's stability step (config `stability:`) through the runner: what it
// measures on a well-separated set, its independence of the thread count, and
// stability added to stored runs without refitting them.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <mutex>

#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/runner.hpp"

using namespace cb;
using namespace cb::grid;

namespace {

/// FCPS hepta (7 well-separated blobs, 212 points): K-Means, Ward and DBSCAN at k = 4..8.
GridConfig hepta_grid(bool stability) {
  return parse_config(std::string(R"(name: stability
seed: 3
dataset:
  type: benchmark
  path: )") + CB_SOURCE_DIR +
                          R"(/data/benchmarks/fcps-hepta.data.gz
algorithms:
  - name: kmeans
    k: [4, 8]
    params: {n_init: 3}
  - name: hierarchical
    k: [4, 8]
  - name: dbscan
    k: [4, 8]
)" + (stability ? "stability: {resamples: 12, fraction: 0.8}\n" : ""),
                      "stability.yaml");
}

struct Seen {
  std::mutex mutex;
  std::map<std::string, RunRecord> finished;
  int fitted = 0, finished_calls = 0;

  RunnerHooks hooks(int threads) {
    RunnerHooks h;
    h.threads_override = threads;
    h.on_run_fitted = [this](const RunRecord&) {
      std::lock_guard lock(mutex);
      ++fitted;
    };
    h.on_run_finished = [this](const RunRecord& r) {
      std::lock_guard lock(mutex);
      ++finished_calls;
      finished[r.key] = r;
    };
    return h;
  }
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void require_same_stability(const RunRecord& a, const RunRecord& b) {
  INFO(a.algorithm << " k=" << a.k);
  REQUIRE(a.stability.has_value());
  REQUIRE(b.stability.has_value());
  CHECK(same_bits(a.stability->ari_mean, b.stability->ari_mean));
  CHECK(same_bits(a.stability->ari_sd, b.stability->ari_sd));
  REQUIRE(a.stability->cluster_jaccard.size() == b.stability->cluster_jaccard.size());
  for (std::size_t c = 0; c < a.stability->cluster_jaccard.size(); ++c)
    CHECK(same_bits(a.stability->cluster_jaccard[c], b.stability->cluster_jaccard[c]));
}

const RunRecord& run_at(const GridResult& result, const std::string& algorithm, int k) {
  for (const auto& run : result.runs)
    if (run.algorithm == algorithm && run.k == k) return run;
  FAIL("no run " << algorithm << " k=" << k);
  return result.runs.front();
}

}  // namespace

TEST_CASE("stability: hepta's true k is near 1 and above every wrong k, with one Jaccard per cluster",
          "[grid][stability]") {
  Seen seen;
  const auto result = run_grid(hepta_grid(true), seen.hooks(2));
  REQUIRE(result.runs.size() == 15);
  for (const auto& run : result.runs) {
    INFO(run.algorithm << " k=" << run.k << " status " << run.status);
    REQUIRE(run.stability.has_value());
    CHECK(run.stability->resamples == 12);
    CHECK(run.stability->fraction == 0.8);
    CHECK(run.scores.at("stability") == run.stability->ari_mean);
    CHECK(run.scores.at("stability_sd") == run.stability->ari_sd);
    CHECK(run.stability->cluster_jaccard.size() == run.cluster_sizes.size());
    CHECK(seen.finished.at(run.key).stability.has_value());  // handed over with its stability
  }
  for (const char* algorithm : {"kmeans", "hierarchical", "dbscan"}) {
    INFO(algorithm);
    const auto& truth = run_at(result, algorithm, 7);
    CHECK(truth.stability->ari_mean > 0.95);
    for (const double j : truth.stability->cluster_jaccard) CHECK(j > 0.9);
    for (const int k : {4, 5, 6, 8})
      CHECK(run_at(result, algorithm, k).stability->ari_mean < truth.stability->ari_mean);
  }
}

TEST_CASE("stability: the same bits for 1 and 2 threads", "[grid][stability]") {
  Seen one, two;
  const auto a = run_grid(hepta_grid(true), one.hooks(1));
  const auto b = run_grid(hepta_grid(true), two.hooks(2));
  REQUIRE(a.runs.size() == b.runs.size());
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    REQUIRE(a.runs[i].key == b.runs[i].key);
    require_same_stability(a.runs[i], b.runs[i]);
  }
}

TEST_CASE("stability: stored runs get it without a refit, the same as a fresh grid's, and keep their keys",
          "[grid][stability]") {
  Seen plain;
  const auto without = run_grid(hepta_grid(false), plain.hooks(2));
  for (const auto& run : without.runs) REQUIRE_FALSE(run.stability.has_value());

  Seen added;
  auto hooks = added.hooks(2);
  hooks.find_stored = [&](const std::string& key) -> const RunRecord* {
    const auto it = plain.finished.find(key);
    return it == plain.finished.end() ? nullptr : &it->second;
  };
  const auto with = run_grid(hepta_grid(true), hooks);
  CHECK(added.fitted == 0);
  CHECK(added.finished_calls == static_cast<int>(with.runs.size()));  // each handed over again, with its stability

  Seen fresh;
  const auto reference = run_grid(hepta_grid(true), fresh.hooks(1));
  REQUIRE(with.runs.size() == reference.runs.size());
  for (std::size_t i = 0; i < with.runs.size(); ++i) {
    REQUIRE(with.runs[i].key == without.runs[i].key);
    require_same_stability(with.runs[i], reference.runs[i]);
  }

  // Stored with stability: reused as it is.
  Seen again;
  auto reuse = again.hooks(2);
  reuse.find_stored = [&](const std::string& key) -> const RunRecord* {
    const auto it = added.finished.find(key);
    return it == added.finished.end() ? nullptr : &it->second;
  };
  run_grid(hepta_grid(true), reuse);
  CHECK(again.finished_calls == 0);
}
