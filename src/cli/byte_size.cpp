#include "byte_size.hpp"

#include <cctype>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/cost_model.hpp"

namespace cb::cli {

double parse_byte_size(const std::string& text, const std::string& option) {
  const auto fail = [&] {
    return InputError(
        fmt::format("{} '{}': expected a size such as 8G, 512M, 1.5GiB or a share of physical memory "
                    "such as 40%",
                    option, text));
  };
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::logic_error&) {
    throw fail();
  }
  if (!std::isfinite(value) || value <= 0) throw fail();
  std::string unit;
  for (char c : std::string_view(text).substr(used))
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit == "%") {
    if (value > 100) throw fail();
    return value / 100.0 * grid::physical_memory_bytes();
  }
  if (unit.size() > 1 && (unit.ends_with("ib") || unit.ends_with("b"))) unit = unit.substr(0, 1);
  if (unit == "k") return value * 1024.0;
  if (unit == "m") return value * 1048576.0;
  if (unit == "g") return value * 1073741824.0;
  if (unit == "t") return value * 1099511627776.0;
  throw fail();
}

}  // namespace cb::cli
