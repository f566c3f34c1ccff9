// libFuzzer target: the features CSV reader (libcsv, gzip, BOM, header plan).
#include <cstdint>

#include "clusterbench/core/error.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cb::fuzz::InputFile file(data, size);
  cb::io::FeaturesCsvOptions options;
  options.id_column = "id";
  try {
    cb::io::read_features_csv(file.path(), options);
  } catch (const cb::InputError&) {
  }
  options.id_column.clear();  // every column a feature: the other plan
  try {
    cb::io::read_features_csv(file.path(), options);
  } catch (const cb::InputError&) {
  }
  return 0;
}
