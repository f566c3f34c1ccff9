// `clusterbench run` under mpirun: ranks split the grid, rank 0 writes the one
// file, and the result is the same, bit for bit, whatever the rank count.
#ifdef CB_MPIEXEC
#include <catch2/catch.hpp>

#include <filesystem>

#include <algorithm>
#include <cstring>
#include <map>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;

namespace {

std::pair<int, std::string> mpirun(int ranks, const std::string& args) {
  return test::run_command(std::string("cd '") + CB_SOURCE_DIR + "' && '" + CB_MPIEXEC +
                           "' --allow-run-as-root --oversubscribe -n " + std::to_string(ranks) + " '" + CB_EXECUTABLE +
                           "' " + args);
}

std::string config(const std::string& dir, const std::string& algorithms) {
  return test::iris_grid(dir, "grid-" + std::to_string(std::hash<std::string>{}(algorithms)) + ".yaml",
                         "name: mpi\nseed: 3\nspaces: [raw, pca]\nalgorithms:\n" + algorithms);
}

const std::string kAll = R"(  - {name: kmeans, k: [2, 5]}
  - {name: gmm, k: [2, 5]}
  - {name: hierarchical, k: [2, 5]}
  - {name: dbscan, k: [2, 5]}
)";

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void require_identical(const records::GridResult& a, const records::GridResult& b) {
  REQUIRE(a.runs.size() == b.runs.size());
  std::map<std::string, const records::RunRecord*> by_key;
  for (const auto& run : b.runs) by_key[run.key] = &run;
  for (const auto& run : a.runs) {
    INFO(run.key << " " << run.algorithm << " k=" << run.k << " " << run.space);
    REQUIRE(by_key.count(run.key));
    const auto& other = *by_key[run.key];
    REQUIRE(run.status == other.status);
    REQUIRE(run.labels == other.labels);
    REQUIRE(run.scores.size() == other.scores.size());
    for (const auto& [name, value] : run.scores) REQUIRE(same_bits(value, other.scores.at(name)));
  }
  REQUIRE(a.spaces.size() == b.spaces.size());
  for (std::size_t s = 0; s < a.spaces.size(); ++s) {
    REQUIRE(a.spaces[s].label == b.spaces[s].label);
    REQUIRE(a.spaces[s].points == b.spaces[s].points);
  }
}

}  // namespace

TEST_CASE("a grid under mpirun on 2 and 3 ranks equals the one-process grid bit for bit", "[cli][mpi]") {
  const auto dir = test::temp_dir("mpi");
  const auto grid = config(dir, kAll);
  REQUIRE(test::clusterbench("run -q " + grid + " -o " + dir + "/one.h5").first == 0);
  const auto one = store::read_results(dir + "/one.h5");
  REQUIRE(one.runs.size() == 32);
  // 2 ranks: a space per rank; 3 ranks (more ranks than spaces): families round-robin.
  for (const int ranks : {2, 3}) {
    const auto out = dir + "/ranks" + std::to_string(ranks) + ".h5";
    const auto [code, text] = mpirun(ranks, "run -q " + grid + " -o " + out);
    INFO(text);
    REQUIRE(code == 0);
    REQUIRE(text.find("32 runs (32 computed, 0 reused, 0 failed)") != std::string::npos);
    REQUIRE(text.find("x " + std::to_string(ranks) + " MPI ranks") != std::string::npos);
    REQUIRE_FALSE(std::filesystem::exists(out + ".journal"));
    require_identical(one, store::read_results(out));
  }
}

TEST_CASE("under mpirun a grown grid reuses the stored runs and bad input fails on every rank", "[cli][mpi]") {
  const auto dir = test::temp_dir("mpi_resume");
  const auto out = dir + "/out.h5";
  REQUIRE(test::clusterbench("run -q " + config(dir, "  - {name: kmeans, k: [2, 5]}\n") + " -o " + out).first == 0);
  const auto [code, text] = mpirun(2, "run -q " + config(dir, kAll) + " -o " + out);
  INFO(text);
  REQUIRE(code == 0);
  REQUIRE(text.find("32 runs (24 computed, 8 reused, 0 failed)") != std::string::npos);
  REQUIRE(test::clusterbench("run -q " + config(dir, kAll) + " -o " + dir + "/one.h5").first == 0);
  require_identical(store::read_results(dir + "/one.h5"), store::read_results(out));

  const auto bad = test::write_file(dir, "bad.yaml", "name: bad\nsed: 3\n");
  const auto [bad_code, bad_text] = mpirun(2, "run -q " + bad);
  INFO(bad_text);
  REQUIRE(bad_code == 1);
  REQUIRE(bad_text.find("sed") != std::string::npos);
}
#endif
