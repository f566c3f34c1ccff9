#pragma once
// From a transaction log to one accumulator per customer, in one streaming,
// parallel pass. Memory is proportional to customers (plus each customer's
// distinct invoices and products) and to the 64-bit fingerprints of the rows
// that reach the duplicate rule: an exact-duplicate check needs to remember
// every row it has seen (8 bytes per row, not the row).
#include <cstddef>
#include <string>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions.hpp"
#include "clusterbench/rfm/cleaning.hpp"

namespace cb::rfm {

/// Everything the features need about one customer, from its kept rows.
struct CustomerAggregate {
  std::string id;                    ///< customer id as normalised by the reader
  std::string country;               ///< country of the customer's first kept row (file order)
  io::Timestamp first_purchase = 0;  ///< earliest kept row
  io::Timestamp last_purchase = 0;   ///< latest kept row
  double revenue = 0;                ///< sum of amount (quantity x unit price) over kept rows
  double items = 0;                  ///< sum of quantity over kept rows
  std::size_t rows = 0;              ///< kept rows (order lines)
  std::size_t invoices = 0;          ///< distinct invoices among kept rows (= rows without an invoice column)
  std::size_t products = 0;          ///< distinct product codes among kept rows (0 without a product column)
  std::size_t returns = 0;           ///< rows removed as cancellations or non-positive quantity
  double returns_value = 0;          ///< sum of |amount| of those rows
};

struct LogAggregate {
  std::string source;                        ///< path read
  std::vector<CustomerAggregate> customers;  ///< customers with a kept row, ids in natural order (numeric ids by value)
  CleaningReport report;                     ///< rows and customers removed per rule
  io::Timestamp first_time = 0;              ///< earliest kept row
  io::Timestamp last_time = 0;               ///< latest kept row
};

/// Reads, cleans and aggregates a log. Results do not depend on the thread
/// count. Throws InputError for unreadable input (see io::read_transaction_log)
/// and when no customer is left after cleaning.
LogAggregate read_and_aggregate(const std::string& path, const io::LogSchema& schema, const CleaningOptions& cleaning,
                                const Executor& executor, const io::LogReaderOptions& reader = {});

/// Strict weak order of customer ids: all-digit ids by numeric value (leading
/// zeros ignored), before any other id; others lexicographically (bytes).
bool customer_id_less(const std::string& a, const std::string& b);

}  // namespace cb::rfm
