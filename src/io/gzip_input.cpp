#include "gzip_input.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::io {

GzFile open_gz(const std::string& path) {
  errno = 0;
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file) {
    if (errno != 0) throw InputError(fmt::format("{}: cannot open file: {}", path, std::strerror(errno)));
    throw InputError(fmt::format("{}: cannot open file", path));
  }
  gzbuffer(file.get(), 1 << 20);
  return file;
}

std::size_t read_gz(gzFile_s* file, char* into, unsigned bytes, const std::string& path) {
  const int got = gzread(file, into, bytes);
  int code = Z_OK;
  const char* message = gzerror(file, &code);
  // zlib flags an input that ends inside the deflate stream or its trailer with
  // Z_BUF_ERROR ("unexpected end of file") yet returns the bytes it could decode.
  if (code == Z_BUF_ERROR)
    throw InputError(fmt::format("{}: truncated: the gzip stream ends before its end marker (file cut short?)", path));
  if (got < 0 || code != Z_OK) {
    if (code == Z_ERRNO) throw InputError(fmt::format("{}: read error: {}", path, std::strerror(errno)));
    throw InputError(fmt::format("{}: read error: {}", path, message));
  }
  return static_cast<std::size_t>(got);
}

}  // namespace cb::io
