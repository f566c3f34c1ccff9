#pragma once
// Renders an RFM segment migration (`rfm --compare`) in the leaderboard's four
// formats: a matrix with full segment names (table, markdown), one row per
// (from, to) cell (csv), or the whole matrix (json); and as a self-contained
// HTML page with a Sankey diagram (`rfm --compare ... --report FILE.html`).
#include <string>

#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/rfm/migration.hpp"

namespace cb::report {

/// `first` and `second` are the snapshot dates, for the heading and the json.
std::string render_migration(const rfm::Migration& m, const std::string& first, const std::string& second, bool pinned,
                             Format format);

/// The migration as one HTML page: a Sankey diagram (segments at `first` on the
/// left, at `second` on the right; new customers as a node of their own on the
/// left, churned ones on the right; hovering a band shows its customers and share)
/// and the matrix as a table. Opens offline (ECharts is inlined).
std::string render_migration_html(const rfm::Migration& m, const std::string& first, const std::string& second,
                                  bool pinned);

}  // namespace cb::report
