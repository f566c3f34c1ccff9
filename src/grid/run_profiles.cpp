#include "clusterbench/grid/run_profiles.hpp"

#include "clusterbench/rfm/profiles.hpp"

namespace cb::grid {

CustomerSegments segment_customers(Dataset features, const rfm::ScoreOptions& scoring, const rfm::SegmentTable& table) {
  CustomerSegments out;
  out.scores = rfm::score(features, scoring);
  auto assignment = rfm::assign_segments(features, out.scores, table);
  out.segment_names = std::move(assignment.names);
  out.segment = std::move(assignment.segment);
  out.segment_table = table.name;
  out.bins = scoring.bins;
  out.ties = rfm::tie_policy_name(scoring.ties);
  out.rfm = std::move(features);
  return out;
}

RunProfile profile_run(const CustomerSegments& customers, const Labels& labels) {
  RunProfile p;
  p.clusters = rfm::profile(customers.rfm, labels, {}, &customers.scores);
  p.by_segment = rfm::cross_table(labels, {}, customers.segment, customers.segment_names);
  return p;
}

}  // namespace cb::grid
