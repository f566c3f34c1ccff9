#include "clusterbench/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "clusterbench/report/k_selection.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/report/metric_catalog.hpp"
#include "page_scripts.hpp"

namespace cb::report {
namespace {

using page::escape;
using Json = nlohmann::ordered_json;

constexpr std::size_t kExamplesPerCluster = 6;

std::string number(double v, int decimals = 4) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", v, decimals);
}

/// A coordinate to 4 significant digits: plenty for a plot, a third of the JSON.
double rounded(double v) {
  if (!std::isfinite(v) || v == 0) return v;
  const double scale = std::pow(10.0, 3 - std::floor(std::log10(std::fabs(v))));
  return std::round(v * scale) / scale;
}

double score_of(const records::RunRecord& run, const std::string& column) {
  if (const auto it = run.scores.find(column); it != run.scores.end()) return it->second;
  if (const auto it = run.values.find(column); it != run.values.end()) return it->second;
  return std::nan("");
}

std::int64_t noise_of(const records::RunRecord& run) {
  return std::count_if(run.labels.begin(), run.labels.end(), [](Label l) { return l < 0; });
}

/// The page's data: the runs charts and tooltips refer to (by index), the chart specs.
class PageData {
 public:
  PageData(const records::GridResult& result, const ParamDefaults& defaults) : result_(result), defaults_(defaults) {}

  /// The run's index in data["runs"], adding it on first use.
  int run(const records::RunRecord& run) {
    const auto [it, fresh] = index_.try_emplace(&run, static_cast<int>(runs_.size()));
    if (!fresh) return it->second;
    Json j;
    j["space"] = run.space;
    j["algorithm"] = run.algorithm;
    j["k"] = run.k;
    j["k_found"] = run.k_found;
    j["params"] = compact_params(run, defaults_);
    j["sizes"] = run.cluster_sizes;
    j["noise"] = noise_of(run);
    Json scores = Json::object();
    for (const char* name : {"silhouette", "silhouette_ref", "calinski_harabasz", "davies_bouldin", "dbcv", "ari"})
      if (const double v = score_of(run, name); std::isfinite(v)) scores[name] = v;
    j["scores"] = scores;
    const std::string reason = ineligibility(run, result_.leaderboard);
    j["eligible"] = reason.empty();
    j["ineligible"] = reason;
    j["key"] = run.key;
    runs_.push_back(std::move(j));
    return it->second;
  }

  void chart(Json spec) { charts_.push_back(std::move(spec)); }
  Json& extra() { return extra_; }

  Json json() const {
    Json j = extra_;
    j["runs"] = runs_;
    j["charts"] = charts_;
    return j;
  }

 private:
  const records::GridResult& result_;
  const ParamDefaults& defaults_;
  std::map<const records::RunRecord*, int> index_;
  Json runs_ = Json::array();
  Json charts_ = Json::array();
  Json extra_ = Json::object();
};

std::vector<std::string> space_labels(const records::GridResult& r) {
  std::vector<std::string> spaces;
  for (const auto& s : r.spaces) spaces.push_back(s.label);
  for (const auto& run : r.runs)
    if (std::find(spaces.begin(), spaces.end(), run.space) == spaces.end()) spaces.push_back(run.space);
  return spaces;
}

/// The colour of an algorithm, the same in every chart.
std::string colour_of(const records::GridResult& r, const std::string& algorithm) {
  static const char* palette[] = {"#4477aa", "#ee6677", "#228833", "#ccbb44",
                                  "#66ccee", "#aa3377", "#555555", "#ff9f40"};
  std::set<std::string> algorithms;
  for (const auto& run : r.runs) algorithms.insert(run.algorithm);
  const auto at = static_cast<std::size_t>(std::distance(algorithms.begin(), algorithms.find(algorithm)));
  return palette[at % std::size(palette)];
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
  std::string out = "<table>";
  auto row = [&](const std::string& name, const std::string& value) {
    out += fmt::format(R"(<tr><th class="text">{}</th><td class="text">{}</td></tr>)", name, value);
  };
  row("points × features", fmt::format("{} × {} ({})", r.data.rows(), r.data.cols(),
                                       escape(fmt::format("{}", fmt::join(r.data.columns, ", ")))));
  row("runs", fmt::format("{} scored, {} without a score, {} failed", ok, unscored, failed));
  row("spaces", std::to_string(r.spaces.size()));
  row("algorithms", escape(fmt::format("{}", fmt::join(algorithms, ", "))));
  row("leaderboard policy",
      escape(fmt::format("rank by {}; eligible: smallest cluster ≥ {} of the points, noise ≤ {}, silhouette_ref ≥ {}",
                         resolved_sort_by(r, ""), r.leaderboard.min_cluster_share, r.leaderboard.max_noise_share,
                         r.leaderboard.min_silhouette_ref)));
  row("config", escape(p.config_path));
  row("program", escape(fmt::format("clusterbench {} ({}), charts by Apache ECharts {}", p.program_version,
                                    p.git_commit, page::echarts_version())));
  row("threads, seed", fmt::format("{}, {}", p.threads, p.seed));
  row("started, finished (UTC)", escape(p.started_utc + ", " + p.finished_utc));
  row("data digest", "<code>" + escape(p.data_digest) + "</code>");
  out += "</table>";
  out += "<details><summary>config text</summary><pre>" + escape(p.config_text) + "</pre></details>";
  return out;
}

/// Sizes as text and as a bar of the clusters' shares (noise grey), largest first.
std::string sizes_cell(const records::RunRecord& run) {
  std::vector<std::int64_t> sizes(run.cluster_sizes);
  std::sort(sizes.rbegin(), sizes.rend());
  const auto noise = noise_of(run);
  const double n = static_cast<double>(std::max<std::size_t>(1, run.labels.size()));
  static const char* palette[] = {"#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377"};
  std::string bar =
      fmt::format(R"(<span class="sizebar" title="{}">)",
                  escape(fmt::format("{}{}", fmt::join(sizes, " / "), noise ? fmt::format(" + noise {}", noise) : "")));
  for (std::size_t i = 0; i < sizes.size(); ++i)
    bar += fmt::format(R"(<i style="width:{:.2f}%;background:{}"></i>)", 100.0 * static_cast<double>(sizes[i]) / n,
                       palette[i % std::size(palette)]);
  if (noise)
    bar += fmt::format(R"(<i style="width:{:.2f}%;background:#c8c8c8"></i>)", 100.0 * static_cast<double>(noise) / n);
  bar += "</span>";
  return bar + fmt::format("{}", fmt::join(sizes, " / ")) + (noise ? fmt::format(" + noise {}", noise) : "");
}

std::string leaderboard_table(const records::GridResult& r, const std::string& by, std::size_t top,
                              const ParamDefaults& defaults) {
  LeaderboardOptions options;
  options.sort_by = by;
  options.top = top;
  const auto rows = leaderboard(r, options);
  if (rows.empty()) return "<p class=\"note\">no scored run</p>";
  const auto columns = default_score_columns(r, by);
  std::string out =
      R"(<table class="leaderboard"><tr><th>rank</th><th class="text">space</th><th class="text">algorithm</th><th>k</th><th>k found</th>)";
  for (const auto& c : columns) out += "<th>" + escape(c) + "</th>";
  out +=
      R"(<th class="text">sizes</th><th>fit s</th><th class="text">eligible</th><th class="text">params</th><th class="text">key</th></tr>)";
  for (const auto& row : rows) {
    const auto& run = *row.run;
    out += fmt::format(R"(<tr><td>{}</td><td class="text">{}</td><td class="text">{}</td><td>{}</td><td>{}</td>)",
                       row.rank, escape(run.space), escape(run.algorithm), run.k, run.k_found);
    for (const auto& c : columns) out += "<td>" + number(score_of(run, c)) + "</td>";
    out += fmt::format(
        R"(<td class="text">{}</td><td>{}</td><td class="text">{}</td><td class="text params"><code>{}</code></td><td class="text"><code>{}</code></td></tr>)",
        sizes_cell(run), number(run.fit_seconds, 3), row.ineligible.empty() ? "yes" : "no: " + escape(row.ineligible),
        escape(compact_params(run, defaults)), escape(run.key));
  }
  return out + "</table>";
}

/// The best eligible run (the leaderboard's first): its cluster sizes as bars and
/// a few customers of each cluster (written as text by the page script).
std::string highlighted_run(const records::GridResult& r, const ParamDefaults& defaults, PageData& data) {
  LeaderboardOptions options;
  options.top = 1;
  const auto rows = leaderboard(r, options);
  if (rows.empty() || rows.front().run->labels.empty()) return "";
  const auto& run = *rows.front().run;
  const std::string by = resolved_sort_by(r, "");
  std::string out = fmt::format(
      "<h2 id=\"highlighted\">Highlighted run</h2><p>{} k={} in space {} ({} {}{}), parameters <code>{}</code>, run "
      "<code>{}</code>.</p>",
      escape(run.algorithm), run.k, escape(run.space), escape(by), number(score_of(run, by)),
      rows.front().ineligible.empty() ? ": the best eligible run"
                                      : "; no run is eligible: " + escape(rows.front().ineligible),
      escape(compact_params(run, defaults).empty() ? "(defaults)" : compact_params(run, defaults)), escape(run.key));
  const int index = data.run(run);
  const auto n = static_cast<double>(run.labels.size());
  std::vector<std::vector<std::size_t>> examples(run.cluster_sizes.size() + 1);  // clusters, then noise
  for (std::size_t i = 0; i < run.labels.size(); ++i) {
    auto& bucket = run.labels[i] < 0 ? examples.back() : examples[static_cast<std::size_t>(run.labels[i])];
    if (bucket.size() < kExamplesPerCluster) bucket.push_back(i);
  }
  Json categories = Json::array(), values = Json::array(), members = Json::array();
  auto add = [&](const std::string& name, std::int64_t size, const std::vector<std::size_t>& rows_of) {
    categories.push_back(name);
    values.push_back(size);
    members.push_back(
        {{"cluster", name}, {"size", size}, {"share", static_cast<double>(size) / n}, {"examples", rows_of}});
  };
  for (std::size_t c = 0; c < run.cluster_sizes.size(); ++c)
    add(fmt::format("cluster {}", c), run.cluster_sizes[c], examples[c]);
  Json spec{{"id", "chart-sizes"},
            {"kind", "bars"},
            {"title", fmt::format("cluster sizes: {} k={} in {}", run.algorithm, run.k, run.space)},
            {"x_name", "cluster"},
            {"y_name", "points"},
            {"run", index}};
  if (const auto noise = noise_of(run); noise > 0) {
    spec["noise_index"] = categories.size();
    add("noise", noise, examples.back());
  }
  spec["categories"] = categories;
  spec["values"] = values;
  data.chart(std::move(spec));
  data.extra()["members"] = {{"run", index}, {"rows", members}};
  out +=
      "<div class=\"charts\">" + page::chart_container("chart-sizes") +
      R"(<table id="cb-members"><tr><th class="text">cluster</th><th>points</th><th>share</th><th class="text">first customers</th></tr></table></div>)";
  return out;
}

/// Silhouette (solid) and reference-space silhouette (dashed) over k, one chart
/// per space, all on one y-axis range; with several runs at one k the best.
std::string score_charts(const records::GridResult& r, PageData& data) {
  struct Chart {
    std::string space;
    std::map<std::string, std::map<int, const records::RunRecord*>> best;  // algorithm → k → run
    bool differs = false;
  };
  std::vector<Chart> charts;
  double low = 0, high = 0;
  for (const auto& space : space_labels(r)) {
    Chart chart{space, {}, false};
    for (const auto& run : r.runs) {
      if (run.space != space) continue;
      const double own = score_of(run, "silhouette"), ref = score_of(run, "silhouette_ref");
      if (!std::isfinite(own)) continue;
      auto [it, fresh] = chart.best[run.algorithm].try_emplace(run.k, &run);
      if (!fresh && own > score_of(*it->second, "silhouette")) it->second = &run;
      if (std::isfinite(ref) && own != ref) chart.differs = true;
      for (const double v : {own, ref})
        if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
    }
    if (!chart.best.empty()) charts.push_back(std::move(chart));
  }
  if (charts.empty()) return "<p class=\"note\">no scored run</p>";
  // Multiples of 0.2 (the axis interval), so every chart has the same ticks.
  const double y_min = std::floor(low * 5) / 5, y_max = std::max(0.2, std::ceil(high * 5) / 5);
  std::string out = "<div class=\"charts\">";
  for (std::size_t c = 0; c < charts.size(); ++c) {
    const auto& chart = charts[c];
    Json series = Json::array();
    for (const auto& [algorithm, by_k] : chart.best) {
      Json own = Json::array(), ref = Json::array();
      for (const auto& [k, run] : by_k) {
        const int index = data.run(*run);
        own.push_back({k, score_of(*run, "silhouette"), index});
        if (const double v = score_of(*run, "silhouette_ref"); std::isfinite(v)) ref.push_back({k, v, index});
      }
      series.push_back({{"name", algorithm}, {"colour", colour_of(r, algorithm)}, {"points", own}});
      if (chart.differs)
        series.push_back(
            {{"name", algorithm + " (ref)"}, {"colour", colour_of(r, algorithm)}, {"dashed", true}, {"points", ref}});
    }
    const std::string id = fmt::format("chart-silhouette-{}", c);
    data.chart({{"id", id},
                {"kind", "lines"},
                {"title", "space " + chart.space},
                {"x_name", "k"},
                {"y_name", "silhouette"},
                {"y_min", y_min},
                {"y_max", y_max},
                {"y_interval", 0.2},
                {"series", series}});
    out += page::chart_container(id);
  }
  return out + fmt::format(
                   "</div><p class=\"note\">Solid: silhouette in the run's own space; dashed: in the common reference "
                   "space (the preprocessed features), shown where they differ. Every chart has the same y-axis "
                   "({} to {}), so spaces compare by eye. Several runs at one k (other parameters): the best. Hover "
                   "a point for its run.</p>",
                   y_min, y_max);
}

/// The axis names of a space's first two coordinates: the features (raw), the
/// principal components (pca), the embedding's components otherwise.
std::pair<std::string, std::string> axis_names(const records::GridResult& r, const records::SpaceRecord& space) {
  if (space.name == "raw" && r.data.columns.size() == static_cast<std::size_t>(space.points.cols()))
    return {r.data.columns[0], r.data.columns[1]};
  if (space.name == "pca") return {"PC1", "PC2"};
  return {space.name + " component 1", space.name + " component 2"};
}

/// The best eligible run of each space drawn on that space's first two coordinates.
std::string scatter_charts(const records::GridResult& r, std::size_t max_points, PageData& data) {
  std::string out = "<div class=\"charts\">";
  bool sampled = false;
  std::size_t drawn = 0;
  for (const auto& space : r.spaces) {
    LeaderboardOptions options;
    options.spaces = {space.label};
    options.top = 1;
    const auto rows = leaderboard(r, options);
    const auto n = static_cast<std::size_t>(space.points.rows());
    if (rows.empty() || space.points.cols() < 2 || rows.front().run->labels.size() != n) continue;
    const auto& run = *rows.front().run;
    const std::size_t stride = std::max<std::size_t>(1, (n + max_points - 1) / std::max<std::size_t>(1, max_points));
    sampled = sampled || stride > 1;
    std::map<Label, Json> groups;
    for (std::size_t i = 0; i < n; i += stride) {
      const auto row = static_cast<Index>(i);
      groups[std::max<Label>(run.labels[i], -1)].push_back(
          {rounded(space.points(row, 0)), rounded(space.points(row, 1)), i});
    }
    Json series = Json::array();
    for (auto& [label, points] : groups)
      if (label >= 0) series.push_back({{"name", fmt::format("cluster {}", label)}, {"points", std::move(points)}});
    if (const auto it = groups.find(-1); it != groups.end())
      series.push_back({{"name", "noise"}, {"noise", true}, {"points", std::move(it->second)}});
    const auto [x_name, y_name] = axis_names(r, space);
    const std::string by = resolved_sort_by(r, "");
    const std::string id = fmt::format("chart-scatter-{}", drawn++);
    data.chart({{"id", id},
                {"kind", "scatter"},
                {"title",
                 fmt::format("{}: {} k={} ({} {})", space.label, run.algorithm, run.k, by, number(score_of(run, by)))},
                {"x_name", x_name},
                {"y_name", y_name},
                {"run", data.run(run)},
                {"groups", series}});
    out += page::chart_container(id, "scatter");
  }
  std::string note =
      "</div><p class=\"note\">Each space's best eligible run (the leaderboard's order), drawn on the space's "
      "first two coordinates: raw spaces by their first two (preprocessed) features, PCA by its first two "
      "components, embeddings by theirs. Grey points are noise. Hover a point for its customer and run; "
      "zoom with the mouse wheel, the sliders or the toolbox.";
  if (sampled)
    note += fmt::format(" Spaces of more than {} points show every m-th point (an even stride) to keep the page small.",
                        max_points);
  return out + note + "</p>";
}

/// One line per (algorithm, parameters) of a value over k (inertia, bic), per space.
std::string value_charts(const records::GridResult& r, const std::string& value, const std::string& title,
                         const std::vector<KSelection>& selection, const std::string& criterion,
                         const ParamDefaults& defaults, PageData& data) {
  const auto& criteria = selection_criteria();
  const auto at = static_cast<std::size_t>(std::find(criteria.begin(), criteria.end(), criterion) - criteria.begin());
  std::string out;
  std::size_t count = 0;
  for (const auto& space : space_labels(r)) {
    std::map<std::pair<std::string, std::string>, std::map<int, const records::RunRecord*>>
        groups;  // (algorithm, params) → k → run
    for (const auto& run : r.runs)
      if (run.space == space && run.status == "ok" && std::isfinite(score_of(run, value)))
        groups[{run.algorithm, run.params}].try_emplace(run.k, &run);
    if (groups.empty()) continue;
    Json series = Json::array();
    for (const auto& [group, by_k] : groups) {
      const std::string params = compact_params(*by_k.begin()->second, defaults);
      Json points = Json::array();
      for (const auto& [k, run] : by_k) points.push_back({k, score_of(*run, value), data.run(*run)});
      Json s{{"name", group.first + (params.empty() ? "" : " " + params)},
             {"colour", colour_of(r, group.first)},
             {"points", points}};
      for (const auto& row : selection)
        if (row.space == space && row.algorithm == group.first && row.params == params && at < row.chosen.size() &&
            row.chosen[at] > 0) {
          s["mark_k"] = row.chosen[at];
          s["mark_label"] = fmt::format("{} k={}", criterion, row.chosen[at]);
        }
      series.push_back(std::move(s));
    }
    const std::string id = fmt::format("chart-{}-{}", value, count++);
    data.chart({{"id", id},
                {"kind", "lines"},
                {"title", fmt::format("{}: space {}", title, space)},
                {"x_name", "k"},
                {"y_name", value},
                {"series", series}});
    out += page::chart_container(id);
  }
  return out;
}

/// The gap statistic of each K-Means group, with its 1-SE choice marked.
std::string gap_charts(const records::GridResult& r, const std::vector<KSelection>& selection,
                       const ParamDefaults& defaults, PageData& data) {
  std::string out;
  std::size_t count = 0;
  for (const auto& row : selection) {
    if (!row.gap) continue;
    Json points = Json::array();
    for (const auto& p : row.gap->points) {
      int index = -1;  // k = 1 has no run
      for (const auto& run : r.runs)
        if (index < 0 && run.space == row.space && run.algorithm == row.algorithm && run.k == p.k &&
            run.status == "ok" && compact_params(run, defaults) == row.params)
          index = data.run(run);
      points.push_back(
          {p.k, p.gap, index,
           fmt::format("s(k) = {:.4f}, log W = {:.4f}, E log W = {:.4f}", p.s, p.log_w, p.expected_log_w)});
    }
    Json series = Json::array();
    series.push_back({{"name", row.algorithm + (row.params.empty() ? "" : " " + row.params)},
                      {"colour", colour_of(r, row.algorithm)},
                      {"points", points},
                      {"mark_k", row.gap->chosen_k},
                      {"mark_label", fmt::format("gap 1-SE k={}", row.gap->chosen_k)}});
    const std::string id = fmt::format("chart-gap-{}", count++);
    data.chart({{"id", id},
                {"kind", "lines"},
                {"title", fmt::format("gap statistic (B = {}): space {}", row.gap->references, row.space)},
                {"x_name", "k"},
                {"y_name", "gap"},
                {"series", series}});
    out += page::chart_container(id);
  }
  return out;
}

std::string selection_table(const std::vector<KSelection>& rows, const SelectOptions& options) {
  if (rows.empty()) return "<p class=\"note\">no run with labels and k clusters found</p>";
  const auto& criteria = selection_criteria();
  std::string out =
      R"(<table><tr><th class="text">space</th><th class="text">algorithm</th><th class="text">params</th><th>k</th>)";
  for (const auto& c : criteria) out += "<th>" + escape(c) + "</th>";
  out += R"(<th class="text">agreement</th></tr>)";
  for (const auto& row : rows) {
    out += fmt::format(
        R"(<tr><td class="text">{}</td><td class="text">{}</td><td class="text params"><code>{}</code></td><td>{}</td>)",
        escape(row.space), escape(row.algorithm), escape(row.params),
        row.ks.empty() ? "" : fmt::format("{}..{}", row.ks.front(), row.ks.back()));
    for (const int k : row.chosen) out += "<td>" + (k ? std::to_string(k) : std::string("-")) + "</td>";
    out += fmt::format(
        R"(<td class="text agreement">{}</td></tr>)",
        row.consensus_k ? escape(fmt::format("k={} by {}", row.consensus_k, fmt::join(row.agreeing, ", "))) : "");
  }
  out +=
      "</table><p class=\"note\">As <code>clusterbench select</code>: silhouette, silhouette_ref, calinski_harabasz, "
      "dbcv "
      "choose the k of the largest score, stability the k of the largest mean ARI between subsample refits and the "
      "run; "
      "davies_bouldin and bic the smallest; elbow the k farthest below the chord of "
      "inertia over k (both scaled to [0, 1]).";
  out += options.gap_references > 0
             ? fmt::format(
                   " gap: Tibshirani, Walther &amp; Hastie's 1-SE rule over B = {} uniform reference sets in the "
                   "PCA-aligned box (K-Means only); gap_global: within one s of the largest gap.",
                   options.gap_references)
             : " The gap statistic is off in this report (<code>report --gap-references B</code> computes it, as "
               "<code>select</code> does).";
  return out + "</p>";
}

std::string choosing_k(const records::GridResult& r, const HtmlReportOptions& options, const Executor& executor,
                       PageData& data) {
  SelectOptions select;
  select.gap_references = options.gap_references;
  select.defaults = options.param_defaults;
  const auto rows = select_k(r, select, executor);
  std::string out = "<h2 id=\"choosing-k\">Choosing k</h2>" + selection_table(rows, select);
  std::string charts = value_charts(r, "inertia", "elbow (inertia)", rows, "elbow", options.param_defaults, data);
  charts += value_charts(r, "bic", "BIC (GMM)", rows, "bic", options.param_defaults, data);  // in page order
  charts += gap_charts(r, rows, options.param_defaults, data);
  charts += value_charts(r, "stability", "stability (mean ARI of subsample refits)", rows, "stability",
                         options.param_defaults, data);
  if (!charts.empty())
    out += "<div class=\"charts\">" + charts +
           "</div><p class=\"note\">Curves behind the elbow, BIC, gap and stability columns, per space (only what the "
           "grid "
           "has: inertia for K-Means, BIC for GMM, the gap when computed, stability when the config has a stability "
           "section); the vertical line marks each criterion's k.</p>";
  return out;
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
  std::string out = "<h2>Customer profile of the highlighted run</h2>";
  out +=
      R"(<table><tr><th class="text">cluster</th><th>customers</th><th>share</th><th>revenue</th><th>revenue share</th><th>average ticket</th><th>mean recency (days)</th><th>mean frequency</th><th>mean monetary</th><th>mean R</th><th>mean F</th><th>mean M</th></tr>)";
  for (const auto& g : profile.rows)
    out += fmt::format(
        R"(<tr><td class="text">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
        escape(g.label), g.customers, number(g.share, 3), number(g.revenue, 2), number(g.revenue_share, 3),
        number(g.average_ticket, 2), number(g.mean_recency, 1), number(g.mean_frequency, 2), number(g.mean_monetary, 2),
        number(g.mean_r, 2), number(g.mean_f, 2), number(g.mean_m, 2));
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
  std::string out =
      R"(<h2 id="spaces">Spaces</h2><table><tr><th class="text">space</th><th class="text">method</th><th>dimensions</th><th>seconds</th>)";
  for (const auto& name : value_names) out += "<th>" + escape(name) + "</th>";
  out += R"(<th class="text">params</th></tr>)";
  for (const auto& s : r.spaces) {
    out += fmt::format(R"(<tr><td class="text">{}</td><td class="text">{}</td><td>{}</td><td>{}</td>)", escape(s.label),
                       escape(s.name), s.points.cols(), number(s.seconds, 3));
    for (const auto& name : value_names) {
      const auto it = s.values.find(name);
      out += "<td>" + (it == s.values.end() ? std::string() : number(it->second)) + "</td>";
    }
    out += R"(<td class="text params"><code>)" + escape(s.params) + "</code></td></tr>";
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
  std::string out =
      R"(<h2>Time</h2><table><tr><th class="text">algorithm</th><th>runs</th><th>fit s</th><th>score s</th></tr>)";
  for (const auto& [algorithm, t] : by_algorithm)
    out += fmt::format(R"(<tr><td class="text">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)", escape(algorithm),
                       runs[algorithm], number(t.first, 3), number(t.second, 3));
  return out +
         "</table><p class=\"note\">Seconds summed over runs; runs execute concurrently, so the sum exceeds the "
         "wall time. Shared work (one tree, one DBSCAN structure per space) is split evenly over its k.</p>";
}

std::string unscored_table(const records::GridResult& r) {
  std::string rows;
  for (const auto& run : r.runs)
    if (run.status != "ok" || !std::isfinite(score_of(run, "silhouette")))
      rows += fmt::format(
          R"(<tr><td class="text">{}</td><td class="text">{}</td><td>{}</td><td class="text">{}</td><td class="text">{}</td></tr>)",
          escape(run.space), escape(run.algorithm), run.k, escape(run.status), escape(run.message));
  if (rows.empty()) return "";
  return R"(<h2>Runs with a status</h2><table><tr><th class="text">space</th><th class="text">algorithm</th><th>k</th><th class="text">status</th><th class="text">message</th></tr>)" +
         rows + "</table>";
}

}  // namespace

std::string render_html_report(const records::GridResult& result, const HtmlReportOptions& options,
                               const Executor& executor) {
  const std::string name = result.provenance.grid_name.empty() ? "grid" : result.provenance.grid_name;
  PageData data(result, options.param_defaults);
  data.extra()["ids"] = result.data.ids;
  std::string body = "<h1>clusterbench report: " + escape(name) + "</h1>";
  body +=
      "<p class=\"note\"><a href=\"#highlighted\">highlighted run</a> · <a href=\"#leaderboards\">leaderboards</a> · "
      "<a href=\"#silhouette\">silhouette over k</a> · <a href=\"#scatter\">best clustering per space</a> · "
      "<a href=\"#choosing-k\">choosing k</a> · <a href=\"#spaces\">spaces</a></p>";
  body += summary(result);
  body += highlighted_run(result, options.param_defaults, data);
  body += "<h2 id=\"leaderboards\">Leaderboard by silhouette (own space)</h2>" +
          leaderboard_table(result, "silhouette", options.top, options.param_defaults);
  body += "<h2>Leaderboard by silhouette in the reference space</h2>" +
          leaderboard_table(result, "silhouette_ref", options.top, options.param_defaults);
  body += winner_profile(result);
  body += "<h2 id=\"silhouette\">Silhouette over k</h2>" + score_charts(result, data);
  body += "<h2 id=\"scatter\">Best clustering of each space</h2>" +
          scatter_charts(result, options.max_scatter_points, data);
  body += choosing_k(result, options, executor, data);
  body += spaces_table(result);
  body += timing_table(result);
  body += unscored_table(result);
  return page::head("clusterbench: " + name) + body + page::tail(data.json());
}

}  // namespace cb::report
