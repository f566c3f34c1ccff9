// `clusterbench plan`: the steps, estimates and schedule of a grid without
// running it. Checked: the estimated peak memory of the grid-at-scale grid at
// 20,000 customers is within 2× of the peak a run measures; what plan says
// is approximated is what run records; a memory budget that holds one space
// at a time serialises the spaces and changes no result.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

nlohmann::json plan_json(const std::string& args) {
  const auto [code, out] = test::clusterbench("plan --format json " + args);
  INFO(out);
  REQUIRE(code == 0);
  return nlohmann::json::parse(out);
}

/// Peak resident memory (bytes) of one clusterbench run, measured by a fresh Python parent.
double measured_peak_bytes(const std::string& args) {
  const std::string script =
      "import resource,subprocess,sys; r=subprocess.run(sys.argv[1:]); "
      "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)";
  const auto [rc, out] = test::run_command(std::string("cd '") + CB_SOURCE_DIR + "' && " + CB_PYTHON + " -c '" +
                                           script + "' '" + CB_EXECUTABLE + "' " + args);
  INFO(out);
  REQUIRE(rc == 0);
  std::istringstream in(
      out.substr(out.rfind('\n', out.size() - 2) + 1));  // the last line; the run's summary precedes it
  int code = -1;
  double kib = 0;
  in >> code >> kib;
  REQUIRE(code == 0);
  return kib * 1024.0;
}

const char* const kSmallGrid = R"(seed: 3
spaces:
  - raw
  - {name: pca, params: {n_components: 2}}
  - {name: tsne, params: {n_iter: 250}}
algorithms:
  - {name: kmeans, k: [2, 5], params: {n_init: 2}}
  - {name: hierarchical, k: [2, 5]}
)";

}  // namespace

TEST_CASE("plan's peak memory is within 2x of the measured peak at 20,000 customers", "[cli][plan][slow]") {
  const auto dir = test::temp_dir("plan-20k");
  const auto [rc, out] =
      test::run_command(std::string("cd '") + CB_SOURCE_DIR + "' && " + CB_PYTHON +
                        " experiments/grid_at_scale/customers.py 20000 1 " + dir + "/customers.csv && sed 's|@CSV@|" +
                        dir + "/customers.csv|' experiments/grid_at_scale/grid.yaml.in > " + dir + "/grid.yaml");
  INFO(out);
  REQUIRE(rc == 0);
  const auto plan = plan_json(dir + "/grid.yaml -t 2");
  CHECK(plan["points"] == 20000);
  CHECK(plan["runs"] == 160);
  CHECK(plan["approximations"].empty());  // 20,000 <= scoring.exact_up_to
  const double estimated = plan["peak_bytes"].get<double>();
  const double measured = measured_peak_bytes("run -q " + dir + "/grid.yaml -t 2 -o " + dir + "/out.h5");
  INFO("estimated " << estimated / 1048576 << " MiB, measured " << measured / 1048576 << " MiB");
  CHECK(estimated <= 2 * measured);
  CHECK(measured <= 2 * estimated);
}

TEST_CASE("plan names the approximations run records above the exact budget", "[cli][plan]") {
  const auto dir = test::temp_dir("plan-approx");
  const auto config = test::write_file(dir, "grid.yaml", std::string(R"(dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/sipu-s1.data.gz
scoring:
  exact_up_to: 1000
  silhouette_sample: 600
  trustworthiness_sample: 500
)") + kSmallGrid);
  const auto plan = plan_json(config);
  REQUIRE(plan["points"] == 5000);
  std::size_t sampled_scores = 0;
  for (const auto& step : plan["steps"])
    if (step["kind"] == "score") {
      CHECK(step["approximated"] == true);
      CHECK(step["method"].get<std::string>().find("sampled (600 points") == 0);
      ++sampled_scores;
    }
  CHECK(sampled_scores == 3);
  const auto [code, out] = test::clusterbench("run -q " + config + " -o " + dir + "/out.h5");
  INFO(out);
  REQUIRE(code == 0);
  const auto [rc, sample] = test::run_command(std::string(CB_PYTHON) +
                                              " -c \"import h5py,sys,numpy as np; f=h5py.File(sys.argv[1]); "
                                              "print(int(np.nanmax(f['runs/silhouette_sample'][:])))\" " +
                                              dir + "/out.h5");
  INFO(sample);
  REQUIRE(rc == 0);
  CHECK(std::stoi(sample) == 600);
}

TEST_CASE("a memory budget that holds one space at a time runs them in turn with the same results", "[cli][plan]") {
  const auto dir = test::temp_dir("plan-budget");
  const auto config = test::iris_grid(dir, "grid.yaml", kSmallGrid);
  const auto roomy = plan_json(config + " -t 2");
  CHECK(roomy["waves"].size() == 1);
  CHECK(roomy["waves"][0][0] == "tsne");  // largest first
  const auto tight = plan_json(config + " -t 2 --memory 1K");
  CHECK(tight["waves"].size() == 3);
  const auto [table_code, table] = test::clusterbench("plan " + config + " --memory 1K");
  CHECK(table_code == 0);
  CHECK(table.find("warning: the largest step alone exceeds the memory budget") != std::string::npos);

  for (const char* memory : {"", "--memory 1K"}) {
    const auto out_file = dir + (std::string(memory).empty() ? "/roomy.h5" : "/tight.h5");
    const auto [code, out] = test::clusterbench("run -q -t 2 " + config + " " + memory + " -o " + out_file);
    INFO(out);
    REQUIRE(code == 0);
  }
  const auto [rc, out] =
      test::run_command(std::string(CB_PYTHON) + " '" + CB_SOURCE_DIR + "/tests/python/compare_stores.py' " + dir +
                        "/roomy.h5 " + dir + "/tight.h5");
  INFO(out);
  CHECK(rc == 0);

  for (const char* bad : {"8", "-1G", "0M", "12X", "150%"}) {
    const auto [code, message] = test::clusterbench("plan " + config + " --memory " + bad);
    INFO(bad << ": " << message);
    CHECK(code == 1);
    CHECK(message.find("--memory '" + std::string(bad) + "'") != std::string::npos);
  }
}
