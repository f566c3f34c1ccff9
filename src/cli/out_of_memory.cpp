#include "out_of_memory.hpp"

#include <sys/resource.h>

#include <fmt/format.h>

namespace cb::cli {

std::string out_of_memory_message() {
  std::string limit;
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    limit = fmt::format(" under the address-space limit of {} MiB (ulimit -v)", as.rlim_cur >> 20);
  return fmt::format(
      "out of memory: an allocation failed{}; finished runs are kept in the journal. Raise the limit, "
      "or lower the work per step (--memory runs spaces one at a time, scoring.exact_up_to samples "
      "silhouettes), then run the same command again",
      limit);
}

}  // namespace cb::cli
