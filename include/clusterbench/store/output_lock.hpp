#pragma once
// One process at a time per results file: an advisory lock (flock) on
// `<results>.lock`, held for as long as the grid runs. The lock file names its
// holder (process id, host, start time) so the one refused can say who holds it.
// The kernel releases the lock when the holder dies, even by kill -9, so a
// stale lock never blocks a resume.
#include <string>

namespace cb::store {

class OutputLock {
 public:
  /// Takes the lock or throws OutputBusy naming the holder; IoError when the
  /// lock file cannot be created.
  explicit OutputLock(const std::string& results_path);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

  /// Removes temporary files that a killed writer of this output left behind
  /// (`<results>.tmp-*`, `<results>.journal/*.tmp-*`). Safe only under the lock.
  void remove_stale_temporaries() const;

 private:
  std::string results_path_;
  std::string lock_path_;
  int fd_ = -1;
};

}  // namespace cb::store
