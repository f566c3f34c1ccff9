#pragma once
// A self-contained HTML report of a results file: provenance, the highlighted
// run (the best eligible run: its cluster sizes and example customers), the two
// silhouette leaderboards (with cluster-size bars), the best run's customer
// profile (transactions grids), silhouette over k per space on one shared
// y-axis, the best clustering of each space drawn in that space (zoomable),
// the k each criterion chooses (`select`) with the elbow, BIC and gap curves,
// embedding quality, timings and the runs that did not score. Charts are drawn
// by Apache ECharts, inlined with the data: the page opens offline as one file.
#include <cstddef>
#include <string>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/records/results.hpp"
#include "clusterbench/report/run_params.hpp"

namespace cb::report {

struct HtmlReportOptions {
  std::size_t top = 20;                   ///< rows in each leaderboard
  std::size_t max_scatter_points = 5000;  ///< points drawn per scatter (an even stride over the rest)
  int gap_references = 0;        ///< B of the gap statistic in the k-selection table (0 = no gap column or chart)
  ParamDefaults param_defaults;  ///< parameters equal to these are left out of the params column
};

/// Renders the report; needs the result read with labels and data. The executor
/// runs the gap statistic's reference fits (gap_references > 0).
std::string render_html_report(const records::GridResult& result, const HtmlReportOptions& options,
                               const Executor& executor);

}  // namespace cb::report
