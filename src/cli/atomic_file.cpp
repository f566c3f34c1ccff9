#include "atomic_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::cli {

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  store::ensure_writable(path);
  const std::string temporary = path + ".tmp";
  try {
    std::ofstream out(temporary, std::ios::binary);
    if (!out) throw IoError(fmt::format("{}: cannot write", path));
    write(out);
    out.close();
    if (!out) throw IoError(fmt::format("{}: cannot write (disk full?)", path));
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) throw IoError(fmt::format("{}: cannot write: {}", path, ec.message()));
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
}

}  // namespace cb::cli
