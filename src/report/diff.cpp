#include "clusterbench/report/diff.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cb::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Identity = std::tuple<std::string, std::string, std::string, int>;

Identity identity_of(const records::RunRecord& r) { return {r.space, r.algorithm, r.params, r.k}; }

double score_of(const records::RunRecord* r, const std::string& score) {
  if (!r) return kNaN;
  const auto it = r->scores.find(score);
  return it == r->scores.end() ? kNaN : it->second;
}

std::map<const records::RunRecord*, std::size_t> ranks(const records::GridResult& result, const std::string& score) {
  LeaderboardOptions options;
  options.sort_by = score;
  options.ascending = score == "davies_bouldin";
  std::map<const records::RunRecord*, std::size_t> out;
  for (const auto& row : leaderboard(result, options)) out[row.run] = row.rank;
  return out;
}

std::string number(double v) { return std::isnan(v) ? "" : fmt::format("{:.4f}", v); }

}  // namespace

std::vector<DiffRow> diff_results(const records::GridResult& before, const records::GridResult& after, const DiffOptions& options) {
  std::map<Identity, DiffRow> rows;
  for (const auto& r : before.runs) {
    auto& row = rows[identity_of(r)];
    row.before = &r;
  }
  for (const auto& r : after.runs) {
    auto& row = rows[identity_of(r)];
    row.after = &r;
  }
  const auto ranks_before = ranks(before, options.score), ranks_after = ranks(after, options.score);
  std::vector<DiffRow> out;
  for (auto& [id, row] : rows) {
    std::tie(row.space, row.algorithm, row.params, row.k) = id;
    row.score_before = score_of(row.before, options.score);
    row.score_after = score_of(row.after, options.score);
    if (row.before && ranks_before.count(row.before)) row.rank_before = ranks_before.at(row.before);
    if (row.after && ranks_after.count(row.after)) row.rank_after = ranks_after.at(row.after);
    row.labels_identical = row.before && row.after && !row.before->labels.empty() && row.before->labels == row.after->labels;
    const bool both_nan = std::isnan(row.score_before) && std::isnan(row.score_after);
    const bool same_score = both_nan || std::abs(row.score_after - row.score_before) <= options.tolerance;
    if (options.changed_only && row.before && row.after && same_score && row.rank_before == row.rank_after) continue;
    out.push_back(row);
  }
  std::sort(out.begin(), out.end(), [](const DiffRow& a, const DiffRow& b) {
    const auto ra = a.rank_after ? a.rank_after : std::numeric_limits<std::size_t>::max();
    const auto rb = b.rank_after ? b.rank_after : std::numeric_limits<std::size_t>::max();
    return std::tie(ra, a.space, a.algorithm, a.k) < std::tie(rb, b.space, b.algorithm, b.k);
  });
  return out;
}

std::string render_diff(const std::vector<DiffRow>& rows, Format format, const DiffOptions& options) {
  const std::vector<std::string> header{"space", "algorithm", "k", "rank_a", "rank_b", options.score + "_a",
                                        options.score + "_b", "delta", "labels", "presence"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    const std::string presence = !r.before ? "only_b" : (!r.after ? "only_a" : "both");
    const double delta = r.score_after - r.score_before;
    cells.push_back({r.space, r.algorithm, std::to_string(r.k), r.rank_before ? std::to_string(r.rank_before) : "",
                     r.rank_after ? std::to_string(r.rank_after) : "", number(r.score_before), number(r.score_after),
                     std::isnan(delta) ? "" : fmt::format("{:+.4f}", delta),
                     presence != "both" ? "" : (r.labels_identical ? "same" : "differ"), presence});
  }
  std::string out;
  if (format == Format::json) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& line : cells) {
      nlohmann::ordered_json j;
      for (std::size_t c = 0; c < header.size(); ++c) j[header[c]] = line[c];
      array.push_back(j);
    }
    return array.dump(2) + "\n";
  }
  if (format == Format::csv) {
    out += fmt::format("{}\n", fmt::join(header, ","));
    for (const auto& line : cells) out += fmt::format("{}\n", fmt::join(line, ","));
    return out;
  }
  if (format == Format::markdown) {
    out += fmt::format("| {} |\n|{}|\n", fmt::join(header, " | "), fmt::join(std::vector<std::string>(header.size(), "---"), "|"));
    for (const auto& line : cells) out += fmt::format("| {} |\n", fmt::join(line, " | "));
    return out;
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& line : cells) width[c] = std::max(width[c], line[c].size());
  }
  auto render = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t c = 0; c < line.size(); ++c) text += fmt::format("{:<{}}  ", line[c], width[c]);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  out += render(header);
  for (const auto& line : cells) out += render(line);
  if (cells.empty()) out += "(no differences)\n";
  return out;
}

}  // namespace cb::report
