#include "clusterbench/store/output_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::store {
namespace fs = std::filesystem;

namespace {

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof(name) - 1) == 0 ? std::string(name) : std::string("unknown host");
}

std::string holder_description(const std::string& lock_path) {
  std::ifstream in(lock_path);
  std::string line;
  std::getline(in, line);
  return line.empty() ? std::string("another process") : line;
}

}  // namespace

OutputLock::OutputLock(const std::string& results_path)
    : results_path_(results_path), lock_path_(results_path + ".lock") {
  const fs::path parent = fs::path(results_path).parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(fmt::format("{}: cannot create lock file: {}", lock_path_, std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int reason = errno;
    ::close(fd_);
    fd_ = -1;
    if (reason == EWOULDBLOCK)
      throw OutputBusy(fmt::format("{}: in use by {}; wait for it to finish or stop it, then run again", results_path,
                                   holder_description(lock_path_)));
    throw IoError(fmt::format("{}: cannot lock: {}", lock_path_, std::strerror(reason)));
  }
  char when[32] = {};
  const std::time_t now = std::time(nullptr);
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  const std::string holder = fmt::format("process {} on {} (since {})\n", ::getpid(), host_name(), when);
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const auto written = ::pwrite(fd_, holder.data(), holder.size(), 0);
  }
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  // The lock file stays (removing it would race with a process waiting to lock it); only the lock goes.
  if (::ftruncate(fd_, 0) != 0) { /* the holder line is informative only */
  }
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

void OutputLock::remove_stale_temporaries() const {
  const fs::path results(results_path_);
  const fs::path folder = results.has_parent_path() ? results.parent_path() : fs::path(".");
  const std::string prefix = results.filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove(entry.path(), ec);
  const fs::path journal = results_path_ + ".journal";
  for (const auto& entry : fs::directory_iterator(journal, ec))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(entry.path(), ec);
}

}  // namespace cb::store
