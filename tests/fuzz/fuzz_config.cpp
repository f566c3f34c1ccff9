// libFuzzer target: the grid config loader (YAML, keys, types, ranges, paths).
#include <cstdint>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    cb::grid::parse_config(text, "configs/fuzz.yaml");
  } catch (const cb::InputError&) {
  }
  return 0;
}
