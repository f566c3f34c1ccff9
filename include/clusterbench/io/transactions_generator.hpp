#pragma once
// A seeded generator of synthetic transaction logs in the Online Retail schema
// (InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country)
// with the mess real logs have: heavy-tailed purchase frequency (Zipf over
// customers) and spend (log-normal customer multipliers, Pareto quantities),
// cancellation invoices (prefix C, negative quantities), rows without a
// customer id, exact duplicate rows, zero prices and non-product codes.
#include <cstddef>
#include <cstdint>
#include <string>

namespace cb::io {

struct LogGeneratorOptions {
  std::size_t rows = 100000;             ///< data rows to write (approximately: the last invoice is completed)
  std::size_t customers = 5000;          ///< distinct customer ids to draw from
  std::size_t products = 3000;           ///< distinct stock codes
  std::uint64_t seed = 1;                ///< same seed, same file, byte for byte
  std::string first_day = "2010-12-01";  ///< first invoice day (YYYY-MM-DD)
  int days = 373;                        ///< invoices are spread over this many days
  double customer_zipf = 1.1;            ///< Zipf exponent of customer purchase frequency (heavier tail when larger)
  double mean_lines = 20;                ///< mean lines per invoice (geometric)
  double quantity_pareto = 1.6;          ///< Pareto tail index of quantities (smaller = heavier tail)
  double missing_id_rate = 0.25;         ///< share of invoices written without a customer id
  double cancellation_rate = 0.02;       ///< share of invoices that are cancellations (C prefix, negative quantity)
  double duplicate_rate = 0.01;          ///< share of rows immediately repeated verbatim
  double zero_price_rate = 0.005;        ///< share of rows with unit price 0
  double non_product_rate = 0.005;       ///< share of rows with a non-product code (POST, M, D, ...)
};

struct LogGeneratorStats {
  std::size_t rows = 0;      ///< rows written
  std::size_t invoices = 0;  ///< invoices written
  std::size_t bytes = 0;     ///< uncompressed bytes
};

/// Writes the log to `path` (gzip when it ends in ".gz"). Throws IoError when
/// it cannot be written, InputError on a bad option.
LogGeneratorStats generate_transaction_log(const std::string& path, const LogGeneratorOptions& options = {});

}  // namespace cb::io
