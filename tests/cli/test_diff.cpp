#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace cb;

namespace {
std::string config(const std::string& dir, const std::string& name, int seed, const std::string& k) {
  return test::write_file(dir, name + ".yaml", "name: " + name + "\nseed: " + std::to_string(seed) + "\noutput: " + dir + "/" +
                                                   name + ".h5\ndataset:\n  type: benchmark\n  path: " CB_SOURCE_DIR "/data/benchmarks/fcps-hepta.data.gz\n"
                                                   "algorithms:\n  - name: kmeans\n    k: " + k + "\n    params: {n_init: 1}\n");
}
}  // namespace

TEST_CASE("diff matches runs by identity and reports presence, ranks and deltas", "[cli][diff]") {
  const auto dir = test::temp_dir("diff");
  REQUIRE(test::clusterbench("run -q " + config(dir, "a", 1, "[2, 4]")).first == 0);
  REQUIRE(test::clusterbench("run -q " + config(dir, "b", 1, "[3, 5]")).first == 0);
  const auto [code, out] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/b.h5 --format csv");
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("raw,kmeans,2,") != std::string::npos);
  REQUIRE(out.find(",only_a") != std::string::npos);
  REQUIRE(out.find(",only_b") != std::string::npos);
  // Same seed, same data, same k: the shared runs have identical labels and zero delta.
  REQUIRE(out.find("+0.0000,same,both") != std::string::npos);
  const auto [code2, same] = test::clusterbench("diff " + dir + "/a.h5 " + dir + "/a.h5 --changed");
  REQUIRE(code2 == 0);
  REQUIRE(same.find("(no differences)") != std::string::npos);
}
