// libFuzzer target: the RFM segment-rule table parser and its validation.
#include <cstdint>
#include <string>

#include "clusterbench/core/error.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    cb::rfm_config::parse_segment_table(text, "fuzz.yaml");
  } catch (const cb::InputError&) {
  }
  return 0;
}
