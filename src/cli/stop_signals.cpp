#include "stop_signals.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace cb::cli {
namespace {

// A signal handler can only reach process-wide state.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
struct sigaction g_previous_int, g_previous_term;

void on_stop_signal(int signo) {
  g_signal.store(signo);
  g_stop.store(true);
  constexpr char message[] =
      "\nstopping: finishing the work in flight and keeping what is done (again to quit at once)\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof(message) - 1);
}

}  // namespace

StopSignals::StopSignals() {
  static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal takes the default action: the process ends
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

const std::atomic<bool>* StopSignals::flag() const { return &g_stop; }

int StopSignals::signal() const { return g_signal.load(); }

}  // namespace cb::cli
