// libFuzzer target: the transaction-log reader (gzip or plain, parallel
// blocks). Bad input must end in cb::InputError; anything else (another
// exception, a crash, a sanitizer report, a hang) is a finding.
#include <cstdint>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions.hpp"
#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto executor = cb::make_parallel_executor(2);
  const cb::fuzz::InputFile file(data, size);
  cb::io::LogReaderOptions options;
  options.block_bytes = 1024;  // several blocks even for small inputs
  options.batch_bytes = 4096;
  try {
    cb::io::read_transaction_log(file.path(), cb::io::LogSchema{}, *executor,
                                 [](std::span<const cb::io::TransactionBlock>) {}, options);
  } catch (const cb::InputError&) {
  }
  return 0;
}
