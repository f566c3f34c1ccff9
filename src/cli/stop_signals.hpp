#pragma once
// SIGINT and SIGTERM ask a running grid to stop: the first sets a flag (no new
// work starts, kernels stop at their next chunk, what finished is kept); a
// second one ends the process at once.
#include <atomic>

namespace cb::cli {

class StopSignals {
 public:
  StopSignals();   ///< installs the handlers
  ~StopSignals();  ///< restores the previous ones
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  const std::atomic<bool>* flag() const;
  /// The signal that asked to stop, 0 if none.
  int signal() const;
};

}  // namespace cb::cli
