#include "atomic_file.hpp"

#include <sstream>

#include "clusterbench/store/result_store.hpp"

namespace cb::cli {

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  store::ensure_writable(path);
  // Built in memory, then written with POSIX calls: an ofstream reports a full
  // disk only as a failed stream, without the system's reason.
  std::ostringstream text;
  write(text);
  store::write_bytes_atomically(path, text.view());
}

}  // namespace cb::cli
