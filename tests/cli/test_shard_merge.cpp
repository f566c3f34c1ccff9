// `run --shard i/N` splits a grid over independent processes (or machines);
// `merge` joins the parts into the store a single run writes. Checked: the
// merged store equals the single run's (timings aside) for whole-space and
// family-split shardings, in any order of parts; a missing part, a part of
// another config or of other data is refused with nothing written.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_support.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

const char* const kGrid = R"(seed: 11
threads: 2
spaces:
  - raw
  - {name: pca, params: {n_components: 2}}
algorithms:
  - {name: kmeans, k: [2, 6], params: {n_init: 3}}
  - {name: gmm, k: [2, 6]}
  - {name: hierarchical, k: [2, 6], params: {linkage: ward}}
  - {name: dbscan, k: [2, 6], params: {min_samples: 4}}
)";

void require_equal_stores(const std::string& a, const std::string& b) {
  const auto [rc, out] = test::run_command(std::string(CB_PYTHON) + " '" + CB_SOURCE_DIR +
                                           "/tests/python/compare_stores.py' " + a + " " + b);
  INFO(out);
  REQUIRE(rc == 0);
}

std::string run_ok(const std::string& args) {
  const auto [code, out] = test::clusterbench(args);
  INFO(args << "\n" << out);
  REQUIRE(code == 0);
  return out;
}

/// Counts the runs in a store (h5py: what users would see).
int stored_runs(const std::string& path) {
  const auto [rc, out] = test::run_command(std::string(CB_PYTHON) +
                                           " -c \"import h5py,sys; f=h5py.File(sys.argv[1]); "
                                           "print(len(f['runs/key']), f.attrs['shard'])\" " +
                                           path);
  REQUIRE(rc == 0);
  return std::stoi(out);
}

}  // namespace

TEST_CASE("shards merged in any order equal a single run's store", "[cli][shard]") {
  const auto dir = test::temp_dir("shard-merge");
  const auto config = test::iris_grid(dir, "grid.yaml", kGrid);
  run_ok("run -q " + config + " -o " + dir + "/single.h5");

  SECTION("two shards: one space each") {
    const auto out1 = run_ok("run -q " + config + " --shard 1/2 -o " + dir + "/part1.h5");
    CHECK(out1.find("20 runs (shard 1/2)") != std::string::npos);
    run_ok("run -q " + config + " --shard 2/2 -o " + dir + "/part2.h5");
    CHECK(stored_runs(dir + "/part1.h5") == 20);
    run_ok("merge -q " + dir + "/merged.h5 " + dir + "/part2.h5 " + dir + "/part1.h5");
    require_equal_stores(dir + "/single.h5", dir + "/merged.h5");
  }
  SECTION("three shards: families split across parts, spaces computed where needed") {
    for (int i = 1; i <= 3; ++i)
      run_ok("run -q " + config + " --shard " + std::to_string(i) + "/3 -o " + dir + "/p" + std::to_string(i) + ".h5");
    const auto out = run_ok("merge " + dir + "/merged.h5 " + dir + "/p1.h5 " + dir + "/p2.h5 " + dir + "/p3.h5");
    CHECK(out.find("40 runs (0 computed, 40 reused, 0 failed)") != std::string::npos);
    require_equal_stores(dir + "/single.h5", dir + "/merged.h5");
    // A shard rerun on a finished part changes nothing.
    const auto again = run_ok("run -q " + config + " --shard 2/3 -o " + dir + "/p2.h5");
    CHECK(again.find("already up to date") != std::string::npos);
  }
}

TEST_CASE("merge refuses a missing part, another config's part or other data, writing nothing", "[cli][shard]") {
  const auto dir = test::temp_dir("shard-refuse");
  std::string csv = "id,a,b\n";
  for (int i = 0; i < 60; ++i)
    csv += std::to_string(i) + "," + std::to_string((i % 3) * 10 + (i * 7) % 5) + "," + std::to_string((i * 13) % 11) +
           "\n";
  const auto data = test::write_file(dir, "points.csv", csv);
  const auto config =
      test::write_file(dir, "grid.yaml", "dataset: {type: features, path: " + data + ", id_column: id}\n" + kGrid);
  run_ok("run -q " + config + " --shard 1/2 -o " + dir + "/part1.h5");

  SECTION("a missing part") {
    const auto [code, out] = test::clusterbench("merge -q " + dir + "/merged.h5 " + dir + "/part1.h5");
    CHECK(code == 1);
    CHECK(out.find("20 of 40 runs are in none of the parts") != std::string::npos);
    CHECK(out.find("--shard i/N") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/merged.h5"));
  }
  SECTION("a part of another config") {
    const auto other = test::write_file(
        dir, "other.yaml",
        "dataset: {type: features, path: " + data + ", id_column: id}\nseed: 12\n" + std::string(kGrid).substr(9));
    run_ok("run -q " + other + " --shard 2/2 -o " + dir + "/part2.h5");
    const auto [code, out] =
        test::clusterbench("merge -q " + dir + "/merged.h5 " + dir + "/part1.h5 " + dir + "/part2.h5");
    CHECK(code == 1);
    CHECK(out.find(dir + "/part2.h5: made from a different config") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/merged.h5"));
  }
  SECTION("a part of other data") {
    test::write_file(dir, "points.csv", csv + "60,1,1\n");
    run_ok("run -q " + config + " --shard 2/2 -o " + dir + "/part2.h5");
    const auto [code, out] =
        test::clusterbench("merge -q " + dir + "/merged.h5 " + dir + "/part1.h5 " + dir + "/part2.h5");
    CHECK(code == 1);
    CHECK(out.find(dir + "/part1.h5: made from different data") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/merged.h5"));
  }
}

TEST_CASE("run --shard takes i/N with 1 <= i <= N", "[cli][shard]") {
  const auto dir = test::temp_dir("shard-args");
  const auto config = test::iris_grid(dir, "grid.yaml", kGrid);
  for (const char* bad : {"0/2", "3/2", "2", "a/b", "1/0", "1/2x"}) {
    const auto [code, out] = test::clusterbench("run -q " + config + " --shard " + bad + " -o " + dir + "/x.h5");
    INFO(bad << ": " << out);
    CHECK(code == 1);
    CHECK(out.find("--shard '" + std::string(bad) + "'") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/x.h5"));
  }
}
