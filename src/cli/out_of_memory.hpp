#pragma once
// The message for std::bad_alloc: under `ulimit -v` or a container limit the
// process must say it ran out of memory and under which limit, not print
// "std::bad_alloc" or be killed silently.
#include <string>

namespace cb::cli {

/// "out of memory: ... (address-space limit `ulimit -v` N MiB) ..." with
/// what to do; names the limit when one is set.
std::string out_of_memory_message();

}  // namespace cb::cli
