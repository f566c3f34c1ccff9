#pragma once
// Renders an RFM segment migration (`rfm --compare`) in the leaderboard's four
// formats: a matrix with full segment names (table, markdown), one row per
// (from, to) cell (csv), or the whole matrix (json).
#include <string>

#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/rfm/migration.hpp"

namespace cb::report {

/// `first` and `second` are the snapshot dates, for the heading and the json.
std::string render_migration(const rfm::Migration& m, const std::string& first, const std::string& second, bool pinned,
                             Format format);

}  // namespace cb::report
