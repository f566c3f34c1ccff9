#pragma once
// Output files of the CLI (CSV exports, HTML report) are written beside their
// destination and renamed into place: a failure or a kill never leaves a
// truncated file that looks complete.
#include <functional>
#include <ostream>
#include <string>

namespace cb::cli {

/// Calls `write` on an in-memory stream, writes it to `path`.tmp-PID, then renames it to `path`. Throws
/// IoError naming `path` and the system's reason when the folder is not writable or a write fails;
/// the temporary file is removed and `path` is left as it was.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace cb::cli
