// libFuzzer target: opening a results file. The seal and superblock checks
// see every input; libhdf5 only inputs that pass them, which for a mutated
// sealed file means an intact CRC. (libhdf5's own parsing of unsealed files
// is not ours to fix and is not fuzzed here: see README, results files.)
#include <cstdint>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/file_seal.hpp"
#include "clusterbench/store/result_store.hpp"
#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cb::fuzz::InputFile file(data, size);
  try {
    cb::store::verify_results_file(file.path());
    if (cb::store::is_sealed(file.path())) cb::store::read_results(file.path());
  } catch (const cb::InputError&) {
  }
  return 0;
}
