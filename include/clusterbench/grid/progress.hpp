#pragma once
// Progress and ETA of a grid on stderr, only when stderr is a terminal.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>

namespace cb::grid {

class Progress {
 public:
  Progress(std::size_t total, bool enabled);
  void finished(bool failed);  ///< a run was computed
  void skipped();              ///< a run was already stored
  void done();                 ///< ends the progress line

 private:
  void draw();
  std::size_t total_;
  bool enabled_;
  std::atomic<std::size_t> computed_{0}, skipped_{0}, failed_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

}  // namespace cb::grid
