#include "clusterbench/report/profile_report.hpp"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "text_table.hpp"

namespace cb::report {
namespace {

/// Counts of each profile group per segment, looked up by group name.
std::map<std::string, std::vector<double>> counts_by_group(const rfm::CrossTable& t) {
  std::map<std::string, std::vector<double>> out;
  for (std::size_t g = 0; g < t.row_names.size(); ++g) {
    auto& row = out[t.row_names[g]];
    for (Index s = 0; s < t.counts.cols(); ++s) row.push_back(t.counts(static_cast<Index>(g), s));
  }
  return out;
}

std::vector<double> counts_of(const std::map<std::string, std::vector<double>>& counts, const std::string& group,
                              std::size_t segments) {
  const auto it = counts.find(group);
  return it == counts.end() ? std::vector<double>(segments, 0.0) : it->second;
}

std::string render_json(const rfm::Profile& profile, const rfm::CrossTable* by_segment, bool with_scores) {
  const auto counts = by_segment ? counts_by_group(*by_segment) : std::map<std::string, std::vector<double>>{};
  nlohmann::ordered_json j;
  j["customers"] = profile.customers;
  j["revenue"] = profile.revenue;
  j["groups"] = nlohmann::ordered_json::array();
  for (const auto& r : profile.rows) {
    nlohmann::ordered_json g;
    g["group"] = r.label;
    g["customers"] = r.customers;
    g["share"] = r.share;
    g["revenue"] = r.revenue;
    g["revenue_share"] = r.revenue_share;
    g["average_ticket"] = r.average_ticket;
    g["mean_recency"] = r.mean_recency;
    g["mean_frequency"] = r.mean_frequency;
    g["mean_monetary"] = r.mean_monetary;
    if (with_scores) {
      g["mean_r"] = r.mean_r;
      g["mean_f"] = r.mean_f;
      g["mean_m"] = r.mean_m;
    }
    if (by_segment) {
      const auto row = counts_of(counts, r.label, by_segment->column_names.size());
      nlohmann::ordered_json segments;
      for (std::size_t s = 0; s < row.size(); ++s)
        segments[by_segment->column_names[s]] = static_cast<long long>(row[s]);
      g["segments"] = segments;
    }
    j["groups"].push_back(g);
  }
  return j.dump(2) + "\n";
}

/// One wide CSV: the profile columns at full precision, then one count column per segment.
std::string render_csv(const rfm::Profile& profile, const rfm::CrossTable* by_segment, bool with_scores) {
  std::vector<std::string> header{"group",          "customers",    "share",          "revenue",      "revenue_share",
                                  "average_ticket", "mean_recency", "mean_frequency", "mean_monetary"};
  if (with_scores) header.insert(header.end(), {"mean_r", "mean_f", "mean_m"});
  if (by_segment) header.insert(header.end(), by_segment->column_names.begin(), by_segment->column_names.end());
  const auto counts = by_segment ? counts_by_group(*by_segment) : std::map<std::string, std::vector<double>>{};
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : profile.rows) {
    std::vector<std::string> line{r.label, std::to_string(r.customers)};
    for (double v :
         {r.share, r.revenue, r.revenue_share, r.average_ticket, r.mean_recency, r.mean_frequency, r.mean_monetary})
      line.push_back(fmt::format("{}", v));
    if (with_scores)
      for (double v : {r.mean_r, r.mean_f, r.mean_m}) line.push_back(fmt::format("{}", v));
    if (by_segment)
      for (double c : counts_of(counts, r.label, by_segment->column_names.size())) line.push_back(fmt::format("{}", c));
    cells.push_back(std::move(line));
  }
  return text::render(header, cells, Format::csv, {});
}

/// The readable profile (table or markdown): shares in percent, money with two decimals.
std::string render_readable(const rfm::Profile& profile, const rfm::CrossTable* by_segment, Format format,
                            bool with_scores) {
  std::vector<std::string> header{"group",      "customers", "share",     "revenue", "rev_share",
                                  "avg_ticket", "recency",   "frequency", "monetary"};
  if (with_scores) header.insert(header.end(), {"mean_R", "mean_F", "mean_M"});
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : profile.rows) {
    std::vector<std::string> line{r.label,
                                  std::to_string(r.customers),
                                  fmt::format("{:.1f}%", 100 * r.share),
                                  fmt::format("{:.2f}", r.revenue),
                                  fmt::format("{:.1f}%", 100 * r.revenue_share),
                                  fmt::format("{:.2f}", r.average_ticket),
                                  fmt::format("{:.1f}", r.mean_recency),
                                  fmt::format("{:.2f}", r.mean_frequency),
                                  fmt::format("{:.2f}", r.mean_monetary)};
    if (with_scores)
      for (double v : {r.mean_r, r.mean_f, r.mean_m}) line.push_back(fmt::format("{:.2f}", v));
    cells.push_back(std::move(line));
  }
  std::vector<bool> left(header.size(), false);
  left[0] = true;
  std::string out = text::render(header, cells, format, left);
  if (!by_segment) return out;

  std::vector<std::string> cross_header{"customers by segment"};
  cross_header.insert(cross_header.end(), by_segment->column_names.begin(), by_segment->column_names.end());
  std::vector<std::vector<std::string>> cross_cells;
  for (std::size_t g = 0; g < by_segment->row_names.size(); ++g) {
    std::vector<std::string> line{by_segment->row_names[g]};
    for (Index s = 0; s < by_segment->counts.cols(); ++s)
      line.push_back(fmt::format("{}", by_segment->counts(static_cast<Index>(g), s)));
    cross_cells.push_back(std::move(line));
  }
  std::vector<bool> cross_left(cross_header.size(), false);
  cross_left[0] = true;
  return out + "\n" + text::render(cross_header, cross_cells, format, cross_left);
}

}  // namespace

std::string render_profile(const rfm::Profile& profile, const rfm::CrossTable* by_segment, Format format,
                           bool with_scores) {
  switch (format) {
    case Format::json: return render_json(profile, by_segment, with_scores);
    case Format::csv: return render_csv(profile, by_segment, with_scores);
    case Format::table:
    case Format::markdown: break;
  }
  return render_readable(profile, by_segment, format, with_scores);
}

}  // namespace cb::report
