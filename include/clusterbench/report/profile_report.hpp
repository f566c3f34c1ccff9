#pragma once
// Renders a customer profile (RFM segments or a run's clusters) and its
// cross-table with the RFM segments, in the leaderboard's four formats.
#include <string>

#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/rfm/profiles.hpp"

namespace cb::report {

/// Per group: customers, share, revenue, revenue share, average ticket, mean
/// recency/frequency/monetary, and mean R/F/M scores when `with_scores`. With
/// `by_segment`, also the customers of each group per segment: a second table
/// (table, markdown), one column per segment (csv) or a "segments" object (json).
std::string render_profile(const rfm::Profile& profile, const rfm::CrossTable* by_segment, Format format,
                           bool with_scores);

}  // namespace cb::report
