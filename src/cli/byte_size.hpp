#pragma once
// `--memory` values: "8G", "512MiB", "1.5g", "3000M", or "40%" of physical memory.
#include <string>

namespace cb::cli {

/// Bytes named by `text`; throws InputError naming `option` and the accepted forms.
double parse_byte_size(const std::string& text, const std::string& option);

}  // namespace cb::cli
