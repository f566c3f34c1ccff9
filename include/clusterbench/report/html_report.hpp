#pragma once
// A self-contained HTML report of a results file: provenance, the two
// silhouette leaderboards, the best run's customer profile (transactions
// grids), scores over k per space, the best clustering of
// each space drawn in that space, embedding quality, timings and the runs that
// did not score. Plots are inline SVG: the page opens offline as one file.
#include <cstddef>
#include <string>

#include "clusterbench/records/results.hpp"
#include "clusterbench/report/run_params.hpp"

namespace cb::report {

struct HtmlReportOptions {
  std::size_t top = 20;                  ///< rows in each leaderboard
  std::size_t max_scatter_points = 4000; ///< points drawn per scatter (an even stride over the rest)
  ParamDefaults param_defaults;          ///< parameters equal to these are left out of the params column
};

/// Renders the report; needs the result read with labels and data.
std::string render_html_report(const records::GridResult& result, const HtmlReportOptions& options = {});

}  // namespace cb::report
