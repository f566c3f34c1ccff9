// The store invariants (DESIGN.md §5), each tried the way users break them:
// a rerun of a finished grid, kill -9 at many points of a grid's life, a
// second process on the same output, Ctrl-C / SIGTERM, and a full disk. After
// each, the store must equal a clean run's (timings aside).
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_support.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

/// A grid with every phase worth interrupting: three spaces (one an embedding
/// that takes a while), four algorithms × 10 k, one-pass scoring, a final write.
std::string lifecycle_config(const std::string& dir) {
  return test::write_file(dir, "grid.yaml", R"(name: lifecycle
seed: 5
threads: 2
output: )" + dir + R"(/out.h5
dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/sipu-s1.data.gz
  labels: )" CB_SOURCE_DIR R"(/data/benchmarks/sipu-s1.labels0.gz
spaces:
  - raw
  - {name: pca, params: {n_components: 2}}
  - {name: tsne, params: {n_iter: 300}}
algorithms:
  - {name: kmeans, k: [2, 11], params: {n_init: 3}}
  - {name: gmm, k: [2, 11]}
  - {name: hierarchical, k: [2, 11], params: {linkage: ward}}
  - {name: dbscan, k: [2, 11], params: {min_samples: 5}}
)");
}

std::string command_in_background(const std::string& config, const std::string& log, const std::string& extra = "") {
  return std::string("cd '") + CB_SOURCE_DIR + "' && exec '" + CB_EXECUTABLE + "' run -q " + config + " " + extra +
         " > " + log + " 2>&1 & echo $!";
}

int start(const std::string& config, const std::string& log, const std::string& extra = "") {
  const auto [rc, pid] = test::run_command(command_in_background(config, log, extra));
  REQUIRE(rc == 0);
  return std::stoi(pid);
}

/// Waits for a child started with `start` (it is not our child: poll /proc).
void wait_gone(int pid) {
  for (int i = 0; i < 3000 && fs::exists("/proc/" + std::to_string(pid)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Runs the config to the end in `dir` and returns the seconds it took.
double clean_run(const std::string& config) {
  const auto t0 = Clock::now();
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void require_equal_stores(const std::string& a, const std::string& b) {
  const auto [rc, out] = test::run_command(std::string(CB_PYTHON) + " '" + CB_SOURCE_DIR +
                                           "/tests/python/compare_stores.py' " + a + " " + b);
  INFO(out);
  REQUIRE(rc == 0);
}

bool stray_temporaries(const std::string& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("rerunning a finished grid leaves its file unchanged, byte for byte", "[cli][store][resume]") {
  const auto dir = test::temp_dir("rerun-unchanged");
  const auto config = lifecycle_config(dir);
  clean_run(config);
  fs::copy_file(dir + "/out.h5", dir + "/first.h5");
  const auto [code, out] = test::clusterbench("run -q " + config);
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("(0 computed, 120 reused, 0 failed)") != std::string::npos);
  REQUIRE(read_text(dir + "/out.h5") == read_text(dir + "/first.h5"));
  const auto [h5diff, diff_out] = test::run_command("h5diff " + dir + "/first.h5 " + dir + "/out.h5");
  INFO(diff_out);
  REQUIRE(h5diff == 0);
  // Every space keeps its points and model arrays; every seed is its family's (no clamped INT64_MAX).
  const auto [rc, check] =
      test::run_command(std::string(CB_PYTHON) + " -c \"import h5py, numpy as np; f = h5py.File('" + dir +
                        "/out.h5'); print(min(f['spaces'][s]['points'].shape[0] for s in f['spaces'])," +
                        " 'components' in f['spaces/pca'], int((f['runs/seed'][:] == 2**63 - 1).sum()))\"");
  INFO(check);
  REQUIRE(rc == 0);
  REQUIRE(check.find("5000 True 0") != std::string::npos);
}

/// Journal entries written so far (spaces, fits, scored runs).
int journal_entries(const std::string& dir) {
  int count = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir + "/out.h5.journal", ec)) count += e.path().extension() == ".cbor";
  return count;
}

TEST_CASE("kill -9 at many points of a grid's life, then a rerun, gives the clean run's store",
          "[cli][store][resume][slow]") {
  const auto clean_dir = test::temp_dir("kill-clean");
  clean_run(lifecycle_config(clean_dir));
  // Kill points by progress, not by time (a loaded machine moves the timings): while loading (0), after the
  // first space (1), during fits and scoring (a run's scored entry replaces its fit entry: 123 = 3 spaces +
  // 120 runs), and last, during the final write (when its temporary file appears).
  const std::vector<int> targets{0, 1, 3, 10, 25, 45, 65, 85, 100, 115, 123, -1};
  int killed_mid_grid = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto dir = test::temp_dir("kill-" + std::to_string(i));
    const auto config = lifecycle_config(dir);
    const int pid = start(config, dir + "/log.txt");
    const std::string proc = "/proc/" + std::to_string(pid);
    const std::string temporary = dir + "/out.h5.tmp-" + std::to_string(pid);
    while (fs::exists(proc) && (targets[i] >= 0 ? journal_entries(dir) < targets[i] : !fs::exists(temporary)))
      std::this_thread::sleep_for(std::chrono::microseconds(targets[i] >= 0 ? 2000 : 200));
    test::run_command("kill -9 " + std::to_string(pid));
    wait_gone(pid);
    if (!fs::exists(dir + "/out.h5")) ++killed_mid_grid;
    else require_equal_stores(clean_dir + "/out.h5", dir + "/out.h5");  // a file that exists is whole and readable
    const auto [code, out] = test::clusterbench("run -q " + config);
    INFO("killed at " << targets[i] << " journal entries: " << out);
    REQUIRE(code == 0);
    REQUIRE(out.find("120 runs") != std::string::npos);
    REQUIRE_FALSE(fs::exists(dir + "/out.h5.journal"));
    REQUIRE_FALSE(stray_temporaries(dir));
    require_equal_stores(clean_dir + "/out.h5", dir + "/out.h5");
  }
  REQUIRE(killed_mid_grid >= 10);  // the kills did land inside the grid, not after it
}

TEST_CASE("a second run on the same output is refused at once, naming the holder", "[cli][store][lock]") {
  const auto dir = test::temp_dir("second-process");
  const auto config = lifecycle_config(dir);
  const int pid = start(config, dir + "/first.txt");
  // Wait until the first holds the lock (it writes its name into the lock file).
  for (int i = 0; i < 500 && read_text(dir + "/out.h5.lock").empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto t0 = Clock::now();
  const auto [code, out] = test::clusterbench("run -q " + config);
  const double waited = std::chrono::duration<double>(Clock::now() - t0).count();
  INFO(out);
  REQUIRE(code == 5);
  REQUIRE(out.find("in use by process " + std::to_string(pid)) != std::string::npos);
  REQUIRE(waited < 5.0);
  wait_gone(pid);
  const auto clean_dir = test::temp_dir("second-process-clean");
  clean_run(lifecycle_config(clean_dir));
  require_equal_stores(clean_dir + "/out.h5", dir + "/out.h5");
}

TEST_CASE("SIGINT and SIGTERM stop the grid with 130 / 143, keep what finished, and a rerun completes it",
          "[cli][store][signals]") {
  const auto clean_dir = test::temp_dir("signal-clean");
  const double seconds = clean_run(lifecycle_config(clean_dir));
  for (const auto& [signal, expected] : {std::pair<std::string, int>{"INT", 130}, {"TERM", 143}}) {
    const auto dir = test::temp_dir("signal-" + signal);
    const auto config = lifecycle_config(dir);
    // `wait` in the same shell gives the exit code of a background child.
    const std::string script = std::string("cd '") + CB_SOURCE_DIR + "' && { '" + CB_EXECUTABLE + "' run -q " + config +
                               " > " + dir + "/log.txt 2>&1 & pid=$!; sleep " + std::to_string(seconds * 0.5) +
                               "; kill -" + signal + " $pid; wait $pid; echo exit=$?; }";
    const auto [rc, out] = test::run_command(script);
    const std::string log = read_text(dir + "/log.txt");
    INFO(out << log);
    REQUIRE(out.find("exit=" + std::to_string(expected)) != std::string::npos);
    REQUIRE(log.find("run the same command again to continue") != std::string::npos);
    REQUIRE(log.find("runs are done and kept") != std::string::npos);
    REQUIRE_FALSE(fs::exists(dir + "/out.h5"));  // the file is only ever written whole
    const auto [code, rerun] = test::clusterbench("run -q " + config);
    INFO(rerun);
    REQUIRE(code == 0);
    require_equal_stores(clean_dir + "/out.h5", dir + "/out.h5");
  }
}

TEST_CASE("a full disk names the system's reason, leaves no temporary file and loses nothing",
          "[cli][store][bad-input]") {
  const auto dir = test::temp_dir("full-disk");
  const auto config = lifecycle_config(dir);
  // ulimit -f: writes beyond 1000 KiB fail with EFBIG, as on a full disk.
  const auto [code, out] = test::run_command(std::string("cd '") + CB_SOURCE_DIR + "' && (ulimit -f 1000; exec '" +
                                             CB_EXECUTABLE + "' run -q " + config + ")");
  INFO(out);
  REQUIRE(code == 4);
  REQUIRE(out.find("File too large") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir + "/out.h5"));
  REQUIRE_FALSE(stray_temporaries(dir));
  // With room again, the rerun reuses every journaled run and gives the clean store.
  const auto [code2, out2] = test::clusterbench("run -q " + config);
  INFO(out2);
  REQUIRE(code2 == 0);
  REQUIRE(out2.find("(0 computed, 120 reused") != std::string::npos);
  const auto clean_dir = test::temp_dir("full-disk-clean");
  clean_run(lifecycle_config(clean_dir));
  require_equal_stores(clean_dir + "/out.h5", dir + "/out.h5");
}
