#pragma once
// Reading plain or gzip files through zlib's gz* layer, which on its own
// reports a .gz cut short (before its trailer, or mid-stream) as a normal end
// of file and hands over a partial last block: the readers would then parse a
// shortened value or a short row without saying the file is incomplete.
#include <zlib.h>

#include <cstddef>
#include <memory>
#include <string>

namespace cb::io {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

/// Opens `path` (plain or gzip, detected from content). Throws InputError
/// "PATH: cannot open file: REASON".
GzFile open_gz(const std::string& path);

/// Reads up to `bytes` bytes; 0 only at the real end of the data. Throws
/// InputError "PATH: truncated: ..." when a gzip stream ends before its
/// trailer, and "PATH: read error: ..." for corrupt data or I/O failures.
std::size_t read_gz(gzFile_s* file, char* into, unsigned bytes, const std::string& path);

}  // namespace cb::io
