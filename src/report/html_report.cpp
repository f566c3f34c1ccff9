#include "clusterbench/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "clusterbench/report/leaderboard.hpp"
#include "svg_chart.hpp"

namespace cb::report {
namespace {

using svg::escape;

constexpr const char* kStyle = R"(<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1180px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f4f4f4; } td.text, th.text { text-align: left; }
td.params { max-width: 320px; white-space: normal; overflow-wrap: anywhere; }
code, pre { font: 12px ui-monospace, monospace; } pre { background: #f8f8f8; padding: 8px; overflow-x: auto; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.note { color: #666; font-size: 12px; }
</style>)";

std::string number(double v, int decimals = 4) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", v, decimals);
}

double score_of(const records::RunRecord& run, const std::string& column) {
  if (const auto it = run.scores.find(column); it != run.scores.end()) return it->second;
  if (const auto it = run.values.find(column); it != run.values.end()) return it->second;
  return std::nan("");
}

std::string summary(const records::GridResult& r) {
  const auto& p = r.provenance;
  std::size_t ok = 0, failed = 0, unscored = 0;
  std::set<std::string> algorithms;
  for (const auto& run : r.runs) {
    algorithms.insert(run.algorithm);
    if (run.status == "failed") ++failed;
    else if (!std::isfinite(score_of(run, "silhouette"))) ++unscored;
    else ++ok;
  }
  std::string algos;
  for (const auto& a : algorithms) algos += (algos.empty() ? "" : ", ") + a;
  std::string columns;
  for (const auto& c : r.data.columns) columns += (columns.empty() ? "" : ", ") + c;
  std::string out = "<table>";
  auto row = [&](const std::string& name, const std::string& value) {
    out += fmt::format(R"(<tr><th class="text">{}</th><td class="text">{}</td></tr>)", name, value);
  };
  row("points × features", fmt::format("{} × {} ({})", r.data.rows(), r.data.cols(), escape(columns)));
  row("runs", fmt::format("{} scored, {} without a score, {} failed", ok, unscored, failed));
  row("spaces", std::to_string(r.spaces.size()));
  row("algorithms", escape(algos));
  row("config", escape(p.config_path));
  row("program", escape(fmt::format("clusterbench {} ({})", p.program_version, p.git_commit)));
  row("threads, seed", fmt::format("{}, {}", p.threads, p.seed));
  row("started, finished (UTC)", escape(p.started_utc + ", " + p.finished_utc));
  row("data digest", "<code>" + escape(p.data_digest) + "</code>");
  out += "</table>";
  out += "<details><summary>config text</summary><pre>" + escape(p.config_text) + "</pre></details>";
  return out;
}

std::string leaderboard_table(const records::GridResult& r, const std::string& by, std::size_t top,
                              const ParamDefaults& defaults) {
  LeaderboardOptions options;
  options.sort_by = by;
  options.top = top;
  const auto rows = leaderboard(r, options);
  if (rows.empty()) return "<p class=\"note\">no scored run</p>";
  const auto columns = default_score_columns(r, by);
  std::string out = R"(<table><tr><th>rank</th><th class="text">space</th><th class="text">algorithm</th><th>k</th><th>k found</th>)";
  for (const auto& c : columns) out += "<th>" + escape(c) + "</th>";
  out += R"(<th class="text">sizes</th><th>fit s</th><th class="text">eligible</th><th class="text">params</th><th class="text">key</th></tr>)";
  for (const auto& row : rows) {
    const auto& run = *row.run;
    out += fmt::format(R"(<tr><td>{}</td><td class="text">{}</td><td class="text">{}</td><td>{}</td><td>{}</td>)",
                       row.rank, escape(run.space), escape(run.algorithm), run.k, run.k_found);
    for (const auto& c : columns) out += "<td>" + number(score_of(run, c)) + "</td>";
    std::vector<std::int64_t> sizes(run.cluster_sizes);
    std::sort(sizes.rbegin(), sizes.rend());
    out += fmt::format(R"(<td class="text">{}</td><td>{}</td><td class="text">{}</td><td class="text params"><code>{}</code></td><td class="text"><code>{}</code></td></tr>)",
                       fmt::join(sizes, " / "), number(run.fit_seconds, 3),
                       row.ineligible.empty() ? "yes" : "no: " + escape(row.ineligible), escape(compact_params(run, defaults)),
                       escape(run.key));
  }
  return out + "</table>";
}

/// Silhouette (solid) and reference-space silhouette (dashed) over k, one
/// series per algorithm; with several runs at one k (other parameters) the best.
std::string score_charts(const records::GridResult& r) {
  std::vector<std::string> spaces;
  for (const auto& s : r.spaces) spaces.push_back(s.label);
  for (const auto& run : r.runs)
    if (std::find(spaces.begin(), spaces.end(), run.space) == spaces.end()) spaces.push_back(run.space);
  std::string out = "<div class=\"charts\">";
  for (const auto& space : spaces) {
    std::map<std::string, std::map<int, std::pair<double, double>>> best;  // algorithm → k → (own, ref)
    bool differs = false;
    for (const auto& run : r.runs) {
      if (run.space != space) continue;
      const double own = score_of(run, "silhouette"), ref = score_of(run, "silhouette_ref");
      auto [it, fresh] = best[run.algorithm].try_emplace(run.k, own, ref);
      if (!fresh && (std::isnan(it->second.first) || own > it->second.first)) it->second = {own, ref};
      if (std::isfinite(own) && std::isfinite(ref) && own != ref) differs = true;
    }
    if (best.empty()) continue;
    svg::LineChart chart{fmt::format("space {}", space), "k", "silhouette", {}, true};
    std::size_t colour = 0;
    for (const auto& [algorithm, by_k] : best) {
      svg::Series own{algorithm, svg::palette(colour), false, {}, {}};
      svg::Series ref{algorithm + " (ref)", svg::palette(colour), true, {}, {}};
      for (const auto& [k, scores] : by_k) {
        own.x.push_back(k);
        own.y.push_back(scores.first);
        ref.x.push_back(k);
        ref.y.push_back(scores.second);
      }
      chart.series.push_back(std::move(own));
      if (differs) chart.series.push_back(std::move(ref));
      ++colour;
    }
    out += svg::render(chart);
  }
  return out + "</div><p class=\"note\">Solid: silhouette in the run's own space; dashed: in the common reference "
               "space (the preprocessed features), shown where they differ. Several runs at one k (other "
               "parameters): the best.</p>";
}

/// The best run of each space drawn on that space's first two coordinates.
std::string scatter_charts(const records::GridResult& r, std::size_t max_points) {
  std::string out = "<div class=\"charts\">";
  auto draw = [&](const std::string& space, const Matrix& points) {
    LeaderboardOptions options;
    options.spaces = {space};
    options.top = 1;
    const auto rows = leaderboard(r, options);
    if (rows.empty() || points.cols() < 2 || rows.front().run->labels.size() != static_cast<std::size_t>(points.rows()))
      return;
    const auto& run = *rows.front().run;
    const std::size_t n = static_cast<std::size_t>(points.rows());
    const std::size_t stride = std::max<std::size_t>(1, (n + max_points - 1) / std::max<std::size_t>(1, max_points));
    svg::Scatter chart;
    const std::string by = resolved_sort_by(r, "");
    chart.title = fmt::format("{}: {} k={} ({} {})", space, run.algorithm, run.k, by, number(score_of(run, by)));
    for (std::size_t i = 0; i < n; i += stride) {
      chart.x.push_back(points(static_cast<Index>(i), 0));
      chart.y.push_back(points(static_cast<Index>(i), 1));
      chart.group.push_back(run.labels[i]);
    }
    out += svg::render(chart);
  };
  for (const auto& s : r.spaces) draw(s.label, s.points);
  return out + "</div><p class=\"note\">Each space's best eligible run (the leaderboard's order), drawn on the space's first two "
               "coordinates (for raw and PCA spaces the first two features or components); grey points are "
               "noise. At most " + std::to_string(max_points) + " points each (an even stride).</p>";
}

/// The business meaning of the winner: the best run's customer profile and
/// its clusters' customers per RFM segment (transactions grids only).
std::string winner_profile(const records::GridResult& r) {
  LeaderboardOptions options;
  options.top = 1;
  const auto rows = leaderboard(r, options);
  if (rows.empty() || !rows.front().run->profile) return "";
  const auto& run = *rows.front().run;
  const auto& profile = run.profile->clusters;
  const std::string by = resolved_sort_by(r, "");
  std::string out = fmt::format("<h2>Customer profile of the best run</h2><p>{} k={} in space {} ({} {}{}), "
                                "run <code>{}</code>.</p>",
                                escape(run.algorithm), run.k, escape(run.space), escape(by), number(score_of(run, by)),
                                rows.front().ineligible.empty() ? ", the best eligible run"
                                                                : ", no run is eligible: " + escape(rows.front().ineligible),
                                escape(run.key));
  out += R"(<table><tr><th class="text">cluster</th><th>customers</th><th>share</th><th>revenue</th><th>revenue share</th><th>average ticket</th><th>mean recency (days)</th><th>mean frequency</th><th>mean monetary</th><th>mean R</th><th>mean F</th><th>mean M</th></tr>)";
  for (const auto& g : profile.rows)
    out += fmt::format(R"(<tr><td class="text">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
                       escape(g.label), g.customers, number(g.share, 3), number(g.revenue, 2),
                       number(g.revenue_share, 3), number(g.average_ticket, 2), number(g.mean_recency, 1),
                       number(g.mean_frequency, 2), number(g.mean_monetary, 2), number(g.mean_r, 2),
                       number(g.mean_f, 2), number(g.mean_m, 2));
  out += "</table>";
  const auto& table = run.profile->by_segment;
  if (table.column_names.empty()) return out;
  out += R"(<p>Customers of each cluster per RFM segment:</p><table><tr><th class="text">cluster</th>)";
  for (const auto& c : table.column_names) out += "<th>" + escape(c) + "</th>";
  out += "</tr>";
  for (std::size_t i = 0; i < table.row_names.size(); ++i) {
    out += R"(<tr><td class="text">)" + escape(table.row_names[i]) + "</td>";
    for (std::size_t j = 0; j < table.column_names.size(); ++j)
      out += fmt::format("<td>{:.0f}</td>", table.counts(static_cast<Index>(i), static_cast<Index>(j)));
    out += "</tr>";
  }
  return out + "</table>";
}

std::string spaces_table(const records::GridResult& r) {
  if (r.spaces.empty()) return "";
  std::set<std::string> value_names;
  for (const auto& s : r.spaces)
    for (const auto& [name, v] : s.values) value_names.insert(name);
  std::string out = R"(<h2>Spaces</h2><table><tr><th class="text">space</th><th class="text">method</th><th>dimensions</th><th>seconds</th>)";
  for (const auto& name : value_names) out += "<th>" + escape(name) + "</th>";
  out += R"(<th class="text">params</th></tr>)";
  for (const auto& s : r.spaces) {
    out += fmt::format(R"(<tr><td class="text">{}</td><td class="text">{}</td><td>{}</td><td>{}</td>)", escape(s.label),
                       escape(s.name), s.points.cols(), number(s.seconds, 3));
    for (const auto& name : value_names) {
      const auto it = s.values.find(name);
      out += "<td>" + (it == s.values.end() ? std::string() : number(it->second)) + "</td>";
    }
    out += R"(<td class="text"><code>)" + escape(s.params) + "</code></td></tr>";
  }
  return out + "</table>";
}

std::string timing_table(const records::GridResult& r) {
  std::map<std::string, std::pair<double, double>> by_algorithm;  // fit, score seconds
  std::map<std::string, int> runs;
  for (const auto& run : r.runs) {
    by_algorithm[run.algorithm].first += run.fit_seconds;
    by_algorithm[run.algorithm].second += run.score_seconds;
    ++runs[run.algorithm];
  }
  std::string out = R"(<h2>Time</h2><table><tr><th class="text">algorithm</th><th>runs</th><th>fit s</th><th>score s</th></tr>)";
  for (const auto& [algorithm, t] : by_algorithm)
    out += fmt::format(R"(<tr><td class="text">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)", escape(algorithm),
                       runs[algorithm], number(t.first, 3), number(t.second, 3));
  return out + "</table><p class=\"note\">Seconds summed over runs; runs execute concurrently, so the sum exceeds the "
               "wall time. Shared work (one tree, one DBSCAN structure per space) is split evenly over its k.</p>";
}

std::string unscored_table(const records::GridResult& r) {
  std::string rows;
  for (const auto& run : r.runs)
    if (run.status != "ok" || !std::isfinite(score_of(run, "silhouette")))
      rows += fmt::format(R"(<tr><td class="text">{}</td><td class="text">{}</td><td>{}</td><td class="text">{}</td><td class="text">{}</td></tr>)",
                          escape(run.space), escape(run.algorithm), run.k, escape(run.status), escape(run.message));
  if (rows.empty()) return "";
  return R"(<h2>Runs with a status</h2><table><tr><th class="text">space</th><th class="text">algorithm</th><th>k</th><th class="text">status</th><th class="text">message</th></tr>)" +
         rows + "</table>";
}

}  // namespace

std::string render_html_report(const records::GridResult& result, const HtmlReportOptions& options) {
  const std::string name = result.provenance.grid_name.empty() ? "grid" : result.provenance.grid_name;
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>clusterbench: " +
                     escape(name) + "</title>" + kStyle + "</head><body>";
  html += "<h1>clusterbench report: " + escape(name) + "</h1>";
  html += summary(result);
  html += "<h2>Leaderboard by silhouette (own space)</h2>" + leaderboard_table(result, "silhouette", options.top, options.param_defaults);
  html += "<h2>Leaderboard by silhouette in the reference space</h2>" +
          leaderboard_table(result, "silhouette_ref", options.top, options.param_defaults);
  html += winner_profile(result);
  html += "<h2>Silhouette over k</h2>" + score_charts(result);
  html += "<h2>Best clustering of each space</h2>" + scatter_charts(result, options.max_scatter_points);
  html += spaces_table(result);
  html += timing_table(result);
  html += unscored_table(result);
  return html + "</body></html>\n";
}

}  // namespace cb::report
