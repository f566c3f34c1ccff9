#pragma once
// A results store as an SQLite database, for SQL and BI tools (Metabase, Power BI,
// DBeaver, pandas.read_sql): every run, its scores in long format, every point's
// cluster, and the customer profiles of transactions grids. README "export"
// documents the tables.
#include <cstddef>
#include <string>

#include "clusterbench/records/results.hpp"
#include "clusterbench/report/run_params.hpp"

namespace cb::exports {

/// Rows written per table.
struct SqliteExportSummary {
  std::size_t runs = 0;              ///< rows of `runs`
  std::size_t clusters = 0;          ///< rows of `clusters` (one per cluster of each run)
  std::size_t scores = 0;            ///< rows of `scores`
  std::size_t points = 0;            ///< rows of `points`
  std::size_t assignments = 0;       ///< rows of `assignments`
  std::size_t profiles = 0;          ///< rows of `profiles`
  std::size_t profile_segments = 0;  ///< rows of `profile_segments`
};

/// Writes `result` (read with labels, data and profiles) as a new SQLite database at
/// `path`: built in `path`.tmp-PID beside it in one transaction, synced, then renamed
/// over `path`. On any failure the temporary file is removed, `path` is left as it
/// was, and IoError names `path` with SQLite's message. `defaults` (the registry's
/// parameter defaults) fill the runs' `params_changed` column.
SqliteExportSummary write_sqlite(const std::string& path, const records::GridResult& result,
                                 const report::ParamDefaults& defaults);

}  // namespace cb::exports
