#pragma once
// Segment migration between two snapshots, joined by customer id (never by
// row position). Customers only in the later snapshot are "new"; only in the
// earlier one, "churned".
#include <cstddef>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/core/executor.hpp"
#include "clusterbench/io/transactions.hpp"
#include "clusterbench/rfm/cleaning.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "clusterbench/rfm/segments.hpp"

namespace cb::rfm {

inline constexpr const char* kNewRow = "(new)";
inline constexpr const char* kChurnedColumn = "(churned)";

struct MigrationOptions {
  ScoreOptions scoring;  ///< bins and tie policy of both snapshots
  bool pinned = false;   ///< false = "rescore" (each snapshot cuts its own quantiles); true = the second reuses the
                         ///< first's cut points
};

struct Migration {
  std::vector<std::string> from_names;  ///< segments (table order, then default), then kNewRow
  std::vector<std::string> to_names;    ///< segments (table order, then default), then kChurnedColumn
  Matrix counts;                        ///< customers per (from, to)
  Matrix row_shares;                    ///< counts / row total (0 for an empty row)
  std::size_t retained = 0;             ///< customers in both snapshots
  std::size_t new_customers = 0;        ///< only in the second
  std::size_t churned = 0;              ///< only in the first
};

/// Migration between two feature tables (columns recency, frequency, monetary;
/// ids = customer ids, unique). Throws InputError on a duplicate id.
Migration migrate(const Dataset& before, const Dataset& after, const SegmentTable& table,
                  const MigrationOptions& options = {});

/// The whole path for `clusterbench rfm --compare D1 D2`: reads the log twice,
/// cut at each snapshot day (CleaningOptions::before = the snapshot), builds
/// features at D1 and D2 and migrates.
Migration migrate_log(const std::string& path, const io::LogSchema& schema, const CleaningOptions& cleaning,
                      io::Day first_snapshot, io::Day second_snapshot, const SegmentTable& table,
                      const MigrationOptions& options, const Executor& executor);

}  // namespace cb::rfm
