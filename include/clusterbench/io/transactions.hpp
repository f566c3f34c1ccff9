#pragma once
// Streaming, parallel reader of transaction logs (one row per purchased line:
// customer, date, amount or quantity x unit price, optional invoice, product and
// country). The file (plain or gzip) is decompressed sequentially into batches;
// each batch is cut at record boundaries into fixed-size blocks whose bounds
// depend only on the bytes, never on the thread count; blocks are parsed in
// parallel and handed to the consumer in file order. Memory is bounded by one
// batch, so the caller can aggregate with memory proportional to customers.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions_dates.hpp"

namespace cb::io {

/// Which columns hold what. Defaults are the UCI Online Retail schema
/// (InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country).
struct LogSchema {
  std::string customer_column = "CustomerID";  ///< customer id; `17850.0` is read as `17850`
  std::string date_column = "InvoiceDate";     ///< purchase date (and time)
  std::string date_format;                     ///< strptime-like, e.g. "%d-%b-%y" or "%Y%m%d"; empty = ISO or US auto
  std::string invoice_column = "InvoiceNo";    ///< invoice id; empty = every row is its own transaction
  std::string quantity_column = "Quantity";    ///< units; empty = 1 per row
  std::string price_column = "UnitPrice";      ///< unit price; ignored when amount_column is set
  std::string amount_column;                   ///< line amount; empty = quantity x unit price
  std::string product_column = "StockCode";    ///< product code; empty = no product features or code rule
  std::string country_column = "Country";      ///< country; empty = no country feature or country rule
  char delimiter = ',';                        ///< field separator (RFC 4180 quoting with '"')
  bool whitespace_delimited = false;           ///< fields separated by runs of spaces and tabs (delimiter unused);
                                               ///< blanks around a record ignored, '"' still quotes a field
  bool header = true;                          ///< false: the first line is data and the *_column
                                               ///< fields are 1-based positions ("1", "3")
};

/// One parsed row. Views point into the batch and are valid only during the
/// consumer call.
struct Transaction {
  std::string_view customer;      ///< trimmed; a trailing ".0" (".00", ...) removed; empty = missing
  std::string_view invoice;       ///< empty when the schema has no invoice column
  std::string_view product;       ///< empty when the schema has no product column
  std::string_view country;       ///< empty when the schema has no country column
  Timestamp time = 0;             ///< seconds since 1970-01-01 (civil)
  double quantity = 1;            ///< units (1 when the schema has no quantity column)
  double price = 0;               ///< unit price (amount / quantity when only an amount is given)
  double amount = 0;              ///< quantity x price, or the amount column
  std::uint64_t fingerprint = 0;  ///< 64-bit hash of the record's raw text (duplicate detection)
};

/// Rows of one fixed block, in file order, with storage for unescaped fields.
struct TransactionBlock {
  std::vector<Transaction> rows;
  std::deque<std::string> storage;  ///< fields that needed unescaping ("" inside quotes)
};

struct LogReaderOptions {
  std::size_t block_bytes = std::size_t{1} << 20;  ///< target bytes per parse block (cut at a record end)
  std::size_t batch_bytes = std::size_t{8} << 20;  ///< decompressed bytes handed to the parser at once
};

struct LogReadStats {
  std::size_t rows = 0;   ///< data records (header and blank lines excluded)
  std::size_t bytes = 0;  ///< decompressed bytes
  std::size_t lines = 0;  ///< physical lines
};

/// Called once per batch with its blocks in file order (never concurrently;
/// possibly while the reader decompresses the next batch on another thread).
using TransactionBatchConsumer = std::function<void(std::span<const TransactionBlock> blocks)>;

/// Reads a log (with a header line unless schema.header is false). Throws
/// InputError naming file:line for an unknown column or position, a record
/// with the wrong number of fields, an unparseable date (naming the value and
/// the expected format) or number, or an unterminated quote.
LogReadStats read_transaction_log(const std::string& path, const LogSchema& schema, const Executor& executor,
                                  const TransactionBatchConsumer& consumer, const LogReaderOptions& options = {});

/// Fast, portable 64-bit hash of bytes (not cryptographic).
std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed = 0);

}  // namespace cb::io
