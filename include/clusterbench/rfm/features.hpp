#pragma once
// Customer features at a snapshot date, from the per-customer aggregates.
// Every definition is in docs/rfm.md.
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/io/transactions_dates.hpp"
#include "clusterbench/rfm/aggregate.hpp"

namespace cb::rfm {

/// Column names of the feature Dataset, in order.
inline const std::vector<std::string>& feature_columns() {
  static const std::vector<std::string> names = {
      "recency", "frequency",     "monetary",      "average_ticket", "distinct_products",
      "items",   "returns_count", "returns_value", "tenure",         "purchase_rate"};
  return names;
}

struct FeatureOptions {
  std::optional<io::Day> snapshot;  ///< reference day (exclusive end of the data); unset = day after the last kept row
};

struct CustomerTable {
  Dataset features;                  ///< ids = customer ids, columns = feature_columns()
  std::vector<std::string> country;  ///< one per customer (first kept row's country)
  io::Day snapshot = 0;              ///< the reference day used
};

/// Builds the features. Throws InputError when the snapshot is not after every
/// kept row (aggregate with CleaningOptions::before = snapshot to cut the log).
CustomerTable customer_features(const LogAggregate& aggregate, const FeatureOptions& options = {});

/// Index of a named column in feature_columns() (throws InputError if unknown).
Index feature_column(const std::string& name);

}  // namespace cb::rfm
