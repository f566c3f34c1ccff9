// Whole-file writes beside the destination, renamed into place: a reader never
// sees half a file, and a failed write names the system's reason and leaves
// no temporary file behind.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::store {
namespace {

/// Writes all bytes to a fresh file; throws IoError with the system's reason.
void write_bytes(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int reason = n < 0 ? errno : ENOSPC;
      ::close(fd);
      throw IoError(
          fmt::format("{}: write failed after {} of {} bytes: {}", path, done, bytes.size(), std::strerror(reason)));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int reason = errno;
    ::close(fd);
    throw IoError(fmt::format("{}: write failed: {}", path, std::strerror(reason)));
  }
  if (::close(fd) != 0) throw IoError(fmt::format("{}: write failed: {}", path, std::strerror(errno)));
}

}  // namespace

void write_bytes_atomically(const std::string& path, std::string_view bytes) {
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  std::error_code ec;
  try {
    write_bytes(temp, bytes);
    std::filesystem::rename(temp, path, ec);
    if (ec) throw IoError(fmt::format("{}: cannot rename {} into place: {}", path, temp, ec.message()));
  } catch (...) {
    std::filesystem::remove(temp, ec);
    throw;
  }
}

}  // namespace cb::store
