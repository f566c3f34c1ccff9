#pragma once
// The business meaning of a grid's runs on customer data: each run's clusters
// profiled exactly like RFM segments (rfm::profile) and cross-tabulated with
// the customers' RFM segments. O(n) per run; computed outside the algorithms.
#include <vector>

#include "clusterbench/records/results.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "clusterbench/rfm/segments.hpp"

namespace cb::grid {

// The grid fills the records module's types; inside the grid they go by their short names.
using records::CustomerSegments;
using records::GridResult;
using records::Provenance;
using records::RunProfile;
using records::RunRecord;
using records::SpaceRecord;

/// Scores and segments customers (the config's dataset.scoring and
/// dataset.segments). `features` must have columns recency, frequency and
/// monetary; it is kept as CustomerSegments::rfm.
CustomerSegments segment_customers(Dataset features, const rfm::ScoreOptions& scoring, const rfm::SegmentTable& table);

/// The profile of one run's clusters (cluster 0..k-1, then noise) and its
/// cluster x segment counts. Throws InputError when the labels do not fit.
RunProfile profile_run(const CustomerSegments& customers, const Labels& labels);

}  // namespace cb::grid
