// libFuzzer target: the transaction-log reader (gzip or plain, parallel
// blocks), each input read twice: as a comma-separated log with the Online
// Retail header, and as a headerless blank-separated log with columns by
// position (CDNOW's layout). Bad input must end in cb::InputError; anything
// else (another exception, a crash, a sanitizer report, a hang) is a finding.
#include <cstdint>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions.hpp"
#include "fuzz_input_file.hpp"

namespace {

cb::io::LogSchema blank_separated_by_position() {
  cb::io::LogSchema schema;
  schema.header = false;
  schema.whitespace_delimited = true;
  schema.customer_column = "1";
  schema.date_column = "3";
  schema.date_format = "%Y%m%d";
  schema.quantity_column = "4";
  schema.amount_column = "5";
  schema.invoice_column = schema.price_column = schema.product_column = schema.country_column = "";
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto executor = cb::make_parallel_executor(2);
  static const cb::io::LogSchema schemas[] = {cb::io::LogSchema{}, blank_separated_by_position()};
  const cb::fuzz::InputFile file(data, size);
  cb::io::LogReaderOptions options;
  options.block_bytes = 1024;  // several blocks even for small inputs
  options.batch_bytes = 4096;
  for (const auto& schema : schemas) {
    try {
      cb::io::read_transaction_log(
          file.path(), schema, *executor, [](std::span<const cb::io::TransactionBlock>) {}, options);
    } catch (const cb::InputError&) {
    }
  }
  return 0;
}
