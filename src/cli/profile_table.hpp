#pragma once
// Prints a segment or cluster profile (customers, share, revenue, ticket, mean R/F/M).
#include <cstddef>

#include "clusterbench/rfm/profiles.hpp"

namespace cb::cli {

void print_profile(const rfm::Profile& profile, bool with_scores);

}  // namespace cb::cli
