#pragma once
// The `transactions` dataset of a grid config: a raw log, its column mapping,
// cleaning rules, snapshot, the customer features to cluster on, and the RFM
// scoring and segment table that run profiles are cross-tabulated with. Parsed
// from the config's JSON form with errors naming the key.
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/grid/params.hpp"
#include "clusterbench/io/transactions.hpp"
#include "clusterbench/rfm/cleaning.hpp"
#include "clusterbench/rfm/scores.hpp"

namespace cb::grid {

struct TransactionsConfig {
  io::LogSchema schema;                 ///< dataset.schema
  rfm::CleaningOptions cleaning;        ///< dataset.cleaning
  std::optional<io::Day> snapshot;      ///< dataset.snapshot (YYYY-MM-DD); unset = day after the last row
  std::vector<std::string> features = {"recency", "frequency", "monetary"};  ///< dataset.features
  std::string segments = "standard11";  ///< dataset.segments: a preset name or a YAML file
  rfm::ScoreOptions scoring;            ///< dataset.scoring: {bins, ties}
};

/// Throws ConfigError "<config>: dataset.<key>: problem".
TransactionsConfig parse_transactions_config(const Json& spec, const std::string& config_path);

}  // namespace cb::grid
