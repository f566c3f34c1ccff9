#pragma once
// The `transactions` dataset of a grid config (and the flags of `clusterbench
// rfm`): a raw log, its column mapping, cleaning rules, snapshot, the customer
// features to cluster on, and the RFM scoring and segment table. Parsed from
// the config's JSON form with errors naming the key. Part of rfm_config: the
// RFM layer's configuration, below the grid, so `rfm` needs no grid.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterbench/io/transactions.hpp"
#include "clusterbench/rfm/cleaning.hpp"
#include "clusterbench/rfm/scores.hpp"

namespace cb::rfm_config {

/// A config section in the form the grid config hands over (keys in file order).
using Json = nlohmann::ordered_json;

struct TransactionsConfig {
  io::LogSchema schema;             ///< dataset.schema
  rfm::CleaningOptions cleaning;    ///< dataset.cleaning
  std::optional<io::Day> snapshot;  ///< dataset.snapshot (YYYY-MM-DD); unset = day after the last row
  std::vector<std::string> features = {"recency", "frequency", "monetary"};  ///< dataset.features
  std::string segments = "standard11";  ///< dataset.segments: a preset name or a YAML file
  rfm::ScoreOptions scoring;            ///< dataset.scoring: {bins, ties}
};

/// Throws ConfigError "<config>: dataset.<key>: problem".
TransactionsConfig parse_transactions_config(const Json& spec, const std::string& config_path);

}  // namespace cb::rfm_config
