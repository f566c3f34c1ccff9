#pragma once
// The whole RFM path in one call, for the CLI `rfm` subcommand and the grid's
// `transactions` dataset: log -> cleaning report -> customer features at a
// snapshot -> scores -> segments -> profile per segment.
#include <optional>
#include <string>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/cleaning.hpp"
#include "clusterbench/rfm/features.hpp"
#include "clusterbench/rfm/profiles.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "clusterbench/rfm/segments.hpp"

namespace cb::rfm {

struct AnalysisOptions {
  CleaningOptions cleaning;         ///< cleaning rules (cleaning.before is set to the snapshot when one is given)
  std::optional<io::Day> snapshot;  ///< reference day; unset = day after the last kept row
  ScoreOptions scoring;             ///< bins and tie policy
  io::LogReaderOptions reader;      ///< block and batch sizes of the reader
};

struct Analysis {
  CleaningReport report;       ///< rows and customers removed per rule
  CustomerTable customers;     ///< features (Dataset: ids = customer ids), countries, snapshot
  RfmScores scores;            ///< R, F, M, code, FM and the cut points
  SegmentAssignment segments;  ///< segment per customer, fell-through flags and count
  Profile profile;             ///< per segment: customers, share, revenue, ticket, mean R/F/M
};

/// Runs the whole path. Throws InputError for bad input (see read_and_aggregate)
/// and ConfigError for a bad segment table.
Analysis analyze_log(const std::string& path, const io::LogSchema& schema, const SegmentTable& table,
                     const AnalysisOptions& options, const Executor& executor);

}  // namespace cb::rfm
