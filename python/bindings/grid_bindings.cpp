// `clusterbench.run`: the CLI's grid session in-process (same resume, journal,
// lock and write policy). The GIL is released for the whole run; Ctrl-C asks
// the grid to stop at its next chunk (what finished stays in the journal) and
// then raises KeyboardInterrupt.
#include <pybind11/stl.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "bindings.hpp"
#include "clusterbench/grid/session.hpp"
#include "clusterbench_git_commit.hpp"  // generated at build time: CB_GIT_COMMIT

namespace cb::python {
namespace {

std::atomic<bool> g_stop{false};  // a signal handler can only reach process-wide state

void on_interrupt(int) {
  g_stop.store(true);
  constexpr char message[] = "\nstopping: finishing the work in flight and keeping what is done\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof(message) - 1);
}

/// SIGINT sets g_stop while a grid runs; Python's own handler is back afterwards.
class InterruptScope {
 public:
  InterruptScope() {
    g_stop.store(false);
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptScope() { sigaction(SIGINT, &previous_, nullptr); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction previous_;
};

/// `config` is a YAML file's path, or (from_text) the config itself (JSON is YAML).
py::dict run_grid(const std::string& config, bool from_text, const std::string& output, int threads, bool progress,
                  double memory_budget_bytes) {
  auto parsed = from_text ? grid::parse_config(config, "<config dict>") : grid::load_config(config);
  grid::SessionOptions options;
  options.output = output;
  options.threads = threads;
  options.progress = progress;
  options.memory_budget_bytes = memory_budget_bytes;
  options.stop = &g_stop;
  options.program_version = CB_VERSION;
  options.git_commit = CB_GIT_COMMIT;
  grid::SessionOutcome outcome;
  {
    py::gil_scoped_release unlocked;
    const InterruptScope interrupts;
    outcome = grid::run_session(std::move(parsed), options);
  }
  if (outcome.interrupted) {
    PyErr_SetString(PyExc_KeyboardInterrupt,
                    "grid stopped; finished runs are kept in the journal, run again to resume");
    throw py::error_already_set();
  }
  std::size_t failed = 0;
  for (const auto& run : outcome.result.runs) failed += run.status == "failed";
  py::dict out;
  out["output"] = outcome.output;
  out["planned"] = outcome.planned;
  out["computed"] = outcome.computed;
  out["reused"] = outcome.reused;
  out["failed"] = failed;
  out["written"] = outcome.written;
  out["moved_previous"] = outcome.moved_previous;
  return out;
}

}  // namespace

void bind_grid(py::module_& m) {
  m.def("run_grid", &run_grid, py::arg("config"), py::arg("from_text"), py::arg("output") = "", py::arg("threads") = -1,
        py::arg("progress") = true, py::arg("memory_budget_bytes") = 0.0,
        "Runs a grid into its results file (resumes); returns counts of planned, computed, reused and failed runs");
  m.attr("__version__") = CB_VERSION;
  m.attr("git_commit") = CB_GIT_COMMIT;
}

}  // namespace cb::python
